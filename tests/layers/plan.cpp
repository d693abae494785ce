// The plan layer on its own (plan/ over ops/ and core/): the graph tables,
// the plan and its description, and printing, with no rewriting or runner.
#include <gtest/gtest.h>

#include <theon/ops/arithmetic.hpp>
#include <theon/ops/dense.hpp>
#include <theon/ops/math.hpp>
#include <theon/ops/reduce.hpp>
#include <theon/plan/describe.hpp>
#include <theon/plan/print.hpp>

namespace {
using namespace theon::literals;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;

constexpr auto total = theon::sum(theon::exp(x) * y);
using lowered = theon::lowered_t<std::remove_const_t<decltype(total)>>;
using graph = theon::graph<theon::unique_nodes_t<lowered>, theon::type_list<lowered>>;

TEST(Plan, OneFusedLoopForAnElementwiseProducerAndItsSum) {
  const auto d = theon::describe_plan<graph>();
  ASSERT_EQ(d.steps.size(), 3u);  // x and y bound, then one loop
  EXPECT_EQ(d.steps[0].kind, std::string("input"));
  EXPECT_EQ(d.steps[1].kind, std::string("input"));
  EXPECT_EQ(d.steps[2].kind, std::string("reduction"));
  EXPECT_EQ(d.steps[2].fused, (std::vector<std::string>{"exp(x)", "exp(x) * y"}));
  EXPECT_TRUE(d.steps[2].output);
  EXPECT_EQ(theon::to_string(total), "sum(exp(x) * y)");
}

// A dense routine reads its operand from memory: the elementwise node it reads
// gets its own loop, and the routine its own step.
TEST(Plan, ADenseRoutineReadsAMaterialisedOperand) {
  constexpr theon::matrix<"A"> A;
  using solved = std::remove_const_t<decltype(theon::cholesky(theon::exp(A)))>;
  using dense_graph = theon::graph<theon::unique_nodes_t<solved>, theon::type_list<solved>>;
  const auto d = theon::describe_plan<dense_graph>();
  ASSERT_EQ(d.steps.size(), 3u);
  EXPECT_EQ(d.steps[1].kind, std::string("elementwise"));
  EXPECT_TRUE(d.steps[1].temporary);
  EXPECT_EQ(d.steps[2].kind, std::string("dense"));
  EXPECT_EQ(theon::to_string(solved{}), "cholesky(exp(A))");
}
}  // namespace
