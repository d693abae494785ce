#pragma once
// dot, matmul (contractions), transpose, expand_dims, squeeze (views), outer.
#include <tuple>

#include "theon/ops/arithmetic.hpp"
#include "theon/ops/axes.hpp"
#include "theon/ops/broadcast.hpp"

namespace theon {

// NumPy's dot and matmul agree on operands of rank 1 and 2:
// (n)(n) -> (), (m,n)(n) -> (m), (n)(n,p) -> (p), (m,n)(n,p) -> (m,p).
// matmul also takes stacks of matrices (rank 3), as NumPy does: (b,m,n)(b,n,p)
// -> (b,m,p), one product per batch; a matrix on one side is shared by every
// batch of the other, (b,m,n)(n,p) -> (b,m,p) and (m,n)(b,n,p) -> (b,m,p).
struct matmul_op;
template <std::size_t... Perm>
struct transpose_op;

template <class Derived>
struct contraction_op {
  using kind = contraction;
  static constexpr bool batches = same_type<Derived, matmul_op>;

  // The axis of B its rows run along (the contracted one): 0, or 1 for a stack.
  template <std::size_t RB>
  static constexpr std::size_t inner_axis_of_b = RB == 3 ? 1 : 0;

  template <class A, class B>
  static constexpr void check() {
    constexpr std::size_t ra = rank_v<A>, rb = rank_v<B>;
    constexpr bool stacked = ra == 3 || rb == 3;
    static_assert(!stacked || batches, "theon: dot takes operands of rank 1 or 2 (matmul takes stacks of matrices)");
    static_assert(!stacked || (ra >= 2 && rb >= 2 && ra <= 3 && rb <= 3),
                  "theon::matmul: a stack of matrices (rank 3) is multiplied by a stack or a matrix, not a vector");
    static_assert(ra >= 1 && ra <= 3 && rb >= 1 && rb <= 3 && (stacked || (ra <= 2 && rb <= 2)),
                  "theon: dot and matmul take operands of rank 1 or 2, matmul also stacks of matrices (rank 3); scale by a scalar "
                  "with *");
    if constexpr (ra >= 1 && ra <= 3 && rb >= 1 && rb <= 3) {
      constexpr std::size_t ka = static_shape_t<A>::extents[ra - 1], kb = static_shape_t<B>::extents[inner_axis_of_b<rb>];
      static_assert(ka == dyn || kb == dyn || ka == kb,
                    "theon: dot and matmul need the inner extents of their operands to agree");
      if constexpr (ra == 3 && rb == 3) {
        constexpr std::size_t ba = static_shape_t<A>::extents[0], bb = static_shape_t<B>::extents[0];
        static_assert(ba == dyn || bb == dyn || ba == bb, "theon::matmul: two stacks of matrices need the same number of matrices");
      }
    }
    static_assert(same_type<storage_t<dtype_t<A>>, storage_t<dtype_t<B>>> && !same_type<dtype_t<A>, bool>,
                  "theon: dot and matmul need two operands of the same numeric dtype (convert one with theon::cast<T>)");
  }

  // The extent both operands share: the last of a and the first of b.
  template <std::size_t RA, std::size_t RB>
  static constexpr std::size_t inner(const extents<RA>& a, const extents<RB>&) { return a[RA - 1]; }

  template <std::size_t RA, std::size_t RB>
  static constexpr auto shape(bool& ok, const extents<RA>& a, const extents<RB>& b) {
    constexpr std::size_t kb = inner_axis_of_b<RB>;
    ok = a[RA - 1] == b[kb] || a[RA - 1] == dyn || b[kb] == dyn;
    if constexpr (RA == 3 || RB == 3) {
      if constexpr (RA == 3 && RB == 3) ok = ok && (a[0] == b[0] || a[0] == dyn || b[0] == dyn);
      return extents<3>{RA == 3 ? a[0] : b[0], a[RA - 2], b[RB - 1]};
    } else {
      extents<RA + RB - 2> out{};
      std::size_t o = 0;
      if constexpr (RA == 2) out[o++] = a[0];
      if constexpr (RB == 2) out[o++] = b[1];
      return out;
    }
  }

  template <class A, class B>
  static constexpr auto static_extents() {
    bool ok = true;
    return shape(ok, static_shape_t<A>::extents, static_shape_t<B>::extents);
  }
  template <class A, class B>
  using shape_type = shape_of_array<static_extents<A, B>()>;
  template <class A, class B>
  using dtype = arithmetic_t<promote_t<dtype_t<A>, dtype_t<B>>>;
  template <std::size_t I, class A, class B>
  using operand_dtype = dtype<A, B>;

