#pragma once
// Dense linear algebra: cholesky, solve_triangular, solve, inverse, logdet,
// det, diagonal, diag, tril, triu, and trace and eye_like built from them.
//
// Each op reads whole matrices, so it is never fused into a loop: the backend
// runs the op's routine (compute, below) on its operands in memory and writes
// a row-major result. Derivatives are the standard adjoint identities written
// with these same ops, so they differentiate again: Cholesky's as in Murray
// (2016), solve's and inverse's from d(A^-1) = -A^-1 dA A^-1, logdet's
// d log|det A| = tr(A^-1 dA); never by differentiating a factorisation's loops.
#include <cmath>
#include <array>
#include <cstddef>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "theon/core/errors.hpp"
#include "theon/ops/broadcast.hpp"
#include "theon/ops/linalg.hpp"
#include "theon/ops/reduce.hpp"

namespace theon {

namespace dense_detail {
// Element (i, j) of a strided matrix view, or (i) of a vector view seen as a column.
template <class V>
auto element(const V& v, std::size_t i, std::size_t j = 0) {
  if constexpr (std::tuple_size_v<decltype(v.shape)> == 1) return v.data[static_cast<std::ptrdiff_t>(i) * v.strides[0]];
  else return v.data[static_cast<std::ptrdiff_t>(i) * v.strides[0] + static_cast<std::ptrdiff_t>(j) * v.strides[1]];
}
// The offset in view v of the element at multi-index at.
template <class V, class Index>
std::ptrdiff_t offset_at(const V& v, const Index& at) {
  std::ptrdiff_t offset = 0;
  for (std::size_t k = 0; k < at.size(); ++k) offset += static_cast<std::ptrdiff_t>(at[k]) * v.strides[k];
  return offset;
}

// f(index, e) for every element of an array of the given extents, in row-major
// order: its multi-index and its position.
template <std::size_t R, class F>
void for_each_index(const extents<R>& shape, F f) {
  std::size_t count = 1;
  for (std::size_t n : shape) count *= n;
  std::array<std::size_t, R> at{};
  for (std::size_t e = 0; e < count; ++e) {
    f(at, e);
    for (std::size_t k = R; k-- > 0;) {
      if (++at[k] < shape[k]) break;
      at[k] = 0;
    }
  }
}

// out = x's elements in row-major order, whatever x's strides.
template <class T, class X>
void copy_row_major(T* out, const X& x) {
  for_each_index(x.shape, [&](const auto& at, std::size_t e) { out[e] = static_cast<T>(x.data[offset_at(x, at)]); });
}

// The columns of a right-hand side: 1 for a vector.
template <class V>
std::size_t columns(const V& v) {
  if constexpr (std::tuple_size_v<decltype(v.shape)> == 1) return 1;
  else return v.shape[1];
}

template <class T>
std::string pivot_text(const char* op, const char* what, std::size_t k, std::size_t n, T value) {
  std::ostringstream text;  // the pivot as %g would: -3, or -1.2e-17, never a rounded -0.000000
  text << "theon::" << op << ": the matrix is " << what << " (pivot " << k << " of " << n << " is "
       << static_cast<double>(value) << ")";
  return text.str();
}

// L X = B (Transposed: L^T X = B) for lower triangular L, in place on the
// row-major n x m right-hand side x. An exactly zero diagonal is singular.
template <bool Transposed, class T, class V>
void triangular_solve(const V& l, T* x, std::size_t m, const char* op) {
  const std::size_t n = l.shape[0];
  for (std::size_t s = 0; s < n; ++s) {
    const std::size_t i = Transposed ? n - 1 - s : s;
    for (std::size_t t = 0; t < s; ++t) {
      const std::size_t k = Transposed ? n - 1 - t : t;
      const T factor = Transposed ? element(l, k, i) : element(l, i, k);
      for (std::size_t c = 0; c < m; ++c) x[i * m + c] -= factor * x[k * m + c];
    }
    const T pivot = element(l, i, i);
    if (pivot == T(0)) throw numeric_error(pivot_text(op, "singular", i, n, pivot));
    for (std::size_t c = 0; c < m; ++c) x[i * m + c] /= pivot;
  }
}

// The LU factors of a square matrix with partial pivoting (P A = L U, L with
// a unit diagonal), row-major in lu. Stops at the first column with no
// nonzero pivot: the matrix is singular there.
template <class T>
struct lu_factors {
  std::size_t n = 0;
  std::vector<T> lu;
  std::vector<std::size_t> row;  // row k of P A is row row[k] of A
  bool odd = false;              // the permutation's parity
  std::size_t singular_at = static_cast<std::size_t>(-1);

