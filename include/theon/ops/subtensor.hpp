#pragma once
// set_subtensor(x(items...), v) and inc_subtensor(x(items...), v), Theano's
// names: x with the region the subscript selects replaced by v, or with v
// added to it. v broadcasts to the region, NumPy's rules. The result is a new
// array: x is not modified. A boundary condition is set_subtensor(u(slice<0, 1>), 0_c).
#include <cstddef>
#include <tuple>

#include "theon/ops/broadcast.hpp"
#include "theon/ops/subscript.hpp"

namespace theon {

template <bool Add, class... Items>
struct subtensor_op : routine_op<subtensor_op<Add, Items...>> {
  using region = subscript_op<Items...>;
  static constexpr const char* name = Add ? "inc_subtensor" : "set_subtensor";
  static constexpr const char* first_operand_suffix = region::suffix;  // printed set_subtensor(x[1:-1], v)
  static constexpr const char* mismatch_reason = "the values do not broadcast to the region, or an index is out of range";

  template <class X, class V>
  static constexpr void check() {
    region::template check<X>();
    static_assert(rank_v<V> <= rank_v<X> - region::dropped + region::added,
                  "theon::set_subtensor: the values have more axes than the region they go to");
  }
  template <std::size_t RX, std::size_t RV>
  static constexpr auto shape(bool& ok, const extents<RX>& x, const extents<RV>& v) {
    const auto r = region::shape(ok, x);
    constexpr std::size_t RR = std::tuple_size_v<decltype(r)>;
    if constexpr (RV <= RR)
      for (std::size_t k = 0; k < RV; ++k) {
        const std::size_t have = v[k], want = r[RR - RV + k];
        ok = ok && (have == 1 || have == want || have == dyn || want == dyn);
      }
    return x;
  }
  template <class X, class V>
  using dtype = promote_t<dtype_t<X>, dtype_t<V>>;
  template <std::size_t I, class X, class V>
  using operand_dtype = dtype<X, V>;

  template <class T, class X, class V>
  static void compute(T* out, const X& x, const V& v) {
    constexpr std::size_t RX = std::tuple_size_v<decltype(x.shape)>, RV = std::tuple_size_v<decltype(v.shape)>;
    const strided_memory<T, RX> whole = subscript_detail::row_major(out, x.shape);
    dense_detail::copy_row_major(out, x);
    const auto target = region::seen_through(whole);
    constexpr std::size_t RR = std::tuple_size_v<decltype(target.shape)>;
    dense_detail::for_each_index(target.shape, [&](const auto& at, std::size_t) {
      std::ptrdiff_t from = 0;  // v broadcast to the region: aligned on the right, extents of 1 repeated
      for (std::size_t k = 0; k < RV; ++k)
        from += v.shape[k] == 1 ? 0 : static_cast<std::ptrdiff_t>(at[RR - RV + k]) * v.strides[k];
      T& slot = target.data[dense_detail::offset_at(target, at)];
      slot = Add ? slot + static_cast<T>(v.data[from]) : static_cast<T>(v.data[from]);
    });
  }

  // x-bar: g, with the region zeroed where it was replaced; v-bar: g's region summed down to v's shape.
  template <std::size_t K>
  static constexpr auto vjp(auto g, auto, auto, auto v) {
    const auto g_region = make_node<region>(g);
    if constexpr (K == 1) return sum_to(g_region, v);
    else if constexpr (Add) return g;
    else return make_node<subtensor_op>(g, broadcast_like(lit<0>{}, g_region));
  }
  // The same replacement (or addition) of the tangents; a zero tangent is an array of zeros.
  static constexpr auto jvp(auto, auto t, auto x, auto) {
    const auto tx = get<0>(t);
    const auto tv = get<1>(t);
    return make_node<subtensor_op>(zeros_where_zero(tx, x), zeros_where_zero(tv, make_node<region>(x)));
  }

 private:
  static constexpr auto zeros_where_zero(auto tangent, auto like) {
    if constexpr (is_zero_v<decltype(tangent)>) return broadcast_like(lit<0>{}, like);
    else return tangent;
  }
};

template <class... Items, expression X, expression V>
constexpr auto set_subtensor(node<subscript_op<Items...>, X> region, V v) {
  return make_checked<subtensor_op<false, Items...>>(X{}, in_memory(v, region));
}
template <class... Items, expression X, expression V>
constexpr auto inc_subtensor(node<subscript_op<Items...>, X> region, V v) {
  return make_checked<subtensor_op<true, Items...>>(X{}, in_memory(v, region));
}

}  // namespace theon
