#pragma once
// Routines along one axis of an array, NumPy's:
//   cumsum(x, theon::axis<k>), cumprod(x, theon::axis<k>): running sums and
//     products (a vector's axis may be left out);
//   argmax(x[, theon::axis<k>]), argmin(...): the position of the first
//     largest (smallest) element, int64, over the flattened array or along k;
//   roll<S>(x[, theon::axis<k>]): the elements moved S places on, wrapping
//     around, over the flattened array or along k.
// Each is a routine over the whole operand, like the dense ops. cumsum's
// adjoint is the running sum from the other end, cumprod's a routine exact
// where x has zeros (differentiable once more: Hessians), roll's a roll
// back; argmax and argmin are integer valued, with no derivative.
#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include "theon/ops/axes.hpp"
#include "theon/ops/dense.hpp"
#include "theon/ops/reduce.hpp"
#include "theon/ops/subscript.hpp"

namespace theon {

namespace cumulative_detail {
// The axis an option names (negative counts from the end); out of range, a
// position no operand has, which the ops' checks reject.
constexpr std::size_t axis_index(int axis, std::size_t rank) {
  return static_cast<std::size_t>(axis < 0 ? axis + static_cast<int>(rank) : axis);
}
// The axes argmax, argmin and roll work along: the one named, or with none
// every axis (the flattened array). A vector's two forms are one type.
template <std::size_t Rank, int... A>
struct along_axes {
  using type = std::index_sequence<axis_index(A, Rank)...>;
};
template <std::size_t Rank>
struct along_axes<Rank> {
  using type = std::make_index_sequence<Rank>;
};

// A row-major array seen along one axis: outer blocks of n steps of inner
// elements each. Along more than one axis, the flattened array: one block of
// every element.
struct split {
  std::size_t outer = 1, n = 1, inner = 1;
};
template <std::size_t... Axes, std::size_t R>
split along(const extents<R>& shape) {
  split s;
  for (std::size_t a = 0; a < R; ++a) {
    if (sizeof...(Axes) != 1 || ((a == Axes) || ...)) s.n *= shape[a];
    else if (((a < Axes) || ...)) s.outer *= shape[a];
    else s.inner *= shape[a];
  }
  return s;
}

// f(at, before, line, k) for each step k = 1, ..., n - 1 along the axis
// (Backward: k = n - 2, ..., 0): `at` is the row-major position of step k,
// `before` that of the step taken before it (k - 1, Backward k + 1), `line`
// the position with the axis removed. Innermost are contiguous elements.
template <bool Backward, class F>
void for_each_step(const split& s, F f) {
  for (std::size_t o = 0; o < s.outer; ++o)
    for (std::size_t t = 1; t < s.n; ++t) {
      const std::size_t k = Backward ? s.n - 1 - t : t, before = Backward ? k + 1 : k - 1;
      for (std::size_t j = 0; j < s.inner; ++j)
        f((o * s.n + k) * s.inner + j, (o * s.n + before) * s.inner + j, o * s.inner + j, k);
    }
}

// x's elements, row-major, in a buffer of their own (not a std::vector: bool's has no data()).
template <class T, class X>
std::unique_ptr<T[]> row_major_copy(const X& x) {
  std::size_t count = 1;
  for (std::size_t n : x.shape) count *= n;
  auto out = std::make_unique<T[]>(count);
  dense_detail::copy_row_major(out.get(), x);
  return out;
}
}  // namespace cumulative_detail

// cumprod's derivative routines: adjoint(g, x), tangent(t, x), and their
// own derivatives second_adjoint(g, w, x) and second_tangent(t, u, x).
enum class cumprod_form { adjoint, tangent, second_adjoint, second_tangent };
template <std::size_t Axis, cumprod_form Form>
struct cumprod_derivative_op;

// What cumsum, cumprod and roll share: a routine over one operand, read in
// its own dtype, whose result has the operand's shape.
struct shape_keeping_op {
  using kind = dense;
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& x) {
    ok = true;
    return x;
  }
  template <class X>
  using shape_type = static_shape_t<X>;
  template <std::size_t K, class X>
  using operand_dtype = dtype_t<X>;
};

