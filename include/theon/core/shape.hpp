#pragma once
// Shapes: the rank is always known at compile time; each extent is either
// static (shape<3>) or known only at run time (shape<dyn>).
#include <array>
#include <cstddef>
#include <string>
#include <utility>

namespace theon {

inline constexpr std::size_t dyn = static_cast<std::size_t>(-1);

template <std::size_t... Extents>
struct shape {
  static constexpr std::size_t rank = sizeof...(Extents);
  static constexpr std::array<std::size_t, rank> extents{Extents...};
  static constexpr bool is_static = ((Extents != static_cast<std::size_t>(-1)) && ...);  // no run-time extent
};

namespace detail {
template <class Seq>
struct dyn_shape_impl;
template <std::size_t... I>
struct dyn_shape_impl<std::index_sequence<I...>> {
  using type = shape<((void)I, dyn)...>;
};

template <std::size_t R, std::array<std::size_t, R> E, class Seq = std::make_index_sequence<R>>
struct shape_from_array;
template <std::size_t R, std::array<std::size_t, R> E, std::size_t... I>
struct shape_from_array<R, E, std::index_sequence<I...>> {
  using type = shape<E[I]...>;
};
}  // namespace detail

template <std::size_t Rank>
using dyn_shape = typename detail::dyn_shape_impl<std::make_index_sequence<Rank>>::type;

// The shape type holding the extents of a constexpr array.
template <auto Extents>
using shape_of_array = typename detail::shape_from_array<Extents.size(), Extents>::type;

// Run-time extents of a rank-R value.
template <std::size_t R>
using extents = std::array<std::size_t, R>;

template <std::size_t R>
constexpr std::size_t element_count(const extents<R>& e) {
  std::size_t n = 1;
  for (std::size_t d : e) n *= d;
  return n;
}

template <std::size_t R>
std::string to_string(const extents<R>& e) {
  std::string s = "[";
  for (std::size_t i = 0; i != R; ++i) s += (i ? ", " : "") + std::to_string(e[i]);
  return s + "]";
}

// NumPy broadcasting of two static shapes, aligned on the right. An unknown
// extent facing a static one other than 1 must equal it (checked at run time).
constexpr std::size_t broadcast_extent(const std::size_t* a, std::size_t ra, const std::size_t* b, std::size_t rb,
                                       std::size_t axis_from_right, bool& ok) {
  const std::size_t ea = axis_from_right < ra ? a[ra - 1 - axis_from_right] : 1;
  const std::size_t eb = axis_from_right < rb ? b[rb - 1 - axis_from_right] : 1;
  if (ea == eb) return ea;
  if (ea == 1) return eb;
  if (eb == 1) return ea;
  if (ea == dyn) return eb;
  if (eb == dyn) return ea;
  ok = false;
  return ea;
}

template <class A, class B>
struct static_broadcast {
  static constexpr std::size_t rank = A::rank > B::rank ? A::rank : B::rank;
  static constexpr auto computed = [] {
    std::pair<std::array<std::size_t, rank>, bool> r{{}, true};
    for (std::size_t i = 0; i != rank; ++i)
      r.first[rank - 1 - i] = broadcast_extent(A::extents.data(), A::rank, B::extents.data(), B::rank, i, r.second);
    return r;
  }();
  static constexpr bool ok = computed.second;
  using type = shape_of_array<computed.first>;
};

// Static shapes S... broadcast together, left to right: the result shape, and
// whether every step broadcasts. Templated on the shapes alone, so each
// combination of shapes is folded once, whatever nodes have them.
template <class... S>
struct static_broadcast_all;
template <class S>
struct static_broadcast_all<S> {
  using type = S;
  static constexpr bool ok = true;
};
template <class S1, class S2, class... Rest>
struct static_broadcast_all<S1, S2, Rest...> {
  using next = static_broadcast_all<typename static_broadcast<S1, S2>::type, Rest...>;
  using type = typename next::type;
  static constexpr bool ok = static_broadcast<S1, S2>::ok && next::ok;
};

}  // namespace theon
