#pragma once
// A tuple for one value per graph node. std::tuple nests its elements, so with
// hundreds of them (a gradient's nodes) every std::get costs the compiler time
// linear in the length, and the whole evaluation quadratic. Here each element
// is a direct base, reached in one step.
#include <cstddef>
#include <utility>

namespace theon {

template <std::size_t I, class T>
struct slot {
  T value;
};

namespace detail {
template <class Seq, class... Ts>
struct flat_tuple_base;
template <std::size_t... I, class... Ts>
struct flat_tuple_base<std::index_sequence<I...>, Ts...> : slot<I, Ts>... {};
}  // namespace detail

// An aggregate: flat_tuple<A, B>{{a}, {b}} builds each element in place.
template <class... Ts>
using flat_tuple = detail::flat_tuple_base<std::index_sequence_for<Ts...>, Ts...>;

// Element I; T is deduced from the one base slot<I, T>.
template <std::size_t I, class T>
constexpr T& at(slot<I, T>& s) noexcept {
  return s.value;
}
template <std::size_t I, class T>
constexpr const T& at(const slot<I, T>& s) noexcept {
  return s.value;
}

}  // namespace theon
