#pragma once
// Axis arguments: axis<1>, axes<0, 2> (negative counts from the end) and keepdims.
#include <algorithm>
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

namespace theon {

template <int... A>
struct axes_t {};
template <int... A>
inline constexpr axes_t<A...> axes{};
template <int A>
inline constexpr axes_t<A> axis{};

struct keepdims_t {};
inline constexpr keepdims_t keepdims{};

struct all_axes_t {};

namespace detail {
template <class... Options>
struct find_axes {
  using type = all_axes_t;
};
template <int... A, class... Rest>
struct find_axes<axes_t<A...>, Rest...> {
  using type = axes_t<A...>;
};
template <class First, class... Rest>
struct find_axes<First, Rest...> : find_axes<Rest...> {};

template <std::size_t Rank, class Axes>
struct axes_in_range;
template <std::size_t Rank>
struct axes_in_range<Rank, all_axes_t> : std::true_type {};
template <std::size_t Rank, int... A>
struct axes_in_range<Rank, axes_t<A...>>
    : std::bool_constant<((A >= -static_cast<int>(Rank) && A < static_cast<int>(Rank)) && ...)> {};

template <std::size_t Rank, class Axes>
struct normalized_axes;
template <std::size_t Rank>
struct normalized_axes<Rank, all_axes_t> {
  static constexpr auto value = [] {
    std::array<std::size_t, Rank> out{};
    for (std::size_t i = 0; i < Rank; ++i) out[i] = i;
    return out;
  }();
  static constexpr bool unique = true;
};
template <std::size_t Rank, int... A>
struct normalized_axes<Rank, axes_t<A...>> {
  static constexpr auto value = [] {
    std::array<std::size_t, sizeof...(A)> out{
        static_cast<std::size_t>(A < 0 ? A + static_cast<int>(Rank) : A)...};
    std::sort(out.begin(), out.end());
    return out;
  }();
  static constexpr bool unique = std::adjacent_find(value.begin(), value.end()) == value.end();
};

template <template <bool, std::size_t...> class Op, bool Keep, auto Axes, class Seq = std::make_index_sequence<Axes.size()>>
struct op_with_axes;
template <template <bool, std::size_t...> class Op, bool Keep, auto Axes, std::size_t... I>
struct op_with_axes<Op, Keep, Axes, std::index_sequence<I...>> {
  using type = Op<Keep, Axes[I]...>;
};
}  // namespace detail

// Reads the options of a reduction (axes, keepdims) into Op<keep, sorted axes...>.
template <template <bool, std::size_t...> class Op, std::size_t Rank, class... Options>
constexpr auto op_for_options() {
  static_assert(((std::is_same_v<Options, keepdims_t> || !std::is_same_v<typename detail::find_axes<Options>::type, all_axes_t>) && ...),
                "theon: a reduction takes only axis<k>, axes<i, j, ...> and keepdims as options");
  using axes_option = typename detail::find_axes<Options...>::type;
  static_assert(detail::axes_in_range<Rank, axes_option>::value,
                "theon: a reduction axis is out of range for the rank of its operand");
  if constexpr (detail::axes_in_range<Rank, axes_option>::value) {
    using axes = detail::normalized_axes<Rank, axes_option>;
    static_assert(axes::unique, "theon: a reduction names the same axis twice");
    constexpr bool keep = (std::is_same_v<Options, keepdims_t> || ...);
    return typename detail::op_with_axes<Op, keep, axes::value>::type{};
  }
}

}  // namespace theon