// Running sums (Combine std::plus) or products (std::multiplies) along Axis.
template <class Combine, std::size_t Axis>
struct running_op : shape_keeping_op {
  static constexpr bool product = same_type<Combine, std::multiplies<>>;
  static constexpr const char* name = product ? "cumprod" : "cumsum";
  static constexpr std::size_t axis = Axis;
  template <class X>
  static constexpr void check() {
    static_assert(product || Axis < rank_v<X>, "theon::cumsum: the axis is out of range for the rank of its operand");
    static_assert(!product || Axis < rank_v<X>, "theon::cumprod: the axis is out of range for the rank of its operand");
  }
  template <class X>
  using dtype = typename sum_op<false, Axis>::template dtype<X>;  // integers accumulate in int64, as sum's and prod's

  // x copied row-major, then combined in place along the axis.
  template <class T, class X>
  static void compute(T* out, const X& x) {
    dense_detail::copy_row_major(out, x);
    cumulative_detail::for_each_step<false>(cumulative_detail::along<Axis>(x.shape),
                                            [&](std::size_t at, std::size_t before, std::size_t, std::size_t) {
                                              out[at] = Combine{}(out[before], out[at]);
                                            });
  }
  // cumsum: d/dx_k of sum_j g_j cumsum_j = sum_{j >= k} g_j, the running sum
  // of g from the end. cumprod: sum_{j >= k} g_j prod_{i <= j, i != k} x_i,
  // by routines that divide by nothing, so exact at zeros (below).
  static constexpr auto vjp(auto g, auto self, auto x) {
    if constexpr (product) return make_node<cumprod_derivative_op<Axis, cumprod_form::adjoint>>(in_memory(g, self), x);
    else return flip_axis<Axis>(make_node<running_op>(flip_axis<Axis>(g)));
  }
  static constexpr auto jvp(auto, auto t, auto x) {
    if constexpr (product) return make_node<cumprod_derivative_op<Axis, cumprod_form::tangent>>(get<0>(t), x);
    else return make_node<running_op>(get<0>(t));
  }
};

// The derivatives of P = cumprod(x) along Axis, exact where x has zeros: no
// division, each a pass or two of O(n) along the axis over the recurrence
// P_k = x_k P_{k-1} (P_{-1} = 1) and its derivatives, with J = dP/dx:
//   tangent(t, x) = J t:   D_k = x_k D_{k-1} + t_k P_{k-1};
//   adjoint(g, x) = J^T g: S_k P_{k-1}, with S_k = g_k + x_{k+1} S_{k+1}, that
//     is sum_{j >= k} g_j prod_{i <= j, i != k} x_i;
//   second_adjoint(g, w, x) = d/dx (g . J w), reverse mode through the
//     tangent's recurrence: Q_k P_{k-1} + S_k D_{k-1} (D of w), with
//     Q_k = w_{k+1} S_{k+1} + x_{k+1} Q_{k+1};
//   second_tangent(t, u, x) = (d/dx (J t)) u: F_k = x_k F_{k-1} + u_k D_{k-1}
//     + t_k E_{k-1} (D of t, E of u).
// The first two differentiate into the second two, so Hessians through
// cumprod work; a third derivative is a compile error.
template <std::size_t Axis, cumprod_form Form>
struct cumprod_derivative_op {
  using kind = dense;
  static constexpr const char* name = Form == cumprod_form::adjoint    ? "cumprod_adjoint"
                                      : Form == cumprod_form::tangent ? "cumprod_tangent"
                                      : Form == cumprod_form::second_adjoint ? "cumprod_second_adjoint"
                                                                             : "cumprod_second_tangent";
  static constexpr std::size_t axis = Axis;
  // Operands: one or two arrays of x's shape, then x.
  template <class... A>
  using shape_type = static_shape_t<typename type_at<sizeof...(A) - 1, type_list<A...>>::type>;
  template <class... A>
  using dtype = promote_t<dtype_t<A>...>;
  template <std::size_t K, class... A>
  using operand_dtype = dtype<A...>;
  template <std::size_t R, std::size_t... Rest>
  static constexpr auto shape(bool& ok, const extents<R>& a, const extents<Rest>&...) {
    ok = true;
    return a;  // every operand has x's shape
  }