  // Adjoints for each rank combination: C = A B gives dA = G B^T and dB = A^T G,
  // with vectors as rows on the left and columns on the right; for stacks,
  // each matrix transposed, and a matrix shared by every batch gets the sum
  // of the batches' adjoints.
  template <std::size_t K, class G, class Out, class A, class B>
  static constexpr auto vjp(G g, Out, A a, B b) {
    constexpr std::size_t ra = rank_v<A>, rb = rank_v<B>;
    if constexpr (ra == 3 || rb == 3) {
      const auto each_transposed = [](auto m) {
        if constexpr (rank_v<decltype(m)> == 3) return make_node<transpose_op<0, 2, 1>>(m);
        else return transpose(m);
      };
      if constexpr (K == 0 && ra == 2) return sum(matmul(g, each_transposed(b)), axes_t<0>{});
      else if constexpr (K == 0) return matmul(g, each_transposed(b));
      else if constexpr (rb == 2) return sum(matmul(each_transposed(a), g), axes_t<0>{});
      else return matmul(each_transposed(a), g);
    } else if constexpr (K == 0) {
      if constexpr (ra == 1 && rb == 1) return times(g, b);
      else if constexpr (ra == 2 && rb == 1) return outer(g, b);
      else if constexpr (ra == 1) return matmul(b, g);
      else return matmul(g, transpose(b));
    } else {
      if constexpr (ra == 1 && rb == 1) return times(g, a);
      else if constexpr (ra == 2 && rb == 1) return matmul(g, a);
      else if constexpr (ra == 1) return outer(a, g);
      else return matmul(transpose(a), g);
    }
  }
  // Bilinear: d(A B) = dA B + A dB.
  template <class Out, class T, class A, class B>
  static constexpr auto jvp(Out, T t, A a, B b) {
    const auto ta = get<0>(t);
    const auto tb = get<1>(t);
    auto left = [&] {
      if constexpr (is_zero_v<decltype(ta)>) return lit<0>{};
      else return make_node<Derived>(ta, b);
    };
    auto right = [&] {
      if constexpr (is_zero_v<decltype(tb)>) return lit<0>{};
      else return make_node<Derived>(a, tb);
    };
    return plus(left(), right());
  }
};

struct dot_op : contraction_op<dot_op> {
  static constexpr const char* name = "dot";
};
struct matmul_op : contraction_op<matmul_op> {
  static constexpr const char* name = "matmul";
};

// Memory seen through extents and strides: what a view makes of its
// operand's memory (the runners' views have the same members).
template <class T, std::size_t R>
struct strided_memory {
  T* data = nullptr;
  extents<R> shape{};
  std::array<std::ptrdiff_t, R> strides{};
};

// Views reindex their operand's memory: out index i reads in index map(i).
// seen_through(from) is the new view; a view that also moves the start (a subscript)
// gives its own.
template <class Derived>
struct view_op {
  using kind = view;
  template <class View>
  static auto seen_through(const View& from) {
    using T = std::remove_reference_t<decltype(*from.data)>;
    const auto shape = Derived::reindex(from.shape, std::size_t{1});
    return strided_memory<T, std::tuple_size_v<decltype(shape)>>{from.data, shape,
                                                                 Derived::reindex(from.strides, std::ptrdiff_t{0})};
  }
  template <class A>
  static constexpr auto static_extents() {
    bool ok = true;
    return Derived::shape(ok, static_shape_t<A>::extents);
  }
  template <class A>
  using shape_type = shape_of_array<static_extents<A>()>;
  template <class A>
  using dtype = dtype_t<A>;
  template <std::size_t I, class A>
  using operand_dtype = dtype_t<A>;
};

// Axes permuted: out axis i is in axis Perm[i].
template <std::size_t... Perm>
struct transpose_op : view_op<transpose_op<Perm...>> {
  static constexpr const char* name = "transpose";
  static constexpr std::array<std::size_t, sizeof...(Perm)> perm{Perm...};

  template <class A>
  static constexpr void check() {
    static_assert(rank_v<A> == sizeof...(Perm), "theon::transpose: the permutation must name every axis of its operand");
    constexpr auto sorted = [] {
      auto p = perm;
      std::sort(p.begin(), p.end());
      return p;
    }();
    constexpr bool is_permutation = [&] {
      for (std::size_t i = 0; i < sorted.size(); ++i)
        if (sorted[i] != i) return false;
      return true;
    }();
    static_assert(is_permutation, "theon::transpose: the axes must be a permutation of 0 .. rank-1");
  }

  template <class T, std::size_t R>
  static constexpr std::array<T, R> reindex(const std::array<T, R>& in, T /*no new axes*/) {
    std::array<T, R> out{};
    for (std::size_t i = 0; i < R; ++i) out[i] = in[perm[i]];
    return out;
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& in) {
    ok = true;
    return reindex(in, std::size_t{0});
  }

