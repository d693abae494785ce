#pragma once
// The graph behind expression types: composite ops lowered to primitives, the
// unique nodes of several outputs in topological order (common subexpressions
// are one node because equal expressions have equal types), and tables of
// their kinds, ranks and operands as constexpr arrays for the planner.
#include <array>
#include <cstddef>
#include <type_traits>

#include "theon/core/expr.hpp"
#include "theon/ops/op_base.hpp"

namespace theon {

struct input {};  // the kind of a var: a value the caller binds

template <class E>
struct kind_of {
  using type = input;
};
template <class Op, class... Args>
struct kind_of<node<Op, Args...>> {
  using type = typename Op::kind;
};
template <class E>
using kind_t = typename kind_of<E>::type;

// lowered_t<E>: E with every composite op replaced by what it lowers to.
template <class E>
struct lower {
  using type = E;
};
template <class Op, class... Args>
struct lower<node<Op, Args...>> {
  using args_lowered = node<Op, typename lower<Args>::type...>;
  template <class O, class = void>
  struct step {
    using type = args_lowered;
  };
  template <class O>
  struct step<O, std::enable_if_t<std::is_same_v<typename O::kind, composite>>> {
    using type = typename lower<decltype(O::lower(typename lower<Args>::type{}...))>::type;
  };
  using type = typename step<Op>::type;
};
template <class E>
using lowered_t = typename lower<E>::type;

template <class T, class List>
struct contains;
template <class T, class... Ts>
struct contains<T, type_list<Ts...>> : std::bool_constant<(std::is_same_v<T, Ts> || ...)> {};

template <class T, class List>
struct index_of;
template <class T, class... Ts>
struct index_of<T, type_list<Ts...>> {
  static constexpr std::size_t value = [] {
    constexpr bool same[] = {std::is_same_v<T, Ts>..., false};
    std::size_t i = 0;
    while (i < sizeof...(Ts) && !same[i]) ++i;
    return i;
  }();
};

template <class List, class T>
struct append;
template <class... Ts, class T>
struct append<type_list<Ts...>, T> {
  using type = type_list<Ts..., T>;
};

// Post-order walk: children before parents, each unique node once, literals
// left out (they are folded into the code that reads them).
template <class List, class... Es>
struct collect {
  using type = List;
};
template <class List, class E, class... Rest>
struct collect<List, E, Rest...> {
  template <class L, class X, bool Skip = is_lit_v<X> || contains<X, L>::value>
  struct visit {
    using type = L;
  };
  template <class L, class X>
  struct visit<L, X, false> {
    using type = typename append<typename collect<L, typename operands<X>::type>::type, X>::type;
  };
  using type = typename collect<typename visit<List, E>::type, Rest...>::type;
};
template <class List, class... Es>
struct collect<List, type_list<Es...>> : collect<List, Es...> {};

template <class... Outputs>
using unique_nodes_t = typename collect<type_list<>, Outputs...>::type;

enum class node_kind { input, elementwise, reduction, contraction, view };

template <class E>
constexpr node_kind node_kind_of() {
  using k = kind_t<E>;
  if constexpr (std::is_same_v<k, input>) return node_kind::input;
  else if constexpr (std::is_same_v<k, elementwise>) return node_kind::elementwise;
  else if constexpr (std::is_same_v<k, reduction>) return node_kind::reduction;
  else if constexpr (std::is_same_v<k, contraction>) return node_kind::contraction;
  else return node_kind::view;
}

inline constexpr std::size_t max_arity = 3;
inline constexpr std::size_t no_node = static_cast<std::size_t>(-1);  // a literal operand

// The graph of unique nodes Nodes (topological order) computing Outputs.
template <class Nodes, class Outputs>
struct graph;
template <class... N, class... Out>
struct graph<type_list<N...>, type_list<Out...>> {
  using nodes = type_list<N...>;
  static constexpr std::size_t size = sizeof...(N);

  template <class E>
  static constexpr std::size_t index = index_of<E, nodes>::value;

  static constexpr std::array<node_kind, size> kinds{node_kind_of<N>()...};
  static constexpr std::array<std::size_t, size> ranks{rank_v<N>...};

  template <class E>
  static constexpr std::array<std::size_t, max_arity> children_of() {
    std::array<std::size_t, max_arity> out;
    out.fill(no_node);
    [&]<class... Args>(type_list<Args...>) {
      std::size_t k = 0;
      ((out[k++] = is_lit_v<Args> ? no_node : index_of<Args, nodes>::value), ...);
    }(typename operands<E>::type{});
    return out;
  }
  static constexpr std::array<std::array<std::size_t, max_arity>, size> children{children_of<N>()...};

  static constexpr std::array<std::size_t, sizeof...(Out)> outputs{index<Out>...};
  static constexpr bool is_output(std::size_t i) {
    for (std::size_t o : outputs)
      if (o == i) return true;
    return false;
  }
  static constexpr bool uses(std::size_t consumer, std::size_t i) {
    for (std::size_t c : children[consumer])
      if (c == i) return true;
    return false;
  }
};

}  // namespace theon
