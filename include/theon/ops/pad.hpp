#pragma once
// Routines that copy an array's steps along axes, NumPy's:
//   pad<Before, After>(x[, mode][, theon::axis<k>]): Before steps added at the
//     start of axis k and After at its end (no axis: of every axis, by the same
//     widths); the mode says what they hold: theon::pad_constant, zeros (the
//     default), theon::pad_constant(v) with a literal v (2_c, theon::lit<-1>{}),
//     or theon::pad_edge, copies of the edge element (mode='edge');
//   repeat<N>(x[, theon::axis<k>]): each step N times (no axis: each element
//     of the flattened array, a vector, as NumPy's);
//   tile<N>(x[, theon::axis<k>]): the whole axis N times (no axis: the last
//     one, as NumPy's tile(x, N)).
// Each result step copies one step of x (a pad's constant: none), so each op
// is a routine over a map from result steps to x's, and the adjoint of each
// is the sum, into each step of x, of g over the steps that copy it: for
// constant padding g without the pads, for edge padding that plus the pads
// summed into the edge steps, for repeat and tile the sum of the copies.
// Static extents flow: pad<1, 2> of a shape<5> is a shape<8>.
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "theon/ops/cumulative.hpp"
#include "theon/ops/dense.hpp"
#include "theon/ops/reshape.hpp"

namespace theon {

// Padding modes: a constant Num/Den (theon::pad_constant, zero, or
// theon::pad_constant(v) for a literal v), or the edge element (theon::pad_edge).
template <std::intmax_t Num = 0, std::intmax_t Den = 1>
struct pad_constant_t {
  static constexpr std::intmax_t num = Num, den = Den;
  template <std::intmax_t N, std::intmax_t D>
  constexpr pad_constant_t<N, D> operator()(lit<N, D>) const { return {}; }
};
struct pad_edge_t {};
inline constexpr pad_constant_t<> pad_constant{};
inline constexpr pad_edge_t pad_edge{};

namespace pad_detail {
template <class Mode>
inline constexpr bool is_mode = std::is_same_v<Mode, pad_edge_t>;
template <std::intmax_t Num, std::intmax_t Den>
inline constexpr bool is_mode<pad_constant_t<Num, Den>> = true;

// Each map says, for a result axis made from an axis of x with n steps: its
// extent, whether x's extent fits, and the step of x that result step k
// copies (none: a pad's constant, fill).
inline constexpr std::size_t none = static_cast<std::size_t>(-1);

template <std::ptrdiff_t Before, std::ptrdiff_t After, class Mode>
struct pad_map {
  static constexpr bool edge = std::is_same_v<Mode, pad_edge_t>;
  static constexpr const char* name = "pad";
  static constexpr const char* adjoint_name = "pad_adjoint";
  static constexpr auto before = static_cast<std::size_t>(Before), after = static_cast<std::size_t>(After);
  static constexpr std::size_t extent(std::size_t n) { return n == dyn ? dyn : n + before + after; }
  // An empty axis has no edge to copy.
  static constexpr bool fits(std::size_t n) { return !edge || n != 0 || before + after == 0; }
  static constexpr std::size_t source(std::size_t k, std::size_t n) {
    if (k < before) return edge ? 0 : none;
    if (k - before >= n) return edge ? n - 1 : none;
    return k - before;
  }
  template <class T>
  static T fill() {
    if constexpr (edge) return T(0);  // never read
    else return lit<Mode::num, Mode::den>::template value<T>();
  }
  static constexpr auto printed_options = [] {
    constexpr printed_option widths[2] = {{"before", Before}, {"after", After}};
    if constexpr (edge) return std::array<printed_option, 3>{widths[0], widths[1], {"mode", 0, 1, "edge"}};
    else if constexpr (Mode::num != 0) return std::array<printed_option, 3>{widths[0], widths[1], {"value", Mode::num, Mode::den}};
    else return std::array<printed_option, 2>{widths[0], widths[1]};
  }();
  // The linear part, which derivatives copy with: the constant zero.
  using linear = pad_map<Before, After, std::conditional_t<edge, pad_edge_t, pad_constant_t<>>>;
};

// Repeat (each step Count times) or tile (the axis Count times).
template <std::ptrdiff_t Count, bool Tile>
struct copies_map {
  static constexpr const char* name = Tile ? "tile" : "repeat";
  static constexpr const char* adjoint_name = Tile ? "tile_adjoint" : "repeat_adjoint";
  static constexpr auto count = static_cast<std::size_t>(Count);
  static constexpr std::size_t extent(std::size_t n) { return n == dyn ? dyn : n * count; }
  static constexpr bool fits(std::size_t) { return true; }
  static constexpr std::size_t source(std::size_t k, std::size_t n) { return Tile ? k % n : k / count; }
  template <class T>
  static T fill() {
    return T(0);  // never read
  }
  static constexpr std::array<printed_option, 1> printed_options{{{Tile ? "reps" : "repeats", Count}}};
  using linear = copies_map;
};

// f(at, from, inside) for each element of a result of extents to, made from
// x of extents from_shape by Map along Axes: its multi-index, the multi-index
// of the element of x it copies, and whether it copies one (not a pad's constant).
template <class Map, std::size_t... Axes, std::size_t R, class F>
void for_each_copy(const extents<R>& to, const extents<R>& from_shape, F f) {
  dense_detail::for_each_index(to, [&](const std::array<std::size_t, R>& at, std::size_t e) {
    std::array<std::size_t, R> from = at;
    bool inside = true;
    ((from[Axes] = Map::source(at[Axes], from_shape[Axes]), inside = inside && from[Axes] != none), ...);
    f(at, from, inside, e);
  });
}
}  // namespace pad_detail

// x copied along Axes by Map (pad_detail's pad_map or copies_map).
template <class Map, std::size_t... Axes>
struct copy_along_op : routine_op<copy_along_op<Map, Axes...>> {
  static constexpr const char* name = Map::name;
  static constexpr auto printed_options = Map::printed_options;
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};
  static constexpr const char* mismatch_reason = "an empty axis has no edge to pad with";
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& x) {
    extents<R> out = x;
    ok = true;
    ((ok = ok && Map::fits(x[Axes]), out[Axes] = Map::extent(x[Axes])), ...);
    return out;
  }
  template <class X>
  using dtype = dtype_t<X>;
  template <std::size_t K, class X>
  using operand_dtype = dtype_t<X>;

  template <class T, class X>
  static void compute(T* out, const X& x) {
    bool ok = true;
    pad_detail::for_each_copy<Map, Axes...>(shape(ok, x.shape), x.shape, [&](const auto&, const auto& from, bool inside, std::size_t e) {
      out[e] = inside ? static_cast<T>(x.data[dense_detail::offset_at(x, from)]) : Map::template fill<T>();
    });
  }
  static constexpr auto vjp(auto g, auto self, auto x);
  static constexpr auto jvp(auto, auto t, auto) { return make_node<copy_along_op<typename Map::linear, Axes...>>(get<0>(t)); }
};