  template <class T, class A, class X>
  static void compute(T* out, const A& a, const X& x) {
    compute(out, a, a, x);  // the second operand unread
  }
  template <class T, class A, class B, class X>
  static void compute(T* out, const A& a, const B& b, const X& x) {
    using cumulative_detail::for_each_step;
    using cumulative_detail::row_major_copy;
    using std::size_t;
    const auto s = cumulative_detail::along<Axis>(x.shape);
    const auto xs = row_major_copy<T>(x), p = row_major_copy<T>(x);
    for_each_step<false>(s, [&](size_t at, size_t before, size_t, size_t) { p[at] *= p[before]; });
    if constexpr (Form == cumprod_form::tangent) {
      dense_detail::copy_row_major(out, a);
      for_each_step<false>(s, [&](size_t at, size_t before, size_t, size_t) { out[at] = xs[at] * out[before] + p[before] * out[at]; });
    } else if constexpr (Form == cumprod_form::adjoint) {
      dense_detail::copy_row_major(out, a);
      for_each_step<true>(s, [&](size_t at, size_t after, size_t, size_t) { out[at] += xs[after] * out[after]; });
      for_each_step<false>(s, [&](size_t at, size_t before, size_t, size_t) { out[at] *= p[before]; });
    } else {
      std::fill(out, out + s.outer * s.n * s.inner, T(0));
      const auto d = row_major_copy<T>(b), e = row_major_copy<T>(a);
      if constexpr (Form == cumprod_form::second_adjoint) {  // out: Q; e: g, then S; d: w, then D
        for_each_step<true>(s, [&](size_t at, size_t after, size_t, size_t) {
          out[at] = d[after] * e[after] + xs[after] * out[after];
          e[at] += xs[after] * e[after];
        });
        for_each_step<false>(s, [&](size_t at, size_t before, size_t, size_t) {
          out[at] = out[at] * p[before] + e[at] * d[before];
          d[at] = xs[at] * d[before] + p[before] * d[at];
        });
      } else {  // out: F; e: t, then D; d: u, then E
        for_each_step<false>(s, [&](size_t at, size_t before, size_t, size_t) {
          out[at] = xs[at] * out[before] + d[at] * e[before] + e[at] * d[before];
          e[at] = xs[at] * e[before] + p[before] * e[at];
          d[at] = xs[at] * d[before] + p[before] * d[at];
        });
      }
    }
  }

  // The first derivatives' own: each is linear in its first operand, with the
  // other's routine as adjoint and tangent, and the second forms in x.
  template <cumprod_form F, class... A>
  static constexpr auto made(A... operands) {
    if constexpr ((is_zero_v<A> || ...)) return lit<0>{};
    else return make_node<cumprod_derivative_op<Axis, F>>(operands...);
  }
  static constexpr bool first = Form == cumprod_form::adjoint || Form == cumprod_form::tangent;
  static constexpr cumprod_form other = Form == cumprod_form::adjoint ? cumprod_form::tangent : cumprod_form::adjoint;
  template <std::size_t K, class G, class Self, class... Operands>
  static constexpr auto vjp(G g, Self self, Operands... operands) {
    static_assert(first || dependent_false<G>::value, "theon::cumprod: third derivatives through cumprod are not available");
    if constexpr (first) return adjoint_of<K>(in_memory(g, self), operands...);
    else return lit<0>{};
  }
  template <class Self, class Tangents, class... Operands>
  static constexpr auto jvp(Self, Tangents t, Operands... operands) {
    static_assert(first || dependent_false<Self>::value, "theon::cumprod: third derivatives through cumprod are not available");
    if constexpr (first) return tangent_of(get<0>(t), get<1>(t), operands...);
    else return lit<0>{};
  }
  // h's part for operand K (a, or x).
  template <std::size_t K>
  static constexpr auto adjoint_of(auto h, auto a, auto x) {
    if constexpr (K == 0) return made<other>(h, x);
    else if constexpr (Form == cumprod_form::adjoint) return made<cumprod_form::second_adjoint>(a, h, x);
    else return made<cumprod_form::second_adjoint>(h, a, x);
  }
  // The tangent from a's tangent ta and x's tx.
  static constexpr auto tangent_of(auto ta, auto tx, auto a, auto x) {
    constexpr cumprod_form second = Form == cumprod_form::adjoint ? cumprod_form::second_adjoint : cumprod_form::second_tangent;
    return plus(made<Form>(ta, x), made<second>(a, tx, x));
  }
};

