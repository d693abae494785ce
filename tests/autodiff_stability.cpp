// Gradients that must stay finite and accurate at extreme inputs (softplus,
// sigmoid, tanh, logsumexp, softmax, log_softmax at |x| ~ 1000), and the
// derivative rules of the softmax family (softmax, log_softmax along both
// axes; logsumexp over all axes, one axis, keepdims) checked with
// theon::check_grad.
#include <cmath>
#include <limits>
#include <string>

#include "grad_support.hpp"

namespace {

using namespace theon::literals;
using grad_test::close_to;
using grad_test::uniform;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"u"> u;
constexpr theon::matrix<"X"> X;
constexpr theon::matrix<"W"> W;

bool all_finite(const xt::xtensor<double, 1>& v) {
  for (double e : v)
    if (!std::isfinite(e)) return false;
  return true;
}

// ------------------------------------------------------ softmax family rules ----
// softmax sums to 1 along its axis, so the cost weighs its entries with W:
// sum(softmax(X)) would have gradient 0 whatever the rule.

TEST(AutodiffSoftmax, SoftmaxBothAxes) {
  const auto Xs = uniform<2>({3, 4}, -2, 2, 201);
  const auto Ws = uniform<2>({3, 4}, -1, 1, 202);
  EXPECT_GRAD_OK(theon::sum(theon::softmax(X) * W), X, X = Xs, W = Ws);
  EXPECT_GRAD_OK(theon::sum(theon::softmax(X, theon::axis<0>) * W), X, X = Xs, W = Ws);
}

TEST(AutodiffSoftmax, LogSoftmaxBothAxes) {
  const auto Xs = uniform<2>({3, 4}, -2, 2, 203);
  const auto Ws = uniform<2>({3, 4}, -1, 1, 204);
  EXPECT_GRAD_OK(theon::sum(theon::log_softmax(X) * W), X, X = Xs, W = Ws);
  EXPECT_GRAD_OK(theon::sum(theon::log_softmax(X, theon::axis<0>) * W), X, X = Xs, W = Ws);
}

TEST(AutodiffSoftmax, LogSumExpAllAxisKeepdims) {
  const auto Xs = uniform<2>({3, 4}, -2, 2, 205);
  EXPECT_GRAD_OK(theon::logsumexp(X), X, X = Xs);
  EXPECT_GRAD_OK(theon::sum(theon::square(theon::logsumexp(X, theon::axis<1>))), X, X = Xs);
  EXPECT_GRAD_OK(theon::sum(theon::square(theon::logsumexp(X, theon::axis<-2>, theon::keepdims))), X, X = Xs);
}

// --------------------------------------------------------------- stability ----

// d softplus(x) = sigmoid(x): exactly 1 at 1000, a tiny finite number at -1000.
TEST(AutodiffStability, SoftplusGradientAtExtremes) {
  const xt::xtensor<double, 1> xs = {1000, -1000, 0};
  const xt::xtensor<double, 1> g = theon::function(theon::grad(theon::sum(theon::softplus(x)), x))(x = xs);
  ASSERT_TRUE(all_finite(g)) << grad_test::values_text(g.data(), g.size());
  EXPECT_EQ(g(0), 1.0);
  EXPECT_GE(g(1), 0.0);
  EXPECT_LT(g(1), 1e-300);
  EXPECT_EQ(g(2), 0.5);
}

// log(sigmoid(x)) = -softplus(-x), whose derivative sigmoid(-x) is 1 at
// x = -1000. theon has no rewriter (yet) that turns log(sigmoid(x)) into this
// stable form: written as log(sigmoid(x)), sigmoid(-1000) underflows to 0, the
// value is -inf and the gradient (1 / s) * s (1 - s) is inf * 0 = NaN. The
// stable form is what to write today.
TEST(AutodiffStability, LogSigmoidStableForm) {
  const xt::xtensor<double, 1> xs = {-1000, 1000, 0};
  const xt::xtensor<double, 1> g =
      theon::function(theon::grad(theon::sum(-theon::softplus(-x)), x))(x = xs);
  ASSERT_TRUE(all_finite(g)) << grad_test::values_text(g.data(), g.size());
  EXPECT_EQ(g(0), 1.0);
  EXPECT_EQ(g(1), 0.0);
  EXPECT_EQ(g(2), 0.5);
  // softplus(-x) itself: the derivative is -sigmoid(-x), -1 at x = -1000.
  EXPECT_EQ(theon::function(theon::grad(theon::sum(theon::softplus(-x)), x))(x = xs)(0), -1.0);
  // The naive form's gradient divides 0 by 0 at -1000 (sigmoid underflows);
  // function() rewrites the gradient graph into a stable form before running it.
  const auto naive_gradient = theon::grad(theon::sum(theon::log(theon::sigmoid(x))), x);
  const xt::xtensor<double, 1> naive = theon::function(naive_gradient)(x = xs);
  EXPECT_EQ(naive(0), 1.0);
  EXPECT_EQ(naive(2), 0.5);
  const xt::xtensor<double, 1> unrewritten = theon::function(theon::no_rewrites, naive_gradient)(x = xs);
  EXPECT_TRUE(std::isnan(unrewritten(0))) << unrewritten(0);
}

TEST(AutodiffStability, SigmoidAndTanhGradientsVanishFinitely) {
  const xt::xtensor<double, 1> xs = {1000, -1000, 800, -800};
  const auto [gs, gt] = theon::function(theon::grad(theon::sum(theon::sigmoid(x)), x),
                                        theon::grad(theon::sum(theon::tanh(x)), x))(x = xs);
  EXPECT_TRUE(close_to(gs, {4}, {0, 0, 0, 0}, 0, 1e-300));
  EXPECT_TRUE(close_to(gt, {4}, {0, 0, 0, 0}, 0, 0));
}

// d logsumexp(x) = softmax(x): finite at [1000, 1001] (no exp overflow).
TEST(AutodiffStability, LogSumExpGradientIsSoftmaxAtLargeInputs) {
  const xt::xtensor<double, 1> xs = {1000, 1001};
  auto f = theon::function(theon::grad(theon::logsumexp(x), x), theon::softmax(x));
  const auto [g, s] = f(x = xs);
  ASSERT_TRUE(all_finite(g)) << grad_test::values_text(g.data(), g.size());
  const double p0 = 1 / (1 + std::exp(1.0));
  // exp(x - logsumexp(x)): x - 1001.31... rounds at the 1e-13 level.
  EXPECT_TRUE(close_to(g, {2}, {p0, 1 - p0}, 1e-12, 0));
  EXPECT_TRUE(close_to(g, s, 1e-12, 0));
  // Very different magnitudes: the weights underflow to exact zeros.
  const xt::xtensor<double, 1> spread = {-1000, 0, 1000};
  const auto [g2, s2] = f(x = spread);
  EXPECT_TRUE(close_to(g2, {3}, {0, 0, 1}, 0, 1e-300));
  EXPECT_TRUE(close_to(g2, s2, 0, 1e-300));
}

// The softmax and log_softmax adjoints stay finite where exp(x) overflows.
TEST(AutodiffStability, SoftmaxFamilyGradientsAtLargeInputs) {
  const xt::xtensor<double, 1> xs = {1000, 1001, -1000};
  const xt::xtensor<double, 1> us = {0.5, -1, 2};
  const auto [gs, gl] = theon::function(theon::grad(theon::sum(theon::softmax(x) * u), x),
                                        theon::grad(theon::sum(theon::log_softmax(x) * u), x))(x = xs, u = us);
  ASSERT_TRUE(all_finite(gs)) << grad_test::values_text(gs.data(), gs.size());
  ASSERT_TRUE(all_finite(gl)) << grad_test::values_text(gl.data(), gl.size());
  // softmax: s_i (u_i - sum_j s_j u_j); log_softmax: u_i - s_i sum_j u_j.
  const double p0 = 1 / (1 + std::exp(1.0)), p1 = 1 - p0;
  const double su = p0 * 0.5 + p1 * -1;
  EXPECT_TRUE(close_to(gs, {3}, {p0 * (0.5 - su), p1 * (-1 - su), 0}, 1e-14, 1e-15));
  EXPECT_TRUE(close_to(gl, {3}, {0.5 - p0 * 1.5, -1 - p1 * 1.5, 2}, 1e-14, 1e-15));
}

}  // namespace
