// The rewrite layer on its own (rewrite/ over ops/ and core/): the default
// phases instantiated, with no autodiff, planning or runner.
#include <gtest/gtest.h>

#include <theon/ops/arithmetic.hpp>
#include <theon/ops/math.hpp>
#include <theon/ops/nn.hpp>
#include <theon/rewrite/phases.hpp>

namespace {
using namespace theon::literals;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;

static_assert(std::is_same_v<decltype(theon::simplify(theon::log(1_c + theon::exp(x)))), decltype(theon::softplus(x))>);
static_assert(std::is_same_v<decltype(theon::simplify(3_c * x - x - x)), std::remove_const_t<decltype(x)>>);
// Simplified together, equal results are one type: the outputs of one function share it.
using doubled = decltype(2_c * x);
static_assert(std::is_same_v<theon::simplified_together_t<decltype(x + x), doubled>, theon::type_list<doubled, doubled>>);

TEST(Rewrite, KeepsTheExpressionWhenNoRuleApplies) {
  EXPECT_TRUE((std::is_same_v<decltype(theon::simplify(theon::exp(x))), decltype(theon::exp(x))>));
}
}  // namespace