  template <class V>
  explicit lu_factors(const V& a) : n(a.shape[0]), lu(n * n), row(n) {
    for (std::size_t i = 0; i < n; ++i) {
      row[i] = i;
      for (std::size_t j = 0; j < n; ++j) lu[i * n + j] = element(a, i, j);
    }
    for (std::size_t k = 0; k < n; ++k) {
      std::size_t p = k;
      for (std::size_t i = k + 1; i < n; ++i)
        if (std::abs(lu[i * n + k]) > std::abs(lu[p * n + k])) p = i;
      if (lu[p * n + k] == T(0)) {
        singular_at = k;
        return;
      }
      if (p != k) {
        for (std::size_t j = 0; j < n; ++j) std::swap(lu[p * n + j], lu[k * n + j]);
        std::swap(row[p], row[k]);
        odd = !odd;
      }
      for (std::size_t i = k + 1; i < n; ++i) {
        const T factor = lu[i * n + k] /= lu[k * n + k];
        for (std::size_t j = k + 1; j < n; ++j) lu[i * n + j] -= factor * lu[k * n + j];
      }
    }
  }
  bool singular() const { return singular_at < n; }

  // A X = B for the row-major n x m right-hand side b, into x.
  void solve(const T* b, T* x, std::size_t m, const char* op) const {
    if (singular()) throw numeric_error(pivot_text(op, "singular", singular_at, n, T(0)));
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t c = 0; c < m; ++c) x[i * m + c] = b[row[i] * m + c];
    for (std::size_t i = 0; i < n; ++i)  // L (unit diagonal)
      for (std::size_t k = 0; k < i; ++k)
        for (std::size_t c = 0; c < m; ++c) x[i * m + c] -= lu[i * n + k] * x[k * m + c];
    for (std::size_t i = n; i-- > 0;) {  // U
      for (std::size_t k = i + 1; k < n; ++k)
        for (std::size_t c = 0; c < m; ++c) x[i * m + c] -= lu[i * n + k] * x[k * m + c];
      for (std::size_t c = 0; c < m; ++c) x[i * m + c] /= lu[i * n + i];
    }
  }
};

// The shape of a square matrix operand, checked where both extents are known.
template <std::size_t R>
constexpr bool square(const extents<R>& a) {
  return R == 2 && (a[0] == a[R - 1] || a[0] == dyn || a[R - 1] == dyn);
}
}  // namespace dense_detail

// What every routine over whole operands shares (kind dense): its static
// shape is what Derived::shape gives for the operands' static extents.
template <class Derived>
struct routine_op {
  using kind = dense;
  template <class... A>
  static constexpr auto static_extents() {
    bool ok = true;
    return Derived::shape(ok, static_shape_t<A>::extents...);
  }
  template <class... A>
  using shape_type = shape_of_array<static_extents<A...>()>;
};

// A routine reads its operands from memory, and a literal has none: a literal
// operand is given the shape of `like` (a constant node, which the planner
// then keeps in memory for the routine).
template <expression E, expression Like>
constexpr auto in_memory(E e, Like like) {
  if constexpr (is_lit_v<E>) return broadcast_like(e, like);
  else return e;
}

// What the dense linear algebra ops share besides: operands of one floating
// dtype, which is also the result's.
template <class Derived>
struct dense_op : routine_op<Derived> {
  template <class... A>
  using dtype = promote_t<dtype_t<A>...>;
  template <std::size_t I, class... A>
  using operand_dtype = dtype<A...>;

