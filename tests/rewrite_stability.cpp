// The stabilize phase: each rule fires, keeps values on ordinary inputs, and
// gives the right answer at the extremes where the original overflows,
// underflows or cancels.
#include "rewrite_support.hpp"

namespace {
using namespace theon::literals;
using rewrite_test::agrees_after_simplify;
using rewrite_test::rewrites_to;
using rewrite_test::value_at;
constexpr theon::vector<"x"> x;
constexpr theon::matrix<"M"> M;

static_assert(rewrites_to(theon::log(1_c + theon::exp(x)), theon::softplus(x)));
static_assert(rewrites_to(theon::log(theon::exp(x) + 1_c), theon::softplus(x)));
static_assert(rewrites_to(theon::log1p(theon::exp(x)), theon::softplus(x)));
static_assert(rewrites_to(theon::log(1_c + x), theon::log1p(x)));
static_assert(rewrites_to(theon::exp(x) - 1_c, theon::expm1(x)));
static_assert(rewrites_to(theon::log(theon::sigmoid(x)), -theon::softplus(-x)));
static_assert(rewrites_to(theon::log(1_c - theon::sigmoid(x)), -theon::softplus(x)));
static_assert(rewrites_to(theon::log1p(-theon::sigmoid(x)), -theon::softplus(x)));
static_assert(rewrites_to(1_c - theon::sigmoid(x), theon::sigmoid(-x)));
static_assert(rewrites_to(theon::exp(x) / (1_c + theon::exp(x)), theon::sigmoid(x)));
static_assert(rewrites_to(1_c / (1_c + theon::exp(-x)), theon::sigmoid(x)));
static_assert(rewrites_to(theon::log(1_c - theon::exp(x)), theon::log1mexp(x)));
static_assert(rewrites_to(theon::softplus(x) - theon::softplus(-x), x));
static_assert(rewrites_to(theon::log(theon::sum(theon::exp(x))), theon::logsumexp(x)));
static_assert(rewrites_to(theon::log(theon::sum(theon::exp(M), theon::axis<1>, theon::keepdims)),
                          theon::logsumexp(M, theon::axis<1>, theon::keepdims)));
static_assert(rewrites_to(theon::log(theon::softmax(M)), theon::log_softmax(M)));
static_assert(rewrites_to(M - theon::logsumexp(M, theon::axis<1>, theon::keepdims), theon::log_softmax(M)));
static_assert(rewrites_to(M - theon::logsumexp(M, theon::axis<0>, theon::keepdims), theon::log_softmax(M, theon::axis<0>)));
static_assert(rewrites_to(1_c / theon::exp(x), theon::exp(-x)));
static_assert(rewrites_to(1_c / (1_c + theon::exp(x)), theon::sigmoid(-x)));
static_assert(rewrites_to(theon::sigmoid(x) * theon::exp(-x), theon::sigmoid(-x)));
static_assert(rewrites_to(theon::exp(-x) * theon::sigmoid(x), theon::sigmoid(-x)));
static_assert(rewrites_to(theon::sigmoid(x) / theon::exp(x), theon::sigmoid(-x)));
static_assert(rewrites_to(theon::exp(x) * theon::sigmoid(-x), theon::sigmoid(x)));
static_assert(rewrites_to(theon::sigmoid(x) / theon::sigmoid(-x), theon::exp(x)));
static_assert(rewrites_to(theon::sigmoid(x) / (1_c - theon::sigmoid(x)), theon::exp(x)));  // the odds, through 1 - sigmoid
static_assert(rewrites_to(theon::softplus(x) - x, theon::softplus(-x)));
static_assert(rewrites_to(x - theon::logsumexp(x), theon::log_softmax(x)));
static_assert(rewrites_to(x - theon::log(theon::sum(theon::exp(x))), theon::log_softmax(x)));

TEST(RewriteStability, RulesKeepValuesOnOrdinaryInputs) {
  EXPECT_TRUE(agrees_after_simplify(theon::log(1_c + theon::exp(x)), -30, 30));
  EXPECT_TRUE(agrees_after_simplify(theon::log1p(theon::exp(x)), -30, 30));
  EXPECT_TRUE(agrees_after_simplify(theon::log(1_c + x), -0.9, 5, 1e-10));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(x) - 1_c, -5, 5, 1e-10));
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::sigmoid(x)), -30, 30, 1e-10));
  // Up to x = 15 the naive form still has 9 digits (1 - sigmoid(x) loses them as e^-x shrinks).
  EXPECT_TRUE(agrees_after_simplify(theon::log(1_c - theon::sigmoid(x)), -30, 15, 1e-6));
  EXPECT_TRUE(agrees_after_simplify(theon::log1p(-theon::sigmoid(x)), -30, 15, 1e-6));
  EXPECT_TRUE(agrees_after_simplify(1_c - theon::sigmoid(x), -30, 30, 1e-6));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(x) / (1_c + theon::exp(x)), -30, 30));
  EXPECT_TRUE(agrees_after_simplify(1_c / (1_c + theon::exp(-x)), -30, 30));
  EXPECT_TRUE(agrees_after_simplify(theon::log(1_c - theon::exp(x)), -5, 5, 1e-9));  // NaN for x > 0 on both sides
  EXPECT_TRUE(agrees_after_simplify(theon::softplus(x) - theon::softplus(-x), -30, 30, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(1_c / theon::exp(x), -30, 30, 1e-14));
  EXPECT_TRUE(agrees_after_simplify(1_c / (1_c + theon::exp(x)), -30, 30, 1e-14));
  EXPECT_TRUE(agrees_after_simplify(theon::sigmoid(x) * theon::exp(-x), -30, 30, 1e-14));
  EXPECT_TRUE(agrees_after_simplify(theon::sigmoid(x) / theon::exp(x), -30, 30, 1e-14));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(x) * theon::sigmoid(-x), -30, 30, 1e-14));
  EXPECT_TRUE(agrees_after_simplify(theon::sigmoid(x) / theon::sigmoid(-x), -30, 30, 1e-14));
  // softplus(x) - x cancels as x grows: the naive form keeps 9 digits up to x = 5.
  EXPECT_TRUE(agrees_after_simplify(theon::softplus(x) - x, -30, 5, 1e-9));
}

