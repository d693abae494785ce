#pragma once
// Data parallelism over shards (the MPI runner): which axis of each node is
// split across processes, and which nodes each process computes only a part of.
//
// Sharded inputs are split along axis 0, each process holding some of the
// rows. The split follows the graph:
//   - an elementwise result is split where its split operands are (broadcast
//     aligns axes on the right); operands split along different axes are refused;
//   - a reduction over the split axis leaves each process a part (the sum,
//     max, ... of its own rows), which the runner completes across processes;
//     over other axes the split moves with the axes kept;
//   - sum_to(g, x), the adjoint of broadcasting, is split where x is, and a
//     part where x is whole (a replicated variable's gradient);
//   - dot and matmul keep the rows of a split left operand split; contracting
//     two split axes (matmul(transpose(X), e)) leaves a part;
//   - views move the split axis with theirs (transpose, expand_dims, squeeze,
//     subscripts that take it whole);
//   - dense routines, sweeps, gemm and ops that read positions (random draws)
//     need the whole axis: a split operand is refused at compile time.
// A part is whole once completed, so its readers see a replicated value.
#include <array>
#include <cstddef>

#include "theon/ops/linalg.hpp"
#include "theon/ops/reduce.hpp"
#include "theon/ops/subscript.hpp"
#include "theon/plan/graph.hpp"
#include "theon/plan/plan.hpp"

namespace theon {

// The variables whose rows are split across processes.
template <class... Vars>
struct sharded_t {
  using variables = type_list<Vars...>;
};
template <class... Vars>
constexpr sharded_t<Vars...> sharded(Vars...) {
  static_assert(sizeof...(Vars) > 0 && (is_var_v<Vars> && ...), "theon::sharded: takes the input variables whose rows are split");
  static_assert(((rank_v<Vars> >= 1) && ...), "theon::sharded: a sharded variable needs an axis 0 to split (rank 1 or more)");
  return {};
}

// How a part is completed across processes. A count (the sum of a constant
// over the split axis, as a mean's adjoint divides by) needs no message: the
// number of rows on every process is known once the shapes are agreed.
enum class completion { none, sum, mean, prod, max, min, count };

// What keeps an op from running on shards.
enum class split_problem {
  none,
  needs_whole_axis,           // it reads across the split axis
  mixes_split_axes,           // its operands are split along different axes
  contracts_split_with_whole  // it contracts a split axis with an axis that is whole
};

struct split {
  static constexpr std::size_t whole = static_cast<std::size_t>(-1);
  std::size_t axis = whole;                  // the axis split across processes
  std::size_t source = no_node;              // the sharded input whose rows it holds
  completion completes = completion::none;   // a part: completed across processes
  split_problem problem = split_problem::none;
};

namespace sharding_detail {

// How a reduction's parts combine: sum (sum_to too), mean, prod, max, min.
template <class Op>
inline constexpr completion completion_of = completion::sum;
template <bool Keep, std::size_t... Axes>
inline constexpr completion completion_of<mean_op<Keep, Axes...>> = completion::mean;
template <bool Keep, std::size_t... Axes>
inline constexpr completion completion_of<prod_op<Keep, Axes...>> = completion::prod;
template <bool Keep, std::size_t... Axes>
inline constexpr completion completion_of<max_op<Keep, Axes...>> = completion::max;
template <bool Keep, std::size_t... Axes>
inline constexpr completion completion_of<min_op<Keep, Axes...>> = completion::min;

// Where split axis `axis` of an operand of rank `from` lands in a result of
// rank `to` it broadcasts into.
constexpr std::size_t aligned(std::size_t axis, std::size_t from, std::size_t to) { return axis + (to - from); }

// An operand's split (of `from`, along `axis` of the result) joined into the
// result's: the same axis, or a problem.
constexpr void join(split& out, const split& from, std::size_t axis) {
  if (out.axis == split::whole) out.axis = axis, out.source = from.source;
  else if (out.axis != axis) out.problem = split_problem::mixes_split_axes;
}

// The split of node E from its operands' splits (literals: whole).
template <class E>
struct split_rule;

template <class Op, class... Args>
struct split_rule<node<Op, Args...>> {
  static constexpr std::size_t R = rank_v<node<Op, Args...>>;
  static constexpr std::array<std::size_t, sizeof...(Args) + 1> ranks{rank_v<Args>..., 0};

  static constexpr bool any_split(const std::array<split, max_arity>& in) {
    for (std::size_t k = 0; k < sizeof...(Args); ++k)
      if (in[k].axis != split::whole) return true;
    return false;
  }