  template <class... A>
  static constexpr void check_dtypes() {
    static_assert((std::is_floating_point_v<dtype_t<A>> && ...) && (same_type<dtype_t<A>, promote_t<dtype_t<A>...>> && ...),
                  "theon: cholesky, solve, solve_triangular, inverse, logdet, det, diag, diagonal, tril and triu take "
                  "floating-point operands of one dtype (convert with theon::cast<T>)");
  }
  template <class A>
  static constexpr void check_square() {
    static_assert(rank_v<A> == 2, "theon: cholesky, solve, solve_triangular, inverse, logdet, det and diagonal take a matrix (rank 2)");
    if constexpr (rank_v<A> == 2)
      static_assert(dense_detail::square(static_shape_t<A>::extents), "theon: the matrix must be square");
  }
};

// One square matrix operand (cholesky, inverse, logdet, det, diagonal); the
// result has its shape unless the op says otherwise.
template <class Derived>
struct square_matrix_op : dense_op<Derived> {
  static constexpr const char* mismatch_reason = "the matrix is not square";
  template <class A>
  static constexpr void check() {
    dense_op<Derived>::template check_square<A>();
    dense_op<Derived>::template check_dtypes<A>();
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& a) {
    ok = dense_detail::square(a);
    return a;
  }
};

template <bool Upper, bool Half = false, std::ptrdiff_t K = 0>
struct triangle_op;
template <bool Transposed>
struct triangular_solve_op;

// tril(a), triu(a): the lower (upper) triangle of a matrix, zeros elsewhere.
// tril<K>(a) keeps the elements on and below the K-th diagonal (above the
// main one for K > 0, below it for K < 0), triu<K>(a) those on and above it:
// NumPy's tril(a, k) and triu(a, k).
template <std::ptrdiff_t K = 0, expression A>
constexpr auto tril(A a) { return make_node<triangle_op<false, false, K>>(a); }
template <std::ptrdiff_t K = 0, expression A>
constexpr auto triu(A a) { return make_node<triangle_op<true, false, K>>(a); }
template <bool Transposed, expression L, expression B>
constexpr auto triangular_solve(L l, B b) { return make_node<triangular_solve_op<Transposed>>(l, b); }

namespace dense_detail {
// u v^T for two matrices (with u and v of rank 2), or two vectors.
template <expression U, expression V>
constexpr auto outer_product(U u, V v) {
  if constexpr (rank_v<U> == 1) return outer(u, v);
  else return matmul(u, transpose(v));
}
// The symmetric part (a + a^T) / 2.
template <expression A>
constexpr auto symmetric_part(A a) { return lit<1, 2>{} * (a + transpose(a)); }
template <expression A>
constexpr auto phi(A a) { return make_node<triangle_op<false, true>>(a); }
}  // namespace dense_detail

// One triangle of a matrix, its K-th diagonal included (0: the main one),
// and zeros elsewhere: the lower (tril) or the upper (triu). With Half, the
// main diagonal is halved as well (Murray's Phi of the lower triangle, which
// the Cholesky derivatives use). Linear and self-adjoint: its adjoint is itself.
template <bool Upper, bool Half, std::ptrdiff_t K>
struct triangle_op : dense_op<triangle_op<Upper, Half, K>> {
  static constexpr const char* name = Half ? "phi" : Upper ? "triu" : "tril";
  static constexpr auto printed_options = [] {
    if constexpr (K == 0) return std::array<printed_option, 0>{};
    else return std::array<printed_option, 1>{{{"k", K}}};
  }();
  template <class A>
  static constexpr void check() {
    static_assert(Upper || rank_v<A> == 2, "theon::tril: takes a matrix (rank 2)");
    static_assert(!Upper || rank_v<A> == 2, "theon::triu: takes a matrix (rank 2)");
    dense_op<triangle_op>::template check_dtypes<A>();
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& a) {
    ok = true;
    return a;
  }
  template <class T, class A>
  static void compute(T* out, const A& a) {
    const std::size_t rows = a.shape[0], cols = a.shape[1];
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j) {
        const T v = dense_detail::element(a, i, j);
        const std::ptrdiff_t above = static_cast<std::ptrdiff_t>(j) - static_cast<std::ptrdiff_t>(i);  // j - i
        const bool kept = Upper ? above >= K : above <= K;
        out[i * cols + j] = !kept ? T(0) : Half && above == 0 ? v / T(2) : v;
      }
  }
  static constexpr auto vjp(auto g, auto, auto) { return make_node<triangle_op>(g); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<triangle_op>(get<0>(t)); }
};

