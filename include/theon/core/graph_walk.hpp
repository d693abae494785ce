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