namespace cumulative_detail {
template <class Combine, expression X, int... A>
constexpr auto running(X x, axes_t<A...>) {
  return make_checked<running_op<Combine, axis_index((0 + ... + A), rank_v<X>)>>(x);
}
}  // namespace cumulative_detail

template <expression X, int... A>
constexpr auto cumsum(X x, axes_t<A...> a = {}) {
  static_assert(sizeof...(A) == 1 || rank_v<X> == 1, "theon::cumsum: name the axis (theon::axis<k>) of a matrix or tensor");
  return cumulative_detail::running<std::plus<>>(x, a);
}
template <expression X, int... A>
constexpr auto cumprod(X x, axes_t<A...> a = {}) {
  static_assert(sizeof...(A) == 1 || rank_v<X> == 1, "theon::cumprod: name the axis (theon::axis<k>) of a matrix or tensor");
  return cumulative_detail::running<std::multiplies<>>(x, a);
}

// The position of the first largest (Max) or smallest element along the one
// axis of Axes, or over the flattened array when Axes are all of x's axes:
// NumPy's argmax and argmin, NaN counting as the extreme (the first NaN wins).
// An empty axis has no such position: a shape_error.
template <bool Max, std::size_t... Axes>
struct extreme_position_op : routine_op<extreme_position_op<Max, Axes...>> {
  static constexpr const char* name = Max ? "argmax" : "argmin";
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};
  static constexpr const char* mismatch_reason = "nothing to search: the axis (without one, the array) is empty";
  template <class X>
  static constexpr void check() {
    static_assert(!Max || ((Axes < rank_v<X>) && ...), "theon::argmax: the axis is out of range for the rank of its operand");
    static_assert(Max || ((Axes < rank_v<X>) && ...), "theon::argmin: the axis is out of range for the rank of its operand");
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& x) {
    constexpr bool flat = sizeof...(Axes) != 1;
    ok = true;
    extents<flat ? 0 : R - 1> out{};
    for (std::size_t a = 0, o = 0; a < R; ++a) {
      if (flat || ((a == Axes) || ...)) ok = ok && x[a] != 0;
      else out[o++] = x[a];
    }
    return out;
  }
  template <class X>
  using dtype = int64;
  template <std::size_t K, class X>
  using operand_dtype = dtype_t<X>;

  // The running extreme carried along the axis in a copy of x, its position in out.
  template <class X>
  static void compute(int64* out, const X& x) {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(x.data)>>;
    const auto s = cumulative_detail::along<Axes...>(x.shape);
    const auto best = cumulative_detail::row_major_copy<T>(x);
    for (std::size_t i = 0; i < s.outer * s.inner; ++i) out[i] = 0;
    cumulative_detail::for_each_step<false>(s, [&](std::size_t at, std::size_t before, std::size_t line, std::size_t k) {
      const T v = best[at], b = best[before];
      if (!is_nan(b) && (is_nan(v) || (Max ? v > b : v < b))) out[line] = static_cast<int64>(k);
      else best[at] = b;
    });
  }
  // Integer valued: no derivative flows through.
  static constexpr auto vjp(auto, auto, auto) { return lit<0>{}; }
  static constexpr auto jvp(auto, auto, auto) { return lit<0>{}; }
};

