#pragma once
// cumsum(x, theon::axis<k>): running sums along an axis, NumPy's cumsum (a
// vector's axis may be left out). A routine over the whole operand, like the
// dense ops; its adjoint is the running sum from the other end.
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "theon/ops/axes.hpp"
#include "theon/ops/dense.hpp"
#include "theon/ops/reduce.hpp"
#include "theon/ops/subscript.hpp"

namespace theon {

template <std::size_t Axis>
struct cumsum_op {
  using kind = dense;
  static constexpr const char* name = "cumsum";
  static constexpr std::size_t axis = Axis;
  template <class X>
  static constexpr void check() {
    static_assert(Axis < rank_v<X>, "theon::cumsum: the axis is out of range for the rank of its operand");
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& x) {
    ok = true;
    return x;
  }
  template <class X>
  using shape_type = static_shape_t<X>;
  template <class X>
  using dtype = typename sum_op<false, Axis>::template dtype<X>;  // integers accumulate in int64, as sum's
  template <std::size_t K, class X>
  using operand_dtype = dtype_t<X>;

  // x copied row-major, then summed in place along the axis: the result split as (outer, n, inner).
  template <class T, class X>
  static void compute(T* out, const X& x) {
    constexpr std::size_t R = std::tuple_size_v<decltype(x.shape)>;
    dense_detail::copy_row_major(out, x);
    std::size_t outer = 1, inner = 1;
    for (std::size_t a = 0; a < Axis; ++a) outer *= x.shape[a];
    for (std::size_t a = Axis + 1; a < R; ++a) inner *= x.shape[a];
    const std::size_t n = x.shape[Axis];
    for (std::size_t o = 0; o < outer; ++o)
      for (std::size_t k = 1; k < n; ++k)
        for (std::size_t j = 0; j < inner; ++j) out[(o * n + k) * inner + j] += out[(o * n + k - 1) * inner + j];
  }
  // d/dx_k of sum_j g_j cumsum_j = sum_{j >= k} g_j: the running sum of g from the end.
  static constexpr auto vjp(auto g, auto, auto) { return flip_axis<Axis>(make_node<cumsum_op>(flip_axis<Axis>(g))); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<cumsum_op>(get<0>(t)); }
};

template <expression X, int... A>
constexpr auto cumsum(X x, axes_t<A...> = {}) {
  static_assert(sizeof...(A) == 1 || rank_v<X> == 1, "theon::cumsum: name the axis (theon::axis<k>) of a matrix or tensor");
  constexpr int axis = (0 + ... + A);
  return make_checked<cumsum_op<static_cast<std::size_t>(axis < 0 ? axis + static_cast<int>(rank_v<X>) : axis)>>(x);
}

}  // namespace theon
