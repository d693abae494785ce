// The exec layer on its own (exec/ over plan/, ops/ and core/): a loop program
// run element by element through plain pointers, as a runner with no SIMD and
// no threads would (the Thrust runner does this per element on a device).
#include <gtest/gtest.h>

#include <cmath>

#include <theon/exec/loop_program.hpp>
#include <theon/ops/arithmetic.hpp>
#include <theon/ops/math.hpp>
#include <theon/ops/reduce.hpp>

namespace {
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;

using total = theon::lowered_t<std::remove_const_t<decltype(theon::sum(theon::exp(x) * y))>>;
using nodes = theon::unique_nodes_t<total>;
using graph = theon::graph<nodes, theon::type_list<total>>;
constexpr std::size_t root = theon::index_of<total, nodes>::value;
using program = theon::loop_program<graph, root>;

static_assert(program::reduces && program::read_count == 2);
static_assert(program::reads.items[0] == theon::index_of<std::remove_const_t<decltype(x)>, nodes>::value);
static_assert(program::reads.items[1] == theon::index_of<std::remove_const_t<decltype(y)>, nodes>::value);

TEST(Exec, ALoopProgramComputesWhatItsReductionConsumes) {
  const double xs[] = {0.0, 1.0, -2.0}, ys[] = {2.0, 3.0, 0.5};
  program::reader rd{{xs, ys}, {1, 1}};
  for (std::size_t t = 0; t < 3; ++t)
    EXPECT_DOUBLE_EQ((program::consumed_values<theon::scalar_mode, true>(rd, t)[0]), std::exp(xs[t]) * ys[t]);
  // A reader moved by two elements reads from there.
  const std::ptrdiff_t two[] = {2, 2};
  program::shift_reads(rd, two);
  EXPECT_DOUBLE_EQ((program::consumed_values<theon::scalar_mode, true>(rd, 0)[0]), std::exp(-2.0) * 0.5);
}
}  // namespace
