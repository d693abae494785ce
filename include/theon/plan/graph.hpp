#pragma once
// The graph behind expression types, for the planner: composite ops lowered
// to primitives, and tables of the unique nodes' kinds, ranks and operands as
// constexpr arrays.
#include <array>
#include <cstddef>
#include <type_traits>
#include <utility>

#include "theon/core/expr.hpp"
#include "theon/core/graph_walk.hpp"
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
  struct step<O, std::enable_if_t<same_type<typename O::kind, composite>>> {
    using type = typename lower<decltype(O::lower(typename lower<Args>::type{}...))>::type;
  };
  using type = typename step<Op>::type;
};
template <class E>
using lowered_t = typename lower<E>::type;

enum class node_kind { input, elementwise, reduction, contraction, view, sweep, dense };

// An elementwise node that reads no values (its operands are literals, or read
// only for their shape, as in broadcast_like(1, x)) is a constant: it is
// folded into the code that reads it, like a literal.
template <class E, class = std::make_index_sequence<operands<E>::type::size>>
struct is_constant_node : std::false_type {};
template <class Op, class... Args, std::size_t... K>
  requires same_type<typename Op::kind, elementwise>
struct is_constant_node<node<Op, Args...>, std::index_sequence<K...>>
    : std::bool_constant<((is_lit_v<Args> || reads_shape_only<node<Op, Args...>, K>) && ...)> {};
template <class E>
concept is_constant_node_v = is_constant_node<E>::value;

template <class E>
constexpr node_kind node_kind_of() {
  using k = kind_t<E>;
  if constexpr (same_type<k, input>) return node_kind::input;
  else if constexpr (same_type<k, elementwise>) return node_kind::elementwise;
  else if constexpr (same_type<k, reduction>) return node_kind::reduction;
  else if constexpr (same_type<k, contraction>) return node_kind::contraction;
  else if constexpr (same_type<k, sweep>) return node_kind::sweep;
  else if constexpr (same_type<k, dense>) return node_kind::dense;
  else return node_kind::view;
}

// The graph of unique nodes Nodes (topological order) computing Outputs.
template <class Nodes, class Outputs>
struct graph;
template <class... N, class... Out>
struct graph<type_list<N...>, type_list<Out...>> {
  using nodes = type_list<N...>;
  static constexpr std::size_t size = sizeof...(N);

  static constexpr std::array<node_kind, size> kinds{node_kind_of<N>()...};
  static constexpr std::array<std::size_t, size> ranks{rank_v<N>...};
  static constexpr std::array<int, size> stored_dtypes{dtype_id<storage_t<dtype_t<N>>>...};

  static constexpr std::array<std::array<std::size_t, max_arity>, size> children{
      as_array(typename operand_positions<N, nodes>::type{})...};

  static constexpr std::array<bool, size> constant{is_constant_node_v<N>...};

  // The operands whose values a node reads (not those read only for their
  // shape); the planner schedules by these.
  static constexpr std::array<std::array<std::size_t, max_arity>, size> data_children = [] {
    auto out = children;
    const std::size_t shape_only[] = {shape_only_operand_of<N>::value...};
    for (std::size_t i = 0; i < size; ++i)
      if (shape_only[i] != no_node) out[i][shape_only[i]] = no_node;
    return out;
  }();

  static constexpr std::array<std::size_t, sizeof...(Out)> outputs{index_of<Out, nodes>::value...};
  static constexpr bool is_output(std::size_t i) {
    for (std::size_t o : outputs)
      if (o == i) return true;
    return false;
  }
  static constexpr bool uses(std::size_t consumer, std::size_t i) {
    for (std::size_t c : data_children[consumer])
      if (c == i) return true;
    return false;
  }
};

}  // namespace theon