// The lower Cholesky factor L of a symmetric positive definite matrix,
// A = L L^T. It factors the symmetric part (A + A^T) / 2, as JAX does, so
// that neither the value nor the derivative depends on which triangle holds
// the data. A pivot <= 0 is a numeric_error naming it.
struct cholesky_op : square_matrix_op<cholesky_op> {
  static constexpr const char* name = "cholesky";
  template <class T, class A>
  static void compute(T* l, const A& a) {
    using dense_detail::element;
    const std::size_t n = a.shape[0];
    auto symmetric = [&](std::size_t i, std::size_t j) -> T { return (element(a, i, j) + element(a, j, i)) / T(2); };
    for (std::size_t j = 0; j < n; ++j) {
      T d = symmetric(j, j);
      for (std::size_t k = 0; k < j; ++k) d -= l[j * n + k] * l[j * n + k];
      if (d <= T(0)) throw numeric_error(dense_detail::pivot_text("cholesky", "not positive definite", j, n, d));
      const T root = std::sqrt(d);
      l[j * n + j] = root;
      for (std::size_t i = 0; i < j; ++i) l[i * n + j] = T(0);
      for (std::size_t i = j + 1; i < n; ++i) {
        T s = symmetric(i, j);
        for (std::size_t k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
        l[i * n + j] = s / root;
      }
    }
  }
  // A-bar = sym(S), S = L^-T Phi(L^T L-bar) L^-1 (Murray 2016, eq. 10).
  static constexpr auto vjp(auto g, auto l, auto) {
    const auto z = triangular_solve<true>(l, dense_detail::phi(matmul(transpose(l), g)));  // L^-T Phi(L^T G)
    return dense_detail::symmetric_part(transpose(triangular_solve<true>(l, transpose(z))));
  }
  // L-dot = L Phi(L^-1 sym(A-dot) L^-T).
  static constexpr auto jvp(auto l, auto t, auto) {
    const auto x = triangular_solve<false>(l, dense_detail::symmetric_part(get<0>(t)));  // L^-1 sym(A-dot)
    return matmul(l, dense_detail::phi(transpose(triangular_solve<false>(l, transpose(x)))));
  }
};

// X = L^-1 B (Transposed: L^-T B) for lower triangular L, B a vector or a
// matrix. Reads only L's lower triangle; a zero diagonal is a numeric_error.
template <bool Transposed>
struct triangular_solve_op : dense_op<triangular_solve_op<Transposed>> {
  static constexpr const char* name = Transposed ? "solve_triangular_transposed" : "solve_triangular";
  static constexpr const char* mismatch_reason = "L is not square, or B's rows differ from L's";
  template <class L, class B>
  static constexpr void check() {
    dense_op<triangular_solve_op>::template check_square<L>();
    dense_op<triangular_solve_op>::template check_dtypes<L, B>();
    static_assert(rank_v<B> == 1 || rank_v<B> == 2, "theon::solve_triangular: the right-hand side is a vector or a matrix");
  }
  template <std::size_t RL, std::size_t RB>
  static constexpr auto shape(bool& ok, const extents<RL>& l, const extents<RB>& b) {
    ok = dense_detail::square(l) && (l[0] == b[0] || l[0] == dyn || b[0] == dyn);
    return b;
  }
  template <class T, class L, class B>
  static void compute(T* x, const L& l, const B& b) {
    dense_detail::copy_row_major(x, b);
    dense_detail::triangular_solve<Transposed>(l, x, dense_detail::columns(b), name);
  }
  // X = L^-1 B: B-bar = L^-T G, L-bar = -tril(B-bar X^T); transposed, the roles swap.
  template <std::size_t K>
  static constexpr auto vjp(auto g, auto x, auto l, auto) {
    const auto b_bar = triangular_solve<!Transposed>(l, g);
    if constexpr (K == 1) return b_bar;
    else if constexpr (Transposed) return -tril(dense_detail::outer_product(x, b_bar));
    else return -tril(dense_detail::outer_product(b_bar, x));
  }
  // X-dot = L^-1 (B-dot - tril(L-dot) X), transposed likewise.
  static constexpr auto jvp(auto x, auto t, auto l, auto) {
    const auto tl = get<0>(t);
    const auto moved = [&] {
      if constexpr (is_zero_v<decltype(tl)>) return lit<0>{};
      else if constexpr (Transposed) return -matmul(transpose(tril(tl)), x);
      else return -matmul(tril(tl), x);
    }();
    return triangular_solve<Transposed>(l, plus(get<1>(t), moved));
  }
};

// X = A^-1 B by LU with partial pivoting; B a vector or a matrix. An exactly
// singular A is a numeric_error naming the zero pivot.
struct solve_op : dense_op<solve_op> {
  static constexpr const char* name = "solve";
  static constexpr const char* mismatch_reason = "A is not square, or B's rows differ from A's";
  template <class A, class B>
  static constexpr void check() {
    check_square<A>();
    check_dtypes<A, B>();
    static_assert(rank_v<B> == 1 || rank_v<B> == 2, "theon::solve: the right-hand side is a vector or a matrix");
  }
  template <std::size_t RA, std::size_t RB>
  static constexpr auto shape(bool& ok, const extents<RA>& a, const extents<RB>& b) {
    return triangular_solve_op<false>::shape(ok, a, b);
  }
  template <class T, class A, class B>
  static void compute(T* x, const A& a, const B& b) {
    std::vector<T> rhs(b.shape[0] * dense_detail::columns(b));
    dense_detail::copy_row_major(rhs.data(), b);
    dense_detail::lu_factors<T>(a).solve(rhs.data(), x, dense_detail::columns(b), name);
  }
  // B-bar = A^-T G, A-bar = -B-bar X^T.
  template <std::size_t K>
  static constexpr auto vjp(auto g, auto x, auto a, auto) {
    const auto b_bar = make_node<solve_op>(transpose(a), g);
    if constexpr (K == 1) return b_bar;
    else return -dense_detail::outer_product(b_bar, x);
  }
  // X-dot = A^-1 (B-dot - A-dot X).
  static constexpr auto jvp(auto x, auto t, auto a, auto) {
    const auto ta = get<0>(t);
    const auto moved = [&] {
      if constexpr (is_zero_v<decltype(ta)>) return lit<0>{};
      else return -matmul(ta, x);
    }();
    return make_node<solve_op>(a, plus(get<1>(t), moved));
  }
};

// A^-1 by LU with partial pivoting; singular A is a numeric_error.
struct inverse_op : square_matrix_op<inverse_op> {
  static constexpr const char* name = "inverse";
  template <class T, class A>
  static void compute(T* x, const A& a) {
    const std::size_t n = a.shape[0];
    std::vector<T> identity(n * n, T(0));
    for (std::size_t i = 0; i < n; ++i) identity[i * n + i] = T(1);
    dense_detail::lu_factors<T>(a).solve(identity.data(), x, n, name);
  }
  // d(A^-1) = -A^-1 dA A^-1: A-bar = -X^T G X^T.
  static constexpr auto vjp(auto g, auto x, auto) { return -matmul(transpose(x), matmul(g, transpose(x))); }
  static constexpr auto jvp(auto x, auto t, auto) { return -matmul(x, matmul(get<0>(t), x)); }
};

template <expression A>
constexpr auto inverse(A a) { return make_checked<inverse_op>(a); }

// log|det A| and det A from the LU factors: the product of U's diagonal and
// the permutation's sign. A singular matrix has det 0 and logdet -inf.
template <bool Log>
struct determinant_op : square_matrix_op<determinant_op<Log>> {
  static constexpr const char* name = Log ? "logdet" : "det";
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& a) {
    ok = dense_detail::square(a);
    return extents<0>{};
  }
  template <class T, class A>
  static void compute(T* out, const A& a) {
    const dense_detail::lu_factors<T> f(a);
    T value = Log ? T(0) : f.odd ? T(-1) : T(1);
    for (std::size_t i = 0; i < f.n && !f.singular(); ++i) {
      const T u = f.lu[i * f.n + i];
      value = Log ? value + std::log(std::abs(u)) : value * u;
    }
    if (f.singular()) value = Log ? -std::numeric_limits<T>::infinity() : T(0);
    *out = value;
  }
  // d log|det A| = tr(A^-1 dA): A-bar = G A^-T; det's is det A times that.
  static constexpr auto vjp(auto g, auto out, auto a) {
    if constexpr (Log) return g * transpose(inverse(a));
    else return (g * out) * transpose(inverse(a));
  }
  static constexpr auto jvp(auto out, auto t, auto a) {
    const auto trace_term = sum(transpose(inverse(a)) * get<0>(t));
    if constexpr (Log) return trace_term;
    else return out * trace_term;
  }
};

