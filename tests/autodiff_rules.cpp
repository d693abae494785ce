// Derivative rules of theon's arithmetic and unary elementwise ops, checked
// with theon::check_grad (central finite differences) on random inputs from
// each op's domain (fixed seeds), plus hand-computed gradients at the points
// finite differences cannot judge (kinks). Choices, bounds, casts, outer,
// transpose and matmul chains are in autodiff_rules_choices.cpp (a file each
// keeps either under the compile budget); reductions in autodiff_grad.cpp;
// dot/matmul rank combinations and the softmax family in autodiff_stability.cpp.
//
// Compile time: every check_grad compiles a value function and a gradient
// function, and the cost grows with the ops in both. Checks of one cost
// against several variables share the value function; hand-computed
// gradients use theon::function(theon::grad(cost, v)) with the bindings of a
// check_grad call of the same cost, which is the very function check_grad
// compiled, so they cost nothing more.
#include <cmath>
#include <string>

#include "grad_support.hpp"

namespace {

using namespace theon::literals;
using grad_test::away_from_zero;
using grad_test::close_to;
using grad_test::exactly;
using grad_test::uniform;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;

// ------------------------------------------------------------- arithmetic ----

TEST(AutodiffRules, AddSubMulBothOperands) {
  const auto xs = uniform<1>({7}, -2, 2, 11);
  const auto ys = uniform<1>({7}, -2, 2, 12);
  constexpr auto add = theon::sum(x + y);
  EXPECT_GRAD_OK(add, x, x = xs, y = ys);
  EXPECT_GRAD_OK(add, y, x = xs, y = ys);
  constexpr auto sub = theon::sum(x - y);
  EXPECT_GRAD_OK(sub, x, x = xs, y = ys);
  EXPECT_GRAD_OK(sub, y, x = xs, y = ys);
  EXPECT_TRUE(close_to(theon::function(theon::grad(sub, y))(x = xs, y = ys), {7}, std::vector<double>(7, -1.0), 0, 0));
  constexpr auto mul = theon::sum(x * y);
  EXPECT_GRAD_OK(mul, x, x = xs, y = ys);
  EXPECT_GRAD_OK(mul, y, x = xs, y = ys);
  EXPECT_TRUE(exactly(theon::function(theon::grad(mul, x))(x = xs, y = ys), ys));
}

TEST(AutodiffRules, DivNegAndLiteralOperands) {
  const auto xs = uniform<1>({7}, -2, 2, 13);
  const auto ys = away_from_zero<1>({7}, 0.5, 2, 14);
  constexpr auto div = theon::sum(x / y);
  EXPECT_GRAD_OK(div, x, x = xs, y = ys);
  EXPECT_GRAD_OK(div, y, x = xs, y = ys);
  // Unary minus, and literal operands on either side: -x * 3, 3 / y, 1 - x.
  constexpr auto lits = theon::sum(-x * 3_c + 3_c / y - (1_c - x));
  EXPECT_GRAD_OK(lits, x, x = xs, y = ys);
  EXPECT_GRAD_OK(lits, y, x = xs, y = ys);
}

TEST(AutodiffRules, PowLiteralExponents) {
  const auto xs = uniform<1>({7}, 0.5, 2, 15);
  const auto negative = uniform<1>({7}, -2, -0.5, 16);
  EXPECT_GRAD_OK(theon::sum(theon::pow(x, 3_c)), x, x = xs);
  // An integer power of negative numbers: d x^3 = 3 x^2 for either sign.
  EXPECT_GRAD_OK(theon::sum(theon::pow(x, 3_c)), x, x = negative);
  EXPECT_GRAD_OK(theon::sum(theon::pow(x, 0.5_c)), x, x = xs);
  EXPECT_GRAD_OK(theon::sum(theon::pow(x, -2_c)), x, x = xs);
  // A literal base: d 2^x = 2^x log 2.
  EXPECT_GRAD_OK(theon::sum(theon::pow(2_c, x)), x, x = xs);
}

TEST(AutodiffRules, PowVariableExponent) {
  const auto xs = uniform<1>({7}, 0.5, 2, 17);
  const auto ys = uniform<1>({7}, -2, 2, 18);
  constexpr auto p = theon::sum(theon::pow(x, y));
  EXPECT_GRAD_OK(p, x, x = xs, y = ys);
  EXPECT_GRAD_OK(p, y, x = xs, y = ys);
}

// ------------------------------------------------------- unary functions ----

TEST(AutodiffRules, ExpLogSqrtSquare) {
  EXPECT_GRAD_OK(theon::sum(theon::exp(x)), x, x = uniform<1>({7}, -2, 2, 21));
  EXPECT_GRAD_OK(theon::sum(theon::log(x)), x, x = uniform<1>({7}, 0.2, 3, 22));
  EXPECT_GRAD_OK(theon::sum(theon::log1p(x)), x, x = uniform<1>({7}, -0.5, 2, 23));
  EXPECT_GRAD_OK(theon::sum(theon::expm1(x)), x, x = uniform<1>({7}, -2, 2, 24));
  EXPECT_GRAD_OK(theon::sum(theon::sqrt(x)), x, x = uniform<1>({7}, 0.2, 3, 25));
  EXPECT_GRAD_OK(theon::sum(theon::square(x)), x, x = uniform<1>({7}, -2, 2, 26));
}

TEST(AutodiffRules, AbsAndSign) {
  const auto xs = away_from_zero<1>({8}, 0.1, 2, 27);
  EXPECT_GRAD_OK(theon::sum(theon::abs(x)), x, x = xs);
  // sign is flat away from 0: its gradient is 0 (sign(x) x = |x| checks it inside a product).
  EXPECT_GRAD_OK(theon::sum(theon::sign(x)), x, x = xs);
  EXPECT_GRAD_OK(theon::sum(theon::sign(x) * x), x, x = xs);
  // At 0, abs takes the subgradient 0, sign(0).
  const xt::xtensor<double, 1> kink = {-1.5, 0.0, 2.0};
  EXPECT_TRUE(close_to(theon::function(theon::grad(theon::sum(theon::abs(x)), x))(x = kink), {3}, {-1, 0, 1}, 0, 0));
}

TEST(AutodiffRules, Trigonometric) {
  EXPECT_GRAD_OK(theon::sum(theon::sin(x)), x, x = uniform<1>({7}, -3, 3, 31));
  EXPECT_GRAD_OK(theon::sum(theon::cos(x)), x, x = uniform<1>({7}, -3, 3, 32));
  EXPECT_GRAD_OK(theon::sum(theon::tan(x)), x, x = uniform<1>({7}, -1.2, 1.2, 33));
  EXPECT_GRAD_OK(theon::sum(theon::tanh(x)), x, x = uniform<1>({7}, -3, 3, 34));
  EXPECT_GRAD_OK(theon::sum(theon::erf(x)), x, x = uniform<1>({7}, -3, 3, 37));
}

TEST(AutodiffRules, SigmoidAndSoftplus) {
  EXPECT_GRAD_OK(theon::sum(theon::sigmoid(x)), x, x = uniform<1>({7}, -6, 6, 35));
  EXPECT_GRAD_OK(theon::sum(theon::softplus(x)), x, x = uniform<1>({7}, -6, 6, 36));
}

}  // namespace
