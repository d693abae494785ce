#pragma once
// take(x, i) and take(x, i, theon::axis<k>): NumPy's take, indexing with an
// integer array. The result is x with axis k (0 by default) replaced by i's
// axes: an embedding lookup is take(E, tokens), a row per token. Negative
// indices count from the end; one outside the axis is a shape_error naming
// the op, the index and the extent, and nothing outside x is read. The
// gradient adds the incoming rows back where they were read: repeated indices
// add up.
#include <array>
#include <cstddef>
#include <string>
#include <type_traits>

#include "theon/ops/axes.hpp"
#include "theon/ops/dense.hpp"
#include "theon/ops/subscript.hpp"

namespace theon {

namespace take_detail {
// The position an index names on an axis of extent n, checked.
inline std::size_t position(long long index, std::size_t n) {
  const long long extent = static_cast<long long>(n);
  const long long p = index < 0 ? index + extent : index;
  if (p < 0 || p >= extent)
    throw shape_error("theon::take: index " + std::to_string(index) + " is out of range for an axis of extent " +
                      std::to_string(n));
  return static_cast<std::size_t>(p);
}

// For each element of the result of take along Axis: the element of x it
// reads (an offset into x's view), its multi-index in the result and its
// row-major position there.
template <std::size_t Axis, class X, class I, class F>
void for_each_read(const X& x, const I& i, F f) {
  constexpr std::size_t RX = std::tuple_size_v<decltype(x.shape)>, RI = std::tuple_size_v<decltype(i.shape)>;
  extents<RX - 1 + RI> out{};
  for (std::size_t a = 0, o = 0; a < RX; ++a) {
    if (a == Axis)
      for (std::size_t b = 0; b < RI; ++b) out[o++] = i.shape[b];
    else out[o++] = x.shape[a];
  }
  dense_detail::for_each_index(out, [&](const auto& at, std::size_t e) {
    std::ptrdiff_t from = 0, which = 0;
    for (std::size_t b = 0; b < RI; ++b) which += static_cast<std::ptrdiff_t>(at[Axis + b]) * i.strides[b];
    for (std::size_t a = 0, o = 0; a < RX; ++a) {
      if (a == Axis) {
        from += static_cast<std::ptrdiff_t>(position(static_cast<long long>(i.data[which]), x.shape[a])) * x.strides[a];
        o += RI;
      } else {
        from += static_cast<std::ptrdiff_t>(at[o++]) * x.strides[a];
      }
    }
    f(from, at, e);
  });
}
}  // namespace take_detail

template <std::size_t Axis>
struct take_adjoint_op;

template <std::size_t Axis>
struct take_op : routine_op<take_op<Axis>> {
  static constexpr const char* name = "take";
  static constexpr std::size_t axis = Axis;
  static constexpr const char* mismatch_reason = "an index is out of range";

  template <class X, class I>
  static constexpr void check() {
    static_assert(Axis < rank_v<X>, "theon::take: the axis is out of range for the rank of x");
    static_assert(std::is_integral_v<dtype_t<I>> && !std::is_same_v<dtype_t<I>, bool>,
                  "theon::take: the indices must be an int32 or int64 array");
  }
  template <std::size_t RX, std::size_t RI>
  static constexpr auto shape(bool& ok, const extents<RX>& x, const extents<RI>& i) {
    ok = true;
    extents<RX - 1 + RI> out{};
    for (std::size_t a = 0, o = 0; a < RX; ++a) {
      if (a == Axis)
        for (std::size_t b = 0; b < RI; ++b) out[o++] = i[b];
      else out[o++] = x[a];
    }
    return out;
  }
  template <class X, class I>
  using dtype = dtype_t<X>;
  template <std::size_t K, class X, class I>
  using operand_dtype = std::conditional_t<K == 0, dtype_t<X>, dtype_t<I>>;

  template <class T, class X, class I>
  static void compute(T* out, const X& x, const I& i) {
    take_detail::for_each_read<Axis>(x, i, [&](std::ptrdiff_t from, const auto&, std::size_t e) { out[e] = x.data[from]; });
  }
  // x-bar: g added back where it was read; indices have no gradient.
  template <std::size_t K>
  static constexpr auto vjp(auto g, auto self, auto x, auto i) {
    if constexpr (K == 1) return lit<0>{};
    else return make_node<take_adjoint_op<Axis>>(in_memory(g, self), i, x);
  }
  static constexpr auto jvp(auto, auto t, auto, auto i) { return make_node<take_op>(get<0>(t), i); }
};

// The adjoint of take: an array of x's shape (x is read only for its shape),
// zero except at the positions read, where the rows of g add up.
template <std::size_t Axis>
struct take_adjoint_op {
  using kind = dense;
  static constexpr const char* name = "take_adjoint";
  static constexpr std::size_t shape_only_operand = 2;
  template <class G, class I, class X>
  using shape_type = static_shape_t<X>;
  template <class G, class I, class X>
  using dtype = dtype_t<G>;
  template <std::size_t K, class G, class I, class X>
  using operand_dtype = std::conditional_t<K == 1, dtype_t<I>, dtype_t<G>>;
  template <std::size_t RG, std::size_t RI, std::size_t RX>
  static constexpr auto shape(bool& ok, const extents<RG>&, const extents<RI>&, const extents<RX>& x) {
    ok = true;
    return x;
  }
  template <class T, class G, class I, class X>
  static void compute(T* out, const G& g, const I& i, const X& x) {
    // g has the result's shape: the element of the result at `at` is g's at `at`.
    take_detail::for_each_read<Axis>(subscript_detail::zeroed(out, x.shape), i,
                                     [&](std::ptrdiff_t to, const auto& at, std::size_t) {
                                       out[to] += g.data[dense_detail::offset_at(g, at)];
                                     });
  }
  template <std::size_t K>
  static constexpr auto vjp(auto g, auto, auto, auto i, auto) {
    if constexpr (K == 0) return make_node<take_op<Axis>>(g, i);
    else return lit<0>{};
  }
  static constexpr auto jvp(auto, auto t, auto, auto i, auto x) { return make_node<take_adjoint_op>(get<0>(t), i, x); }
};

template <expression X, expression I, int... A>
constexpr auto take(X x, I i, axes_t<A...> = {}) {
  static_assert(sizeof...(A) <= 1, "theon::take: takes along one axis");
  constexpr int axis = (0 + ... + A);
  return make_checked<take_op<static_cast<std::size_t>(axis < 0 ? axis + static_cast<int>(rank_v<X>) : axis)>>(x, i);
}

}  // namespace theon