struct diag_op;

// The diagonal of a square matrix, as a vector.
struct diagonal_op : square_matrix_op<diagonal_op> {
  static constexpr const char* name = "diagonal";
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& a) {
    ok = dense_detail::square(a);
    return extents<1>{a[0] == dyn ? a[R - 1] : a[0]};
  }
  template <class T, class A>
  static void compute(T* out, const A& a) {
    for (std::size_t i = 0; i < a.shape[0]; ++i) out[i] = dense_detail::element(a, i, i);
  }
  static constexpr auto vjp(auto g, auto, auto) { return make_node<diag_op>(g); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<diagonal_op>(get<0>(t)); }
};

// The square matrix with v on its diagonal and zeros elsewhere.
struct diag_op : dense_op<diag_op> {
  static constexpr const char* name = "diag";
  template <class V>
  static constexpr void check() {
    static_assert(rank_v<V> == 1, "theon::diag: takes a vector (rank 1)");
    check_dtypes<V>();
  }
  static constexpr auto shape(bool& ok, const extents<1>& v) {
    ok = true;
    return extents<2>{v[0], v[0]};
  }
  template <class T, class V>
  static void compute(T* out, const V& v) {
    const std::size_t n = v.shape[0];
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) out[i * n + j] = i == j ? dense_detail::element(v, i) : T(0);
  }
  static constexpr auto vjp(auto g, auto, auto) { return make_node<diagonal_op>(g); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<diag_op>(get<0>(t)); }
};