// x's elements moved Shift places on along the one axis of Axes, or over the
// flattened array when Axes are all of x's axes; those pushed past the end
// come back at the start. Its adjoint rolls back.
template <std::ptrdiff_t Shift, std::size_t... Axes>
struct roll_op : shape_keeping_op {
  static constexpr const char* name = "roll";
  static constexpr std::array<printed_option, 1> printed_options{{{"shift", Shift}}};
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};
  template <class X>
  static constexpr void check() {
    static_assert(((Axes < rank_v<X>) && ...), "theon::roll: the axis is out of range for the rank of its operand");
  }
  template <class X>
  using dtype = dtype_t<X>;

  // Element e, at step k of its axis, goes to step (k + Shift) mod n.
  template <class T, class X>
  static void compute(T* out, const X& x) {
    const auto s = cumulative_detail::along<Axes...>(x.shape);
    if (s.n == 0) return;
    const long long n = static_cast<long long>(s.n);
    const auto by = static_cast<std::size_t>((Shift % n + n) % n);
    dense_detail::for_each_index(x.shape, [&](const auto& at, std::size_t e) {
      const std::size_t k = e / s.inner % s.n, to = (k + by) % s.n;
      out[e + (to - k) * s.inner] = static_cast<T>(x.data[dense_detail::offset_at(x, at)]);
    });
  }
  static constexpr auto vjp(auto g, auto self, auto) { return make_node<roll_op<-Shift, Axes...>>(in_memory(g, self)); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<roll_op>(get<0>(t)); }
};

namespace cumulative_detail {
// Op<Axes...> for x and the axis a call names (along_axes).
template <template <std::size_t...> class Op, expression X, int... A>
constexpr auto made_along(X x, axes_t<A...>) {
  return [&]<std::size_t... Axes>(std::index_sequence<Axes...>) {
    return make_checked<Op<Axes...>>(x);
  }(typename along_axes<rank_v<X>, A...>::type{});
}
template <std::size_t... Axes>
using argmax_op = extreme_position_op<true, Axes...>;
template <std::size_t... Axes>
using argmin_op = extreme_position_op<false, Axes...>;
template <std::ptrdiff_t Shift>
struct roll_by {
  template <std::size_t... Axes>
  using op = roll_op<Shift, Axes...>;
};
}  // namespace cumulative_detail

// argmax(x): NumPy's argmax(x), an int64 number; argmax(x, theon::axis<k>):
// argmax(x, axis=k), x's shape without axis k. argmin likewise.
template <expression X, int... A>
constexpr auto argmax(X x, axes_t<A...> a = {}) {
  static_assert(sizeof...(A) <= 1, "theon::argmax: searches along one axis, or the flattened array (no axis)");
  return cumulative_detail::made_along<cumulative_detail::argmax_op>(x, a);
}
template <expression X, int... A>
constexpr auto argmin(X x, axes_t<A...> a = {}) {
  static_assert(sizeof...(A) <= 1, "theon::argmin: searches along one axis, or the flattened array (no axis)");
  return cumulative_detail::made_along<cumulative_detail::argmin_op>(x, a);
}
// roll<S>(x): NumPy's roll(x, S); roll<S>(x, theon::axis<k>): roll(x, S, axis=k).
template <std::ptrdiff_t Shift, expression X, int... A>
constexpr auto roll(X x, axes_t<A...> a = {}) {
  static_assert(sizeof...(A) <= 1, "theon::roll: rolls along one axis, or the flattened array (no axis)");
  return cumulative_detail::made_along<cumulative_detail::roll_by<Shift>::template op>(x, a);
}

}  // namespace theon
