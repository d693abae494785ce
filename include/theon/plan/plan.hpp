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
//
// Materialised elementwise nodes of one shape share a loop where they can:
// a price and its greeks are written by one pass over the inputs, which
// computes the work they share once per element instead of storing it for
// several loops to read. Two nodes provably have one shape when they have the
// same rank and broadcast the same sources (shape_sources). Full reductions
// over one shape likewise fold side by side in one pass. A loop runs at its
// last member, so a node joins only if nothing outside the loop reads it
// before that.
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

#include "theon/plan/graph.hpp"

namespace theon {

// A set of node indices as bits.
template <std::size_t N>
struct node_bits {
  std::array<std::uint64_t, (N + 63) / 64> words{};

  constexpr void insert(std::size_t i) { words[i / 64] |= std::uint64_t{1} << (i % 64); }
  constexpr bool contains(std::size_t i) const { return (words[i / 64] >> (i % 64)) & 1; }
  constexpr void merge(const node_bits& other) {
    for (std::size_t w = 0; w < words.size(); ++w) words[w] |= other.words[w];
  }
  friend constexpr bool operator==(const node_bits&, const node_bits&) = default;
};

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

  // The nodes whose broadcast is elementwise node i's shape: its operands
  // (values or shapes), through elementwise nodes of i's rank, up to the first
  // node of another kind or rank. Rank-0 nodes broadcast to anything and are left out.
  static constexpr std::array<node_bits<size>, size> shape_sources = [] {
    std::array<node_bits<size>, size> sources{};
    for (std::size_t i = 0; i < size; ++i) {
      if (Graph::kinds[i] != node_kind::elementwise) continue;
      for (std::size_t c : Graph::children[i]) {
        if (c == no_node) continue;
        if (Graph::kinds[c] == node_kind::elementwise && Graph::ranks[c] == Graph::ranks[i]) sources[i].merge(sources[c]);
        else if (Graph::ranks[c] != 0) sources[i].insert(c);
      }
    }
    return sources;
  }();
  static constexpr bool same_loop_shape(std::size_t i, std::size_t j) {
    return Graph::ranks[i] == Graph::ranks[j] && Graph::stored_dtypes[i] == Graph::stored_dtypes[j] &&
           shape_sources[i] == shape_sources[j];
  }

  // The nodes each node reads, directly or through others.
  static constexpr std::array<node_bits<size>, size> depends_on = [] {
    std::array<node_bits<size>, size> cone{};
    for (std::size_t i = 0; i < size; ++i)
      for (std::size_t c : Graph::data_children[i])
        if (c != no_node) {
          cone[i].merge(cone[c]);
          cone[i].insert(c);
        }
    return cone;
  }();

  // A full reduction that runs a loop over its operand: sum(x - mu) and
  // sum((x - mu)^2) can accumulate side by side in one pass over x. (A
  // reduction of a constant, sum(broadcast_like(1, x)), runs no loop.)
  static constexpr bool is_full_reduction_pass(std::size_t i) {
    if (Graph::kinds[i] != node_kind::reduction || Graph::ranks[i] != 0) return false;
    const std::size_t operand = Graph::data_children[i][0];
    return operand != no_node && !Graph::constant[operand];
  }
  // Sources of the shape a full reduction loops over: its operand's.
  static constexpr node_bits<size> operand_sources(std::size_t i) {
    const std::size_t operand = Graph::data_children[i][0];
    if (Graph::kinds[operand] == node_kind::elementwise) return shape_sources[operand];
    node_bits<size> alone;
    if (Graph::ranks[operand] != 0) alone.insert(operand);
    return alone;
  }
  static constexpr bool same_reduction_loop(const table& t, std::size_t k, std::size_t j) {
    if (!is_full_reduction_pass(j) || Graph::stored_dtypes[k] != Graph::stored_dtypes[j] ||
        Graph::ranks[Graph::data_children[k][0]] != Graph::ranks[Graph::data_children[j][0]] ||
        !(operand_sources(k) == operand_sources(j)))
      return false;
    for (std::size_t r = k + 1; r <= j; ++r)  // no reduction of the loop may need k's result
      if (t.group[r] == j && Graph::kinds[r] == node_kind::reduction && depends_on[r].contains(k)) return false;
    return true;
  }