  static constexpr split of(const std::array<split, max_arity>& in) {
    using kind = typename Op::kind;
    split out;
    if constexpr (same_type<kind, elementwise>) {
      for (std::size_t k = 0; k < sizeof...(Args); ++k)
        if (in[k].axis != split::whole) join(out, in[k], aligned(in[k].axis, ranks[k], R));
      if (positional_op<Op> && out.axis != split::whole) out.problem = split_problem::needs_whole_axis;
    } else if constexpr (same_type<Op, sum_to_op>) {
      // g summed to x's shape, both aligned on the right with the result.
      const std::size_t g = in[0].axis, x = in[1].axis, lead_g = ranks[0] - R, lead_x = ranks[1] - R;
      const std::size_t x_axis = x == split::whole || x < lead_x ? split::whole : x - lead_x;
      if (x != split::whole && x < lead_x) out.problem = split_problem::mixes_split_axes;
      else if (g == split::whole) out.axis = split::whole;
      else if (g < lead_g || x == split::whole) out.completes = completion::sum;  // summed over the split axis
      else if (x_axis == g - lead_g) out.axis = x_axis, out.source = in[0].source;
      else out.problem = split_problem::mixes_split_axes;
    } else if constexpr (same_type<kind, reduction>) {
      const std::size_t a = in[0].axis;
      if (a != split::whole) {
        if (Op::reduces(a)) {
          out.completes = is_sum_v<Op> && is_repeated_literal_v<typename type_at<0, type_list<Args...>>::type>
                              ? completion::count
                              : completion_of<Op>;
          out.source = in[0].source;
        } else {
          std::size_t removed = 0;
          for (std::size_t i = 0; i < a; ++i) removed += !Op::keep && Op::reduces(i);
          out.axis = a - removed, out.source = in[0].source;
        }
      }
    } else if constexpr (same_type<Op, dot_op> || same_type<Op, matmul_op>) {
      // (batch, m, k)(batch, k, n): batches, the left's rows and the right's
      // columns stay where the result has them; k is contracted.
      const std::size_t ra = ranks[0], rb = ranks[1];
      const bool stacked = ra == 3 || rb == 3;
      const std::size_t a_inner = ra - 1, b_inner = rb == 3 ? 1 : 0;
      const bool left_inner = in[0].axis == a_inner, right_inner = in[1].axis == b_inner;
      if (left_inner != right_inner) out.problem = split_problem::contracts_split_with_whole;
      else if (left_inner) out.completes = completion::sum;
      else {
        const std::size_t rows = stacked ? 1 : 0;  // where the left's rows land
        if (in[0].axis != split::whole) join(out, in[0], stacked && ra == 3 && in[0].axis == 0 ? 0 : rows);
        if (in[1].axis != split::whole) join(out, in[1], stacked && rb == 3 && in[1].axis == 0 ? 0 : R - 1);
      }
    } else if constexpr (same_type<kind, view>) {
      if (in[0].axis != split::whole) out = moved_by_view(in[0].axis), out.source = in[0].source;
    } else if (any_split(in)) {  // dense routines, sweeps, gemm: the whole axis
      out.problem = split_problem::needs_whole_axis;
    }
    return out;
  }

  // Where a view puts its operand's split axis: transpose, expand_dims and
  // squeeze reindex axes; a subscript keeps an axis it takes whole.
  static constexpr split moved_by_view(std::size_t axis) {
    split out;
    if constexpr (requires { Op::items; }) {
      std::size_t in_axis = 0, out_axis = 0;
      for (const subscript_item& item : Op::items) {
        if (item.kind == subscript_item::form::new_axis) {
          ++out_axis;
          continue;
        }
        if (in_axis == axis) {
          const bool takes_whole = item.kind == subscript_item::form::range && item.start == 0 && item.stop == end &&
                                   item.step == 1;
          if (takes_whole) out.axis = out_axis;
          else out.problem = split_problem::needs_whole_axis;
          return out;
        }
        ++in_axis;
        out_axis += item.kind == subscript_item::form::range;
      }
      out.axis = out_axis + (axis - in_axis);  // an axis after the items, kept as it is
    } else {
      std::array<std::ptrdiff_t, ranks[0]> ids{};
      for (std::size_t i = 0; i < ranks[0]; ++i) ids[i] = static_cast<std::ptrdiff_t>(i);
      const auto moved = Op::reindex(ids, std::ptrdiff_t{-1});
      out.problem = split_problem::needs_whole_axis;  // unless found: squeezed away
      for (std::size_t i = 0; i < moved.size(); ++i)
        if (moved[i] == static_cast<std::ptrdiff_t>(axis)) out = split{.axis = i};
    }
    return out;
  }
};

template <class Var, class Sharded>
struct is_sharded;
template <class Var, class... S>
struct is_sharded<Var, type_list<S...>>
    : std::bool_constant<(THEON_SAME_TYPE(name_type_t<Var>, name_type_t<S>) || ...)> {};

template <class N, class Sharded>
constexpr split input_split(std::size_t self) {
  if (is_sharded<N, Sharded>::value) return split{.axis = 0, .source = self};
  return split{};
}

}  // namespace sharding_detail

// The split of every node of graph G whose variables Sharded (a type_list)
// are split along axis 0.
template <class G, class Sharded>
struct sharding;
template <class... N, class Outputs, class Sharded>
struct sharding<graph<type_list<N...>, Outputs>, Sharded> {
  using G = graph<type_list<N...>, Outputs>;
  static constexpr std::size_t size = G::size;