TEST(RewriteStability, AVectorLessItsLogsumexpIsItsLogSoftmax) {
  const xt::xtensor<double, 1> xs{1000.0, 0.0, -1000.0, 3.5};
  const xt::xtensor<double, 1> simplified = theon::function(x - theon::logsumexp(x))(x = xs);
  const xt::xtensor<double, 1> as_written = theon::function(theon::no_rewrites, x - theon::logsumexp(x))(x = xs);
  EXPECT_EQ(simplified, as_written);
  EXPECT_EQ(simplified(0), 0.0);
  EXPECT_EQ(simplified(2), -2000.0);
}

TEST(RewriteStability, ExtremeInputsGiveTheExactAnswer) {
  auto simplified_at = [](auto e, double v) { return value_at(theon::simplify(e), {{"x", v}}); };
  EXPECT_EQ(simplified_at(theon::log(1_c + theon::exp(x)), 1000), 1000.0);
  EXPECT_TRUE(std::isinf(value_at(theon::log(1_c + theon::exp(x)), {{"x", 1000}})));  // the naive form overflows
  EXPECT_EQ(simplified_at(theon::log(theon::sigmoid(x)), -1000), -1000.0);
  EXPECT_EQ(simplified_at(theon::log(1_c - theon::sigmoid(x)), 1000), -1000.0);
  EXPECT_EQ(simplified_at(theon::exp(x) / (1_c + theon::exp(x)), 1000), 1.0);
  EXPECT_EQ(simplified_at(theon::sigmoid(x) * theon::exp(-x), -1000), 1.0);  // naive: 0 * inf
  EXPECT_TRUE(std::isnan(value_at(theon::sigmoid(x) * theon::exp(-x), {{"x", -1000}})));
  EXPECT_EQ(simplified_at(theon::sigmoid(x) / theon::exp(x), -1000), 1.0);  // naive: 0 / 0
  EXPECT_EQ(simplified_at(theon::exp(x) * theon::sigmoid(-x), 1000), 1.0);  // naive: inf * 0
  EXPECT_DOUBLE_EQ(simplified_at(theon::softplus(x) - x, 40), std::log1p(std::exp(-40.0)));  // naive: 0
  EXPECT_DOUBLE_EQ(simplified_at(theon::log(1_c + x), 1e-20), 1e-20);  // 1 + 1e-20 rounds to 1
  EXPECT_DOUBLE_EQ(simplified_at(theon::exp(x) - 1_c, 1e-20), 1e-20);
  EXPECT_DOUBLE_EQ(simplified_at(1_c - theon::sigmoid(x), 40), std::exp(-40.0) / (1 + std::exp(-40.0)));
  EXPECT_DOUBLE_EQ(simplified_at(theon::log(1_c - theon::exp(x)), -1e-20), std::log(1e-20));
}

TEST(RewriteStability, LogSumExpOfLargeValuesThroughFunction) {
  const xt::xtensor<double, 1> big = {1000, 1000};
  const double lse = theon::function(theon::log(theon::sum(theon::exp(x))))(x = big);
  EXPECT_DOUBLE_EQ(lse, 1000 + std::log(2.0));
  const double naive = theon::function(theon::no_rewrites, theon::log(theon::sum(theon::exp(x))))(x = big);
  EXPECT_TRUE(std::isinf(naive));
  const xt::xtensor<double, 2> m = {{1000, 0}, {-1000, 1}};
  const xt::xtensor<double, 2> ls = theon::function(theon::log(theon::softmax(M)))(M = m);
  EXPECT_DOUBLE_EQ(ls(0, 1), -1000.0);
  EXPECT_NEAR(ls(1, 0), -1001.0, 1e-9);
}

}  // namespace