template <expression A>
constexpr auto cholesky(A a) { return make_checked<cholesky_op>(a); }
// L X = B for lower triangular L (its upper triangle is not read).
template <expression L, expression B>
constexpr auto solve_triangular(L l, B b) { return make_checked<triangular_solve_op<false>>(l, b); }
template <expression A, expression B>
constexpr auto solve(A a, B b) { return make_checked<solve_op>(a, b); }
template <expression A>
constexpr auto logdet(A a) { return make_checked<determinant_op<true>>(a); }
template <expression A>
constexpr auto det(A a) { return make_checked<determinant_op<false>>(a); }
template <expression A>
constexpr auto diagonal(A a) { return make_checked<diagonal_op>(a); }
template <expression V>
constexpr auto diag(V v) { return make_checked<diag_op>(v); }
template <expression A>
constexpr auto trace(A a) { return sum(diagonal(a)); }
// The identity matrix of a square matrix's shape and dtype.
template <expression A>
constexpr auto eye_like(A a) { return diag(broadcast_like(lit<1>{}, diagonal(a))); }

// The N x N identity matrix of dtype T: a node without operands, written by
// a routine on each call (N^2 stores).
template <std::size_t N, class T>
struct eye_op : routine_op<eye_op<N, T>> {
  static constexpr const char* name = "eye";
  template <class... A> using dtype = T;
  static constexpr auto shape(bool& ok) {
    ok = true;
    return extents<2>{N, N};
  }
  template <class U>
  static void compute(U* out) {
    for (std::size_t i = 0; i < N * N; ++i) out[i] = i % (N + 1) == 0 ? U(1) : U(0);
  }
};
template <std::size_t N, dtype T = double>
constexpr auto eye() { return make_node<eye_op<N, T>>(); }

}  // namespace theon
