#pragma once
// Walking an expression's graph: the unique nodes of several expressions in
// topological order (children before parents). Common subexpressions are one
// node because equal expressions have equal types.
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "theon/core/expr.hpp"

namespace theon {

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

// Post-order walk: children before parents, each unique node once, literals
// left out (they are folded into the code that reads them). The operands of a
// node are visited by a fold over an operator inside decltype, not by recursion
// over the operand list, so each level of an expression costs two levels of
// template instantiation: g++'s default limit (900) allows depth 256 and more.
template <class List>
struct walked {
  using type = List;
};
template <class X>
struct next_node {};

// List, then X's nodes not in it yet, X last.
template <class List, class X>
struct visit {
  using type = List;  // a literal, or a node already walked
};
// The fold is over ->*, which no expression overloads: over +, every step
// would also test the expression operators' constraints on walked<...>.
template <class List, class X>
  requires(!is_lit_v<X> && !contains<X, List>::value)
struct visit<List, X> {
  template <class... Args>
  static auto after_operands(type_list<Args...>) -> decltype((walked<List>{}->*...->*next_node<Args>{}));
  using type = typename append<typename decltype(after_operands(typename operands<X>::type{}))::type, X>::type;
};
template <class List, class X>
auto operator->*(walked<List>, next_node<X>) -> walked<typename visit<List, X>::type>;

template <class... Outputs>
struct unique_nodes {
  using type = typename decltype((walked<type_list<>>{}->*...->*next_node<Outputs>{}))::type;
};
template <class... Outputs>
using unique_nodes_t = typename unique_nodes<Outputs...>::type;

// The most operands a node has: a sweep lists every input its inner expression reads.
inline constexpr std::size_t max_arity = 8;
inline constexpr std::size_t no_node = static_cast<std::size_t>(-1);  // a literal operand

// The position in Nodes of each operand of E (no_node for literals and for
// the arity E does not have), as a type: operand_positions<E, Nodes>::type is
// index_list<I...>, and as_array turns it into an array.
template <std::size_t... I>
struct index_list {};
template <std::size_t... I>
constexpr std::array<std::size_t, max_arity> as_array(index_list<I...>) {
  static_assert(sizeof...(I) <= max_arity, "theon: a node has more operands than theon::max_arity");
  std::array<std::size_t, max_arity> out;
  out.fill(no_node);
  std::size_t k = 0;
  ((out[k++] = I), ...);
  return out;
}
template <class E, class Nodes>
struct operand_positions {
  using type = index_list<>;
};
template <class Op, class... Args, class Nodes>
struct operand_positions<node<Op, Args...>, Nodes> {
  using type = index_list<(is_lit_v<Args> ? no_node : index_of<Args, Nodes>::value)...>;
};

}  // namespace theon