  // The first loop that reads k (loops run at their last node): k may join a
  // loop up to that one, which then computes it before anyone reads it. A view
  // of k is read by whatever reads the view, so k keeps a loop of its own.
  static constexpr std::size_t first_reading_loop(const table& t, std::size_t k) {
    std::size_t first = size;
    for (std::size_t c = k + 1; c < size; ++c) {
      if (!Graph::uses(c, k) || t.group[c] == no_node) continue;
      if (Graph::kinds[c] == node_kind::view) return k;
      if (t.group[c] < first) first = t.group[c];
    }
    return first;
  }

  // The loop that computes materialised node k, a later loop that runs
  // before anything else reads k: the loop of an elementwise node of k's shape
  // and dtype, or the loop of a full reduction over the same shape; or its own.
  static constexpr std::size_t loop_to_join(const table& t, std::size_t k) {
    const bool elementwise = Graph::kinds[k] == node_kind::elementwise;
    if (!elementwise && !is_full_reduction_pass(k)) return k;
    const std::size_t last = first_reading_loop(t, k);
    for (std::size_t j = last < size ? last + 1 : size; j-- > k + 1;) {
      if (t.group[j] != j || Graph::kinds[j] != Graph::kinds[k]) continue;
      if (elementwise ? same_loop_shape(j, k) : same_reduction_loop(t, k, j)) return j;
    }
    return k;
  }

  // Contractions, views, sweeps and dense routines read their operands from memory.
  static constexpr bool reads_memory(node_kind consumer) {
    return consumer == node_kind::contraction || consumer == node_kind::view || consumer == node_kind::sweep ||
           consumer == node_kind::dense;
  }
  // Whether such a node reads node k.
  static constexpr bool read_from_memory(std::size_t k) {
    for (std::size_t j = k + 1; j < size; ++j)
      if (Graph::uses(j, k) && reads_memory(Graph::kinds[j])) return true;
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
        if (reads_memory(consumer)) own = true;
        else if (consumer == node_kind::elementwise && Graph::ranks[j] != Graph::ranks[k]) own = true;
        else if (t.group[j] != no_node) loops.insert(t.group[j]);  // not j when it is never computed
      }
      // A node only ever read for its shape is never computed.
      const bool dead = !own && loops.count == 0;
      own = own || loops.count > 1;
      t.materialised[k] = own;
      t.group[k] = own ? loop_to_join(t, k) : dead ? no_node : loops.items[0];
    }
    return t;
  }
  static constexpr table decided = decide();

  static constexpr bool materialised(std::size_t i) { return decided.materialised[i]; }
  // The node whose loop computes node i: i itself for a loop of its own.
  static constexpr std::size_t loop_of(std::size_t i) { return decided.group[i]; }
  // Whether a loop (or product) runs at node i: reductions, contractions,
  // sweeps, dense routines, and materialised elementwise nodes last in their loop.
  static constexpr bool runs(std::size_t i) {
    const node_kind k = Graph::kinds[i];
    return k != node_kind::input && k != node_kind::view && materialised(i) && loop_of(i) == i;
  }

  // Nodes computed inside root's loop, in topological order (root last when elementwise).
  static constexpr index_set<size> members(std::size_t root) {
    index_set<size> m;
    for (std::size_t i = 0; i < size; ++i)
      if (decided.group[i] == root && Graph::kinds[i] == node_kind::elementwise) m.insert(i);
    return m;
  }

  // The reductions that reduction loop root accumulates, each into its own result (root last).
  static constexpr index_set<size> accumulated(std::size_t root) {
    index_set<size> a;
    for (std::size_t i = 0; i < size; ++i)
      if (decided.group[i] == root && Graph::kinds[i] == node_kind::reduction) a.insert(i);
    return a;
  }

  // The materialised members of elementwise loop root, each written to its own memory (root last).
  static constexpr index_set<size> stores(std::size_t root) {
    index_set<size> s;
    for (std::size_t i = 0; i < size; ++i)
      if (decided.group[i] == root && materialised(i) && Graph::kinds[i] == node_kind::elementwise) s.insert(i);
    return s;
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
    const auto a = accumulated(root);
    for (std::size_t k = 0; k < a.count; ++k) add_children(a.items[k]);
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