// The adjoint of copy_along_op<Map, Axes...> (Map linear) for g: x's shape
// (x read for its extents), each element the sum of g over its copies.
template <class Map, std::size_t... Axes>
struct copy_along_adjoint_op : routine_op<copy_along_adjoint_op<Map, Axes...>> {
  static constexpr const char* name = Map::adjoint_name;
  static constexpr auto printed_options = Map::printed_options;
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};
  template <std::size_t RG, std::size_t R>
  static constexpr auto shape(bool& ok, const extents<RG>&, const extents<R>& x) {
    ok = true;
    return x;
  }
  template <class G, class X>
  using dtype = dtype_t<G>;
  template <std::size_t I, class... A>
  using operand_dtype = dtype_t<typename type_at<I, type_list<A...>>::type>;  // each read as it is

  template <class T, class G, class X>
  static void compute(T* out, const G& g, const X& x) {
    std::size_t count = 1;
    for (std::size_t n : x.shape) count *= n;
    std::fill(out, out + count, T(0));
    pad_detail::for_each_copy<Map, Axes...>(g.shape, x.shape, [&](const auto& at, const auto& from, bool inside, std::size_t) {
      if (!inside) return;
      std::size_t position = 0;
      for (std::size_t a = 0; a < from.size(); ++a) position = position * x.shape[a] + from[a];
      out[position] += static_cast<T>(g.data[dense_detail::offset_at(g, at)]);
    });
  }
  // Linear in g, with the copying as its adjoint; x gives only extents.
  template <std::size_t I>
  static constexpr auto vjp(auto h, auto self, auto, auto) {
    if constexpr (I != 0) return lit<0>{};
    else return make_node<copy_along_op<Map, Axes...>>(in_memory(h, self));
  }
  static constexpr auto jvp(auto, auto t, auto, auto x) { return make_node<copy_along_adjoint_op>(get<0>(t), x); }
};

