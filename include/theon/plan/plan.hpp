#pragma once
// Planning: which nodes get memory of their own and which are computed inside
// a fused loop.
//
// Materialised: inputs, outputs, reductions (each runs one loop that also
// computes its elementwise producer), contractions and views (they need their
// operands in memory), and elementwise nodes that are used by two different
// loops (computed once, read twice) or by a loop of higher rank (hoisted, so
// exp(a) for a scalar a is not recomputed per element). Every other
// elementwise node lives in exactly one group: the loop of its materialised
// consumer, where it is computed once per element.
#include <array>
#include <cstddef>
#include <utility>

#include "theon/plan/graph.hpp"

namespace theon {

template <std::size_t N>
struct index_set {
  std::array<std::size_t, N> items{};
  std::size_t count = 0;

  constexpr bool contains(std::size_t i) const {
    for (std::size_t k = 0; k < count; ++k)
      if (items[k] == i) return true;
    return false;
  }
  constexpr void insert(std::size_t i) {
    if (!contains(i)) items[count++] = i;
  }
};

template <class Graph>
struct plan {
  static constexpr std::size_t size = Graph::size;

  struct table {
    std::array<bool, size> materialised{};
    std::array<std::size_t, size> group{};  // the materialised node whose loop computes this node
  };

  // Whether a contraction or a view reads node k: those need it in memory.
  static constexpr bool read_from_memory(std::size_t k) {
    for (std::size_t j = k + 1; j < size; ++j)
      if (Graph::uses(j, k) && (Graph::kinds[j] == node_kind::contraction || Graph::kinds[j] == node_kind::view ||
                                Graph::kinds[j] == node_kind::sweep))
        return true;
    return false;
  }

  static constexpr table decide() {
    table t{};
    for (std::size_t k = size; k-- > 0;) {
      const node_kind kind = Graph::kinds[k];
      bool own = kind != node_kind::elementwise || Graph::is_output(k);
      if (!own && Graph::constant[k] && !read_from_memory(k)) {  // folded into its readers, like a literal
        t.group[k] = no_node;
        continue;
      }
      index_set<size> loops;
      for (std::size_t j = k + 1; j < size && !own; ++j) {
        if (!Graph::uses(j, k)) continue;
        const node_kind consumer = Graph::kinds[j];
        if (consumer == node_kind::contraction || consumer == node_kind::view || consumer == node_kind::sweep) own = true;
        else if (consumer == node_kind::elementwise && Graph::ranks[j] != Graph::ranks[k]) own = true;
        else loops.insert(t.materialised[j] ? j : t.group[j]);
      }
      // A node only ever read for its shape is never computed.
      const bool dead = !own && loops.count == 0;
      own = own || loops.count > 1;
      t.materialised[k] = own;
      t.group[k] = own ? k : dead ? no_node : loops.items[0];
    }
    return t;
  }
  static constexpr table decided = decide();

  static constexpr bool materialised(std::size_t i) { return decided.materialised[i]; }

  // Nodes computed inside root's loop, in topological order (root last when elementwise).
  static constexpr index_set<size> members(std::size_t root) {
    index_set<size> m;
    for (std::size_t i = 0; i < size; ++i)
      if (decided.group[i] == root && (i != root || Graph::kinds[root] == node_kind::elementwise)) m.insert(i);
    return m;
  }

  // Materialised nodes the loop of root reads.
  static constexpr index_set<size> reads(std::size_t root) {
    index_set<size> r;
    const auto m = members(root);
    auto add_children = [&](std::size_t i) {
      for (std::size_t c : Graph::data_children[i])
        if (c != no_node && materialised(c) && !m.contains(c)) r.insert(c);
    };
    for (std::size_t k = 0; k < m.count; ++k) add_children(m.items[k]);
    if (Graph::kinds[root] != node_kind::elementwise) add_children(root);
    return r;
  }

  // Materialised nodes that own memory the function keeps between calls.
  static constexpr bool is_temporary(std::size_t i) {
    const node_kind kind = Graph::kinds[i];
    return materialised(i) && kind != node_kind::input && kind != node_kind::view && !Graph::is_output(i);
  }
};

template <index_set S, std::size_t... I>
constexpr auto as_sequence(std::index_sequence<I...>) {
  return std::index_sequence<S.items[I]...>{};
}
// The indices of an index_set as a pack.
template <index_set S>
using sequence_of = decltype(as_sequence<S>(std::make_index_sequence<S.count>{}));

}  // namespace theon
