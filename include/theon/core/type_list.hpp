#pragma once
// Lists of types and the lookups over them that the layers share: the
// operands of a node, the unique nodes of a graph, the items of a sum.
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace theon {

template <class... Ts>
struct type_list {
  static constexpr std::size_t size = sizeof...(Ts);
};

template <std::size_t I, class List>
struct type_at;
template <std::size_t I, class... Ts>
struct type_at<I, type_list<Ts...>> {
  using type = std::tuple_element_t<I, std::tuple<Ts...>>;
};

// The compiler's own type comparison where it has one: std::is_same would
// instantiate a class per element, and the graph walk asks this once per edge
// over a list as long as the graph.
#if defined(__has_builtin)
#if __has_builtin(__is_same)
#define THEON_SAME_TYPE(A, B) __is_same(A, B)
#endif
#endif
#ifndef THEON_SAME_TYPE
#define THEON_SAME_TYPE(A, B) std::is_same<A, B>::value
#endif

// Whether A and B are one type, as a concept: std::is_same_v is a variable
// template, and each instantiation with two node types is a symbol named by
// both (g++ names every one it instantiates), as long as the graph below them.
template <class A, class B>
concept same_type = THEON_SAME_TYPE(A, B);

// Compile-time lookups over node lists are class templates deriving from a
// shared constant: function and variable templates instantiated with node
// types get symbol names spelling those types (and the whole list), and with
// hundreds of nodes making those names dominated compile time.
template <class T, class List>
struct contains;
template <class T, class... Ts>
struct contains<T, type_list<Ts...>> : std::bool_constant<(THEON_SAME_TYPE(T, Ts) || ...)> {};

// The position of T in a list of distinct types, found by deduction against
// the base at_position<I, T> of positions: one step, not a comparison with
// every element. The list's size when T is not in it.
template <std::size_t I, class T>
struct at_position {};
template <class Seq, class... Ts>
struct positions;
template <std::size_t... I, class... Ts>
struct positions<std::index_sequence<I...>, Ts...> : at_position<I, Ts>... {};
template <class T, std::size_t I>
std::integral_constant<std::size_t, I> position_in(const at_position<I, T>*);  // for decltype only

template <class T, class List>
struct index_of;
template <class T, class... Ts>
struct index_of<T, type_list<Ts...>> : std::integral_constant<std::size_t, sizeof...(Ts)> {};
template <class T, class... Ts>
  requires requires(const positions<std::index_sequence_for<Ts...>, Ts...>* table) { position_in<T>(table); }
struct index_of<T, type_list<Ts...>>
    : decltype(position_in<T>(static_cast<const positions<std::index_sequence_for<Ts...>, Ts...>*>(nullptr))) {};

template <class List, class T>
struct append;
template <class... Ts, class T>
struct append<type_list<Ts...>, T> {
  using type = type_list<Ts..., T>;
};

// The lists joined, in order.
template <class... Lists>
struct concat;
template <>
struct concat<> {
  using type = type_list<>;
};
template <class... A>
struct concat<type_list<A...>> {
  using type = type_list<A...>;
};
template <class... A, class... B, class... Rest>
struct concat<type_list<A...>, type_list<B...>, Rest...> : concat<type_list<A..., B...>, Rest...> {};

}  // namespace theon
