// plan/sharding.hpp: where the rows of sharded inputs go through a graph,
// which nodes each process computes only a part of, what no process can
// compute on its rows, and when parts are completed. All decided at compile
// time, so this file is static_asserts (the MPI runner's values: tests/mpi/).
#include <gtest/gtest.h>

#include <theon/theon.hpp>
#include <theon/plan/sharding.hpp>

using namespace theon::literals;

namespace {

constexpr theon::matrix<"X"> X;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"w"> w;
constexpr theon::scalar<"key", std::int64_t> key;
constexpr theon::vector<"i", std::int64_t> i;

using sharded = decltype(theon::sharded(X, y))::variables;

// The split of e, in the graph of e alone, with X and y sharded.
template <class E>
constexpr theon::split split_of(E) {
  using L = theon::lowered_t<E>;
  using G = theon::graph<theon::unique_nodes_t<L>, theon::type_list<L>>;
  return theon::sharding<G, sharded>::splits[theon::index_of<L, typename G::nodes>::value];
}
template <class E>
constexpr bool split_along(E e, std::size_t axis) {
  const theon::split s = split_of(e);
  return s.axis == axis && s.completes == theon::completion::none && s.problem == theon::split_problem::none;
}
template <class E>
constexpr bool completed_by(E e, theon::completion how) {
  const theon::split s = split_of(e);
  return s.axis == theon::split::whole && s.completes == how && s.problem == theon::split_problem::none;
}
template <class E>
constexpr bool refused(E e, theon::split_problem why) {
  return split_of(e).problem == why;
}
constexpr std::size_t whole = theon::split::whole;

// Inputs: the sharded ones along axis 0, the others whole.
static_assert(split_along(X, 0) && split_along(y, 0) && split_along(w, whole));

// Elementwise: the rows stay split; broadcasting aligns on the right.
static_assert(split_along(theon::exp(X) * 2_c, 0));
static_assert(split_along(X - theon::expand_dims<1>(y), 0));
static_assert(split_along(X + w, 0));  // w broadcast over each row
static_assert(refused(X * y, theon::split_problem::mixes_split_axes));  // y would run along X's columns
static_assert(refused(theon::normal(key, X), theon::split_problem::needs_whole_axis));  // a draw reads its position

// Reductions: over the rows a part, completed as the op combines; else the rows stay split.
static_assert(completed_by(theon::sum(X, theon::axis<0>), theon::completion::sum));
static_assert(completed_by(theon::mean(y), theon::completion::mean));
static_assert(completed_by(theon::max(X), theon::completion::max));
static_assert(completed_by(theon::min(X, theon::axis<0>), theon::completion::min));
static_assert(completed_by(theon::prod(y), theon::completion::prod));
static_assert(split_along(theon::sum(X, theon::axis<1>), 0));
static_assert(split_along(theon::mean(theon::transpose(X), theon::axis<0>), 0));  // the columns' axis goes
static_assert(split_along(theon::sum(X, theon::axis<1>, theon::keepdims), 0));
// A count of elements over the rows is known from the shard sizes: no message.
static_assert(completed_by(theon::sum(theon::broadcast_like(1_c, y)), theon::completion::count));
// sum_to: a replicated variable's gradient sums over the rows; a sharded one's keeps them.
static_assert(completed_by(theon::sum_to(X, w), theon::completion::sum));
static_assert(split_along(theon::sum_to(X * 2_c, X), 0));

// Products: rows of the left stay split; contracting two split axes is a part.
static_assert(split_along(theon::matmul(X, w), 0));
static_assert(completed_by(theon::matmul(theon::transpose(X), y), theon::completion::sum));
static_assert(completed_by(theon::dot(y, y), theon::completion::sum));
static_assert(refused(theon::matmul(theon::transpose(X), theon::matmul(theon::transpose(X), X)),
                      theon::split_problem::contracts_split_with_whole));
static_assert(refused(theon::matmul(X, theon::transpose(X)), theon::split_problem::mixes_split_axes));

// Views move the split axis; a subscript must take the rows whole.
static_assert(split_along(theon::transpose(X), 1));
static_assert(split_along(theon::expand_dims<0>(y), 1));
static_assert(split_along(X(theon::_, theon::slice<0, 2>), 0));
static_assert(split_along(X(theon::_, theon::index<1>), 0));
static_assert(split_along(y(theon::_, theon::newaxis), 0));
static_assert(refused(X(theon::slice<1, -1>), theon::split_problem::needs_whole_axis));
static_assert(refused(X(theon::index<0>), theon::split_problem::needs_whole_axis));

// Ops that read across rows other processes hold are refused; on replicated values they run.
static_assert(refused(theon::take(X, i), theon::split_problem::needs_whole_axis));
static_assert(refused(theon::cumsum(y), theon::split_problem::needs_whole_axis));
static_assert(split_along(theon::cumsum(w), whole));
static_assert(split_along(theon::cumsum(theon::sum(X, theon::axis<0>)), whole));  // on a completed part

// A logistic loss and its gradients: every part is completed at one point of the call.
const auto logit = theon::matmul(X, w);
const auto loss = theon::mean(theon::softplus(logit) - y * logit);
using loss_and_gradient = decltype(theon::function(loss, theon::grad(loss, w)));
using schedule = theon::completion_schedule<loss_and_gradient::graph_type, sharded>;
static_assert(schedule::points == 1);
// A variance reads a completed mean: two points.
using variance = decltype(theon::function(theon::mean(theon::square(y - theon::mean(y)))));
static_assert(theon::completion_schedule<variance::graph_type, sharded>::points == 2);

TEST(Sharding, DecidedAtCompileTime) { SUCCEED() << "the static_asserts above are the tests"; }

}  // namespace
