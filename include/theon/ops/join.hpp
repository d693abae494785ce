#pragma once
// concatenate<Axis>(a, b, ...) and stack<Axis>(a, b, ...): NumPy's joins. The
// operands agree on every axis but the joined one (stack: on every axis, and
// a new one is made); a mismatch is a compile error for static extents, a
// shape_error naming the expression at run time. A routine over whole
// operands; the gradient of each operand is its part of g.
#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

#include "theon/ops/dense.hpp"
#include "theon/ops/linalg.hpp"
#include "theon/ops/subscript.hpp"

namespace theon {

namespace join_detail {
// The joined extents, and whether the operands agree off the joined axis.
template <std::size_t Axis, std::size_t R, class... Extents>
constexpr extents<R> joined(bool& ok, const extents<R>& first, const Extents&... rest) {
  extents<R> out = first;
  ok = true;
  ([&](const extents<R>& part) {
    for (std::size_t a = 0; a < R; ++a) {
      if (a == Axis) out[a] = out[a] == dyn || part[a] == dyn ? dyn : out[a] + part[a];
      else if (out[a] == dyn) out[a] = part[a];
      else ok = ok && (part[a] == dyn || part[a] == out[a]);
    }
  }(rest), ...);
  return out;
}

// Where part K starts along the joined axis: the extents of the parts before it.
template <std::size_t Axis, std::size_t K, class... Parts>
std::size_t start_of(const Parts&... parts) {
  std::size_t start = 0, k = 0;
  ((start += k++ < K ? parts.shape[Axis] : 0), ...);
  return start;
}

// f(position, at, e) for each element of a part starting at start along the
// joined axis: its position in the joined row-major array, its multi-index in
// the part and its row-major position in the part.
template <std::size_t Axis, class Part, std::size_t R, class F>
void for_each_in_join(const Part& part, std::size_t start, const extents<R>& joined_shape, F f) {
  dense_detail::for_each_index(part.shape, [&](const auto& at, std::size_t e) {
    std::size_t position = 0;
    for (std::size_t a = 0; a < R; ++a) position = position * joined_shape[a] + at[a] + (a == Axis ? start : 0);
    f(position, at, e);
  });
}
}  // namespace join_detail

template <std::size_t Axis, std::size_t K>
struct join_part_op;

template <std::size_t Axis>
struct concatenate_op : routine_op<concatenate_op<Axis>> {
  static constexpr const char* name = "concatenate";
  static constexpr std::size_t axis = Axis;
  static constexpr const char* mismatch_reason = "its operands' extents differ off the joined axis";

  template <class... A>
  static constexpr void check() {
    constexpr std::size_t rank = rank_v<typename type_at<0, type_list<A...>>::type>;
    static_assert(((rank_v<A> == rank) && ...), "theon::concatenate: the operands must have one rank");
    static_assert(Axis < rank, "theon::concatenate: the axis is out of range for the operands' rank");
    static_assert(
        [] {
          bool ok = true;
          shape(ok, static_shape_t<A>::extents...);
          return ok;
        }(),
        "theon::concatenate: the operands' static extents differ off the joined axis");
  }
  template <std::size_t R, class... Extents>
  static constexpr auto shape(bool& ok, const extents<R>& first, const Extents&... rest) {
    return join_detail::joined<Axis>(ok, first, rest...);
  }
  template <class... A>
  using dtype = promote_t<dtype_t<A>...>;
  template <std::size_t I, class... A>
  using operand_dtype = promote_t<dtype_t<A>...>;

  template <class T, class... Parts>
  static void compute(T* out, const Parts&... parts) {
    bool ok = true;
    const auto joined_shape = shape(ok, parts.shape...);
    std::size_t start = 0;
    ([&](const auto& part) {
      join_detail::for_each_in_join<Axis>(part, start, joined_shape, [&](std::size_t to, const auto& at, std::size_t) {
        out[to] = static_cast<T>(part.data[dense_detail::offset_at(part, at)]);
      });
      start += part.shape[Axis];
    }(parts), ...);
  }
  // Operand K's adjoint: its part of g.
  template <std::size_t K>
  static constexpr auto vjp(auto g, auto, auto... parts) {
    return make_node<join_part_op<Axis, K>>(g, parts...);
  }
  // The join of the tangents, zeros for operands that have none.
  static constexpr auto jvp(auto, auto t, auto... parts) {
    return [&]<std::size_t... K>(std::index_sequence<K...>) {
      return make_node<concatenate_op>([&](auto tangent, auto part) {
        if constexpr (is_zero_v<decltype(tangent)>) return broadcast_like(lit<0>{}, part);
        else return tangent;
      }(get<K>(t), parts)...);
    }(std::index_sequence_for<decltype(parts)...>{});
  }
};

// Part K of g, an array joined along Axis from parts of the operands' shapes
// (read for their extents along Axis).
template <std::size_t Axis, std::size_t K>
struct join_part_op : routine_op<join_part_op<Axis, K>> {
  static constexpr const char* name = "join_part";
  template <std::size_t RG, class... Extents>
  static constexpr auto shape(bool& ok, const extents<RG>&, const Extents&... parts) {
    ok = true;
    return std::get<K>(std::tuple{parts...});
  }
  template <class G, class... Parts>
  using dtype = dtype_t<G>;
  template <std::size_t I, class... A>
  using operand_dtype = dtype_t<typename type_at<I, type_list<A...>>::type>;  // each read as it is

  template <class T, class G, class... Parts>
  static void compute(T* out, const G& g, const Parts&... parts) {
    const auto& part = std::get<K>(std::tie(parts...));
    const std::size_t start = join_detail::start_of<Axis, K>(parts...);
    const std::ptrdiff_t shift = static_cast<std::ptrdiff_t>(start) * g.strides[Axis];
    join_detail::for_each_in_join<Axis>(part, start, g.shape, [&](std::size_t, const auto& at, std::size_t e) {
      out[e] = g.data[dense_detail::offset_at(g, at) + shift];
    });
  }
  // Taking a part is linear: its adjoint is the join of g-bar with zeros for the other parts.
  template <std::size_t I>
  static constexpr auto vjp(auto g, auto, auto, auto... parts) {
    if constexpr (I != 0) return lit<0>{};
    else
      return [&]<std::size_t... J>(std::index_sequence<J...>) {
        return make_node<concatenate_op<Axis>>([&](auto part) {
          if constexpr (J == K) return g;
          else return broadcast_like(lit<0>{}, part);
        }(parts)...);
      }(std::index_sequence_for<decltype(parts)...>{});
  }
  static constexpr auto jvp(auto, auto t, auto, auto... parts) { return make_node<join_part_op>(get<0>(t), parts...); }
};

template <int Axis, expression First, expression... Rest>
constexpr auto concatenate(First first, Rest... rest) {
  constexpr int rank = static_cast<int>(rank_v<First>);
  static_assert(Axis >= -rank && Axis < rank, "theon::concatenate: the axis is out of range for the operands' rank");
  return make_checked<concatenate_op<static_cast<std::size_t>(Axis < 0 ? Axis + rank : Axis)>>(first, rest...);
}

// The operands stacked along a new axis at position Axis.
template <int Axis, expression First, expression... Rest>
constexpr auto stack(First first, Rest... rest) {
  constexpr int rank = static_cast<int>(rank_v<First>) + 1;
  static_assert(Axis >= -rank && Axis < rank, "theon::stack: the axis is out of range for the stacked rank");
  constexpr int axis = Axis < 0 ? Axis + rank : Axis;
  return concatenate<axis>(expand_dims<axis>(first), expand_dims<axis>(rest)...);
}

}  // namespace theon