  // The adjoint goes back through the inverse permutation.
  static constexpr std::array<std::size_t, sizeof...(Perm)> inverse = [] {
    std::array<std::size_t, sizeof...(Perm)> inv{};
    for (std::size_t i = 0; i < sizeof...(Perm); ++i) inv[perm[i]] = i;
    return inv;
  }();
  static constexpr auto vjp(auto g, auto, auto) {
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      return make_node<transpose_op<inverse[I]...>>(g);
    }(std::make_index_sequence<sizeof...(Perm)>{});
  }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<transpose_op>(get<0>(t)); }
};

template <std::size_t... Axes>
struct squeeze_op;

// A new axis of extent 1 at position Axis.
template <std::size_t Axis>
struct expand_dims_op : view_op<expand_dims_op<Axis>> {
  static constexpr const char* name = "expand_dims";
  static constexpr std::size_t axis = Axis;
  template <class A>
  static constexpr void check() {
    static_assert(Axis <= rank_v<A>, "theon::expand_dims: the new axis is out of range");
  }
  template <class T, std::size_t R>
  static constexpr std::array<T, R + 1> reindex(const std::array<T, R>& in, T inserted) {
    std::array<T, R + 1> out{};
    for (std::size_t i = 0, j = 0; i < R + 1; ++i) out[i] = i == Axis ? inserted : in[j++];
    return out;
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& in) {
    ok = true;
    return reindex(in, std::size_t{1});
  }
  static constexpr auto vjp(auto g, auto, auto) { return make_node<squeeze_op<Axis>>(g); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<expand_dims_op>(get<0>(t)); }
};

// The given axes, each of extent 1, removed.
template <std::size_t... Axes>
struct squeeze_op : view_op<squeeze_op<Axes...>> {
  static constexpr const char* name = "squeeze";
  static constexpr bool removes(std::size_t axis) { return ((axis == Axes) || ...); }
  template <class T, std::size_t R>
  static constexpr auto reindex(const std::array<T, R>& in, T /*no new axes*/) {
    std::array<T, R - sizeof...(Axes)> out{};
    for (std::size_t i = 0, o = 0; i < R; ++i)
      if (!removes(i)) out[o++] = in[i];
    return out;
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& in) {
    ok = true;
    for (std::size_t i = 0; i < R; ++i) ok = ok && (!removes(i) || in[i] == 1 || in[i] == dyn);
    return reindex(in, std::size_t{0});
  }
  static constexpr auto vjp(auto g, auto, auto) { return expand_dims_at<Axes...>(g); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<squeeze_op>(get<0>(t)); }
};

// g with new axes of extent 1 at the given positions, inserted in ascending
// order so that each lands where it is named. A literal is left alone: it
// broadcasts against any shape already.
template <std::size_t... Axes>
constexpr auto expand_dims_at(auto g) {
  if constexpr (sizeof...(Axes) == 0 || is_lit_v<decltype(g)>) return g;
  else
    return []<std::size_t First, std::size_t... Rest>(auto g, std::index_sequence<First, Rest...>) {
      return expand_dims_at<Rest...>(make_node<expand_dims_op<First>>(g));
    }(g, std::index_sequence<Axes...>{});
}

// Ops defined by what they lower to; their shape and dtype follow from it.
template <class Op, class... A>
struct lowered_form {
  using type = decltype(Op::lower(A{}...));
};

template <class Derived>
struct composite_op {
  using kind = composite;
  template <class... A>
  using shape_type = static_shape_t<typename lowered_form<Derived, A...>::type>;
  template <class... A>
  using dtype = dtype_t<typename lowered_form<Derived, A...>::type>;
};

// outer(a, b)[i, j] = a[i] * b[j]: a broadcast product of a column and a row.
struct outer_op : composite_op<outer_op> {
  static constexpr const char* name = "outer";
  template <class A, class B>
  static constexpr void check() {
    static_assert(rank_v<A> == 1 && rank_v<B> == 1, "theon::outer: both operands must be vectors (rank 1)");
  }
  template <class A, class B>
  static constexpr auto lower(A a, B b) {
    return make_node<expand_dims_op<1>>(a) * make_node<expand_dims_op<0>>(b);
  }
  // outer(a, b) = a b^T: da = G b, db = G^T a.
  template <std::size_t K> static constexpr auto vjp(auto g, auto, auto a, auto b) {
    if constexpr (K == 0) return matmul(g, b);
    else return matmul(a, g);
  }
  static constexpr auto jvp(auto, auto t, auto a, auto b) {
    const auto ta = get<0>(t);
    const auto tb = get<1>(t);
    auto left = [&] {
      if constexpr (is_zero_v<decltype(ta)>) return lit<0>{};
      else return outer(ta, b);
    };
    auto right = [&] {
      if constexpr (is_zero_v<decltype(tb)>) return lit<0>{};
      else return outer(a, tb);
    };
    return plus(left(), right());
  }
};