  static constexpr std::array<split, size> splits = [] {
    using rule = split (*)(const std::array<split, max_arity>&, std::size_t);
    constexpr rule rules[] = {[](const std::array<split, max_arity>& in, std::size_t self) {
      if constexpr (is_var_v<N>) return sharding_detail::input_split<N, Sharded>(self);
      else return sharding_detail::split_rule<N>::of(in);
    }...};
    std::array<split, size> out{};
    for (std::size_t i = 0; i < size; ++i) {
      std::array<split, max_arity> in{};
      for (std::size_t k = 0; k < max_arity; ++k)
        if (G::children[i][k] != no_node) in[k] = out[G::children[i][k]];
      out[i] = rules[i](in, i);
    }
    return out;
  }();

  // Whether each process computes only a part of node i, completed by a message.
  static constexpr bool is_part(std::size_t i) {
    return splits[i].completes != completion::none && splits[i].completes != completion::count;
  }

  // The first node no process can compute on its shard, or size.
  static constexpr std::size_t first_problem = [] {
    for (std::size_t i = 0; i < size; ++i)
      if (splits[i].problem != split_problem::none) return i;
    return size;
  }();
};

// When each part is completed: before the first loop that reads a part (with
// every part computed since the last completion), and the rest after the
// loops. A loop reads a view's memory, so a view is read through to its operand.
template <class G, class Sharded>
struct completion_schedule {
  using S = sharding<G, Sharded>;
  using P = plan<G>;
  static constexpr std::size_t size = G::size;
  static constexpr std::size_t after_loops = size;

  static constexpr std::size_t seen(std::size_t c) {
    while (G::kinds[c] == node_kind::view) c = G::data_children[c][0];
    return c;
  }
  static constexpr index_set<size> loop_reads(std::size_t root) {
    if (G::kinds[root] == node_kind::elementwise || G::kinds[root] == node_kind::reduction) return P::reads(root);
    index_set<size> r;
    for (std::size_t c : G::data_children[root])
      if (c != no_node) r.insert(c);
    return r;
  }
  static constexpr index_set<size> loop_parts(std::size_t root) {
    index_set<size> parts;
    if (G::kinds[root] == node_kind::reduction) {
      const auto a = P::accumulated(root);
      for (std::size_t k = 0; k < a.count; ++k)
        if (S::is_part(a.items[k])) parts.insert(a.items[k]);
    } else if (S::is_part(root)) {
      parts.insert(root);
    }
    return parts;
  }

  // completed_at[i]: the loop before which part i is completed (after_loops: after all of them).
  static constexpr std::array<std::size_t, size> completed_at = [] {
    std::array<std::size_t, size> at{};
    at.fill(no_node);
    std::array<bool, size> pending{};
    auto complete_pending = [&](std::size_t when) {
      for (std::size_t i = 0; i < size; ++i)
        if (pending[i]) at[i] = when, pending[i] = false;
    };
    for (std::size_t root = 0; root < size; ++root) {
      if (!P::runs(root)) continue;
      const auto reads = loop_reads(root);
      for (std::size_t k = 0; k < reads.count; ++k)
        if (pending[seen(reads.items[k])]) {
          complete_pending(root);
          break;
        }
      const auto parts = loop_parts(root);
      for (std::size_t k = 0; k < parts.count; ++k) pending[parts.items[k]] = true;
    }
    complete_pending(after_loops);
    return at;
  }();
  template <std::size_t When>
  static constexpr index_set<size> completed = [] {
    index_set<size> parts;
    for (std::size_t i = 0; i < size; ++i)
      if (completed_at[i] == When) parts.insert(i);
    return parts;
  }();
  // How many points of a call complete parts (each sends one message per way of combining).
  static constexpr std::size_t points = [] {
    std::array<bool, size + 1> used{};
    std::size_t n = 0;
    for (std::size_t when : completed_at)
      if (when != no_node && !used[when]) used[when] = true, ++n;
    return n;
  }();
  static constexpr std::size_t last_loop = [] {
    std::size_t last = no_node;
    for (std::size_t i = 0; i < size; ++i)
      if (P::runs(i)) last = i;
    return last;
  }();
};

}  // namespace theon