template <class Map, std::size_t... Axes>
constexpr auto copy_along_op<Map, Axes...>::vjp(auto g, auto self, auto x) {
  return make_node<copy_along_adjoint_op<typename Map::linear, Axes...>>(in_memory(g, self), x);
}

namespace pad_detail {
// Whether the axes a call names are within rank (negative ones count from the end).
template <std::size_t Rank, int... A>
inline constexpr bool axes_fit = ((A >= -static_cast<int>(Rank) && A < static_cast<int>(Rank)) && ...);
template <class Map>
struct by {
  template <std::size_t... Axes>
  using op = copy_along_op<Map, Axes...>;
};
// The last axis of x, or of x flattened where x is a number.
template <expression X>
constexpr auto last_axis(X x) {
  if constexpr (rank_v<X> == 0) return std::pair{flatten(x), axis<0>};
  else return std::pair{x, axis<-1>};
}
}  // namespace pad_detail

// pad<B, A>(x): NumPy's pad(x, (B, A)), every axis; pad<B, A>(x, theon::axis<k>):
// axis k only. A mode after x: pad(x, ..., mode='edge') is
// pad<B, A>(x, theon::pad_edge), constant_values=v is theon::pad_constant(v).
template <std::ptrdiff_t Before, std::ptrdiff_t After, expression X, class Mode, int... A>
  requires pad_detail::is_mode<Mode>
constexpr auto pad(X x, Mode, axes_t<A...> a = {}) {
  static_assert(Before >= 0 && After >= 0, "theon::pad: the widths must not be negative");
  static_assert(sizeof...(A) <= 1, "theon::pad: pads along one axis, or every axis (no axis)");
  static_assert(pad_detail::axes_fit<rank_v<X>, A...>, "theon::pad: the axis is out of range for the rank of its operand");
  using map = pad_detail::pad_map<Before, After, Mode>;
  if constexpr (Before < 0 || After < 0 || rank_v<X> == 0) return x;  // a number has no axis to pad, as in NumPy
  else if constexpr (sizeof...(A) == 0)  // every axis, where along_axes would flatten
    return [&]<std::size_t... Axes>(std::index_sequence<Axes...>) {
      return make_checked<copy_along_op<map, Axes...>>(x);
    }(std::make_index_sequence<rank_v<X>>{});
  else return cumulative_detail::made_along<pad_detail::by<map>::template op>(x, a);
}
template <std::ptrdiff_t Before, std::ptrdiff_t After, expression X, int... A>
constexpr auto pad(X x, axes_t<A...> a = {}) {
  return pad<Before, After>(x, pad_constant, a);
}

// repeat<N>(x): NumPy's repeat(x, N), a vector; repeat<N>(x, theon::axis<k>): repeat(x, N, axis=k).
template <std::ptrdiff_t Count, expression X, int... A>
constexpr auto repeat(X x, axes_t<A...> a = {}) {
  static_assert(Count >= 0, "theon::repeat: the count must not be negative");
  static_assert(sizeof...(A) <= 1, "theon::repeat: repeats along one axis, or the flattened array (no axis)");
  static_assert(pad_detail::axes_fit<rank_v<X>, A...>, "theon::repeat: the axis is out of range for the rank of its operand");
  using op = pad_detail::by<pad_detail::copies_map<Count, false>>;
  if constexpr (Count < 0) return x;
  else if constexpr (sizeof...(A) == 0 && rank_v<X> != 1) return repeat<Count>(flatten(x), axis<0>);
  else return cumulative_detail::made_along<op::template op>(x, a);
}

// tile<N>(x, theon::axis<k>): axis k N times over; tile<N>(x): NumPy's
// tile(x, N), the last axis (a number becomes a vector of N).
template <std::ptrdiff_t Count, expression X, int... A>
constexpr auto tile(X x, axes_t<A...> a = {}) {
  static_assert(Count >= 0, "theon::tile: the count must not be negative");
  static_assert(sizeof...(A) <= 1, "theon::tile: tiles along one axis, or the last axis (no axis)");
  static_assert(pad_detail::axes_fit<rank_v<X>, A...>, "theon::tile: the axis is out of range for the rank of its operand");
  using op = pad_detail::by<pad_detail::copies_map<Count, true>>;
  if constexpr (Count < 0) return x;
  else if constexpr (sizeof...(A) == 0) {
    const auto [y, last] = pad_detail::last_axis(x);
    return cumulative_detail::made_along<op::template op>(y, last);
  } else return cumulative_detail::made_along<op::template op>(x, a);
}

}  // namespace theon