// gemm(alpha, A, B, beta, C) = alpha * matmul(A, B) + beta * C, with C
// broadcast over the product's shape (a bias row included): BLAS's gemm, one
// kernel writing one buffer. The opt-in phases::fuse_gemm rule builds it from that sum.
struct gemm_op {
  using kind = contraction;
  static constexpr const char* name = "gemm";
  static constexpr const char* mismatch_reason =
      "the inner extents of A and B differ, or C does not broadcast to the shape of their product";

  template <class Alpha, class A, class B, class Beta, class C>
  static constexpr void check() {
    matmul_op::check<A, B>();
    static_assert(rank_v<A> <= 2 && rank_v<B> <= 2, "theon::gemm: A and B are vectors or matrices (no stacks)");
    static_assert(rank_v<Alpha> == 0 && rank_v<Beta> == 0, "theon::gemm: alpha and beta must be scalars");
    static_assert(same_type<storage_t<dtype_t<C>>, storage_t<dtype_t<A>>>,
                  "theon::gemm: C must have the dtype of A and B");
    static_assert(rank_v<C> <= rank_v<A> + rank_v<B> - 2 || rank_v<C> == 0,
                  "theon::gemm: C must broadcast to the shape of the product A B");
  }

  template <std::size_t R0, std::size_t RA, std::size_t RB, std::size_t R3, std::size_t RC>
  static constexpr auto shape(bool& ok, const extents<R0>&, const extents<RA>& a, const extents<RB>& b,
                              const extents<R3>&, const extents<RC>& c) {
    auto out = matmul_op::shape(ok, a, b);
    constexpr std::size_t R = RA + RB - 2;
    if constexpr (RC > R) ok = false;
    else
      for (std::size_t i = 0; i != RC; ++i) ok = ok && (c[i] == 1 || c[i] == out[R - RC + i]);
    return out;
  }
  template <class Alpha, class A, class B, class Beta, class C>
  using shape_type = typename matmul_op::template shape_type<A, B>;
  template <class Alpha, class A, class B, class Beta, class C>
  using dtype = typename matmul_op::template dtype<A, B>;
  template <std::size_t I, class Alpha, class A, class B, class Beta, class C>
  using operand_dtype = dtype<Alpha, A, B, Beta, C>;

  // d(alpha A B + beta C): the product's adjoints scaled by alpha, C's summed
  // over the axes it is broadcast along (sum_to a scalar sums everything).
  template <std::size_t K>
  static constexpr auto vjp(auto g, auto, auto alpha, auto a, auto b, auto beta, auto c) {
    if constexpr (K == 0) return sum_to(g * matmul(a, b), alpha);
    else if constexpr (K == 1) return matmul_op::vjp<0>(times(alpha, g), lit<0>{}, a, b);
    else if constexpr (K == 2) return matmul_op::vjp<1>(times(alpha, g), lit<0>{}, a, b);
    else if constexpr (K == 3) return sum_to(g * c, beta);
    else return sum_to(times(beta, g), c);
  }
  static constexpr auto jvp(auto, auto t, auto alpha, auto a, auto b, auto beta, auto c) {
    const auto product = matmul_op::jvp(lit<0>{}, expr_list{get<1>(t), get<2>(t)}, a, b);
    return plus(plus(times(get<0>(t), matmul(a, b)), times(alpha, product)),
                plus(times(get<3>(t), c), times(beta, get<4>(t))));
  }
};

template <operand A, operand B>
constexpr auto dot(A a, B b) { return make_checked<dot_op>(a, b); }
template <operand A, operand B>
constexpr auto matmul(A a, B b) { return make_checked<matmul_op>(a, b); }
template <operand A, operand B>
constexpr auto outer(A a, B b) { return make_checked<outer_op>(a, b); }
template <operand Alpha, operand A, operand B, operand Beta, operand C>
constexpr auto gemm(Alpha alpha, A a, B b, Beta beta, C c) { return make_checked<gemm_op>(alpha, a, b, beta, c); }

// transpose(a) reverses the axes; transpose(a, axes<...>) permutes them.
template <expression A, int... Perm>
constexpr auto transpose(A a, axes_t<Perm...>) {
  return make_node<transpose_op<static_cast<std::size_t>(Perm < 0 ? Perm + int(rank_v<A>) : Perm)...>>(a);
}
template <expression A>
constexpr auto transpose(A a) {
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    return make_node<transpose_op<(rank_v<A> - 1 - I)...>>(a);
  }(std::make_index_sequence<rank_v<A>>{});
}
template <int Axis, expression A>
constexpr auto expand_dims(A a) {
  return make_node<expand_dims_op<static_cast<std::size_t>(Axis < 0 ? Axis + int(rank_v<A>) + 1 : Axis)>>(a);
}

}  // namespace theon
