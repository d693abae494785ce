// Derivative rules of theon's choices and bounds (maximum, minimum, where,
// clip, casts), outer, transpose and matmul chains, checked with
// theon::check_grad on random inputs (fixed seeds), plus hand-computed
// gradients where finite differences cannot judge (ties). The arithmetic and
// unary ops are in autodiff_rules.cpp; its compile-time notes hold here too.
#include <cmath>
#include <string>

#include "grad_support.hpp"

namespace {

using namespace theon::literals;
using grad_test::apart_from;
using grad_test::away_from_zero;
using grad_test::close_to;
using grad_test::exactly;
using grad_test::uniform;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"c", bool> c;
constexpr theon::scalar<"lo"> lo;
constexpr theon::scalar<"hi"> hi;

// ------------------------------------------------- choices and bounds ----

constexpr auto max_xy = theon::sum(theon::maximum(x, y));
constexpr auto min_xy = theon::sum(theon::minimum(x, y));

TEST(AutodiffRules, MaximumMinimumDistinct) {
  const auto xs = uniform<1>({9}, -2, 2, 41);
  const auto ys = apart_from(xs, 0.05, 42);
  EXPECT_GRAD_OK(max_xy, x, x = xs, y = ys);
  EXPECT_GRAD_OK(max_xy, y, x = xs, y = ys);
  EXPECT_GRAD_OK(min_xy, x, x = xs, y = ys);
  EXPECT_GRAD_OK(min_xy, y, x = xs, y = ys);
  // relu: maximum against a literal.
  EXPECT_GRAD_OK(theon::sum(theon::maximum(x, 0_c) * x), x, x = away_from_zero<1>({9}, 0.1, 2, 43));
}

// At an exact tie, maximum and minimum give the whole adjoint to their first
// operand (compare.hpp); finite differences see 1/2 each. The failing report
// documents it and exercises the report's fields.
TEST(AutodiffRules, MaximumMinimumTieGoesToFirstOperand) {
  const xt::xtensor<double, 1> xs = {1.0, 2.0, 3.0};
  const xt::xtensor<double, 1> ys = {0.0, 2.0, 4.0};  // a tie at index 1
  EXPECT_TRUE(close_to(theon::function(theon::grad(max_xy, x))(x = xs, y = ys), {3}, {1, 1, 0}, 0, 0));
  EXPECT_TRUE(close_to(theon::function(theon::grad(max_xy, y))(x = xs, y = ys), {3}, {0, 0, 1}, 0, 0));
  EXPECT_TRUE(close_to(theon::function(theon::grad(min_xy, x))(x = xs, y = ys), {3}, {0, 1, 1}, 0, 0));
  const auto r = theon::check_grad(max_xy, x, x = xs, y = ys);
  EXPECT_FALSE(r.ok) << r.to_string();
  EXPECT_EQ(r.worst_index, 1u);
  EXPECT_EQ(r.symbolic, 1.0);
  EXPECT_NEAR(r.numeric, 0.5, 1e-9);
  EXPECT_NEAR(r.worst_error, 0.5, 1e-9);
  EXPECT_EQ(r.variable, "x");
  EXPECT_NE(r.to_string().find("FAILED"), std::string::npos) << r.to_string();
  // The same check away from the tie passes, and says so.
  const auto passed = theon::check_grad(max_xy, x, x = xs, y = apart_from(xs, 0.05, 44));
  EXPECT_TRUE(passed.ok) << passed.to_string();
  EXPECT_NE(passed.to_string().find("passed"), std::string::npos) << passed.to_string();
}

TEST(AutodiffRules, WhereBothBranches) {
  const auto xs = away_from_zero<1>({8}, 0.1, 2, 45);
  const auto ys = uniform<1>({8}, -2, 2, 46);
  const xt::xtensor<bool, 1> cs = {true, false, true, true, false, false, true, false};
  constexpr auto w = theon::sum(theon::where(c, theon::square(x), y * x));
  EXPECT_GRAD_OK(w, x, x = xs, y = ys, c = cs);
  EXPECT_GRAD_OK(w, y, x = xs, y = ys, c = cs);
  std::vector<double> expected;
  for (std::size_t i = 0; i < 8; ++i) expected.push_back(cs(i) ? 2 * xs(i) : ys(i));
  EXPECT_TRUE(close_to(theon::function(theon::grad(w, x))(x = xs, y = ys, c = cs), {8}, expected));
  // A computed condition: d where(x > 0, x^2, -x).
  EXPECT_GRAD_OK(theon::sum(theon::where(x > 0_c, theon::square(x), -x)), x, x = xs);
}

TEST(AutodiffRules, ClipWithVariableBounds) {
  // Values at least 0.05 away from the bounds -0.5 and 0.5.
  const xt::xtensor<double, 1> xs = {-1.3, -0.6, -0.45, -0.1, 0.0, 0.2, 0.44, 0.55, 1.7};
  constexpr auto cl = theon::sum(theon::square(theon::clip(x, lo, hi)));
  EXPECT_GRAD_OK(cl, x, x = xs, lo = -0.5, hi = 0.5);
  EXPECT_GRAD_OK(cl, lo, x = xs, lo = -0.5, hi = 0.5);
  EXPECT_GRAD_OK(cl, hi, x = xs, lo = -0.5, hi = 0.5);
  // Scalar bounds: their adjoint is summed over the elements they clip.
  const double glo = theon::function(theon::grad(cl, lo))(x = xs, lo = -0.5, hi = 0.5);
  const double ghi = theon::function(theon::grad(cl, hi))(x = xs, lo = -0.5, hi = 0.5);
  EXPECT_EQ(glo, 2 * 2 * -0.5);
  EXPECT_EQ(ghi, 2 * 2 * 0.5);
  EXPECT_TRUE(close_to(theon::function(theon::grad(cl, x))(x = xs, lo = -0.5, hi = 0.5), {9},
                       {0, 0, -0.9, -0.2, 0, 0.4, 0.88, 0, 0}));
  // Literal bounds.
  EXPECT_GRAD_OK(theon::sum(theon::square(theon::clip(x, -0.5_c, 0.5_c))), x, x = xs);
}

TEST(AutodiffRules, CastBetweenFloatingTypes) {
  const auto xs = uniform<1>({6}, -2, 2, 47);
  // Through float the values carry 7 digits: a larger step and tolerance.
  constexpr theon::grad_check_options loose{.step = 1e-3, .tolerance = 1e-3};
  EXPECT_GRAD_OK(loose, theon::sum(theon::square(theon::cast<float>(x))), x, x = xs);
  EXPECT_GRAD_OK(theon::sum(theon::square(theon::cast<double>(x))), x, x = xs);
}

// A cast to an integer type truncates, a step function: its derivative is 0
// (as Theano's Cast.grad for discrete outputs). Regression: cast_op::partials
// was 1 for every target dtype before commit b44d777.
TEST(AutodiffRules, CastToIntegerHasZeroGradient) {
  const xt::xtensor<double, 1> xs = {0.25, 1.5, -0.7};
  EXPECT_GRAD_OK(theon::sum(theon::cast<theon::int32>(x)), x, x = xs);
}

// ------------------------------------------------ outer, transpose, chains ----

constexpr theon::vector<"u"> u;
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"B"> B;
constexpr theon::matrix<"C"> C;

TEST(AutodiffRules, Outer) {
  const auto us = uniform<1>({4}, -1, 1, 51);
  const auto ys = uniform<1>({3}, -1, 1, 52);
  constexpr auto cost = theon::sum(theon::square(theon::outer(u, y)));
  EXPECT_GRAD_OK(cost, u, u = us, y = ys);
  EXPECT_GRAD_OK(cost, y, u = us, y = ys);
}

// transpose moves values without changing them: against weights of the
// transposed shape the gradient is the weights transposed back, exactly.
TEST(AutodiffRules, TransposeRank2AndRank3) {
  const auto As = uniform<2>({3, 4}, -1, 1, 53);
  const auto Bs = uniform<2>({4, 3}, -1, 1, 54);
  constexpr auto t2 = theon::sum(theon::transpose(A) * B);
  EXPECT_GRAD_OK(t2, A, A = As, B = Bs);
  const xt::xtensor<double, 2> BsT = xt::transpose(Bs);
  EXPECT_TRUE(exactly(theon::function(theon::grad(t2, A))(A = As, B = Bs), BsT));

  constexpr theon::tensor<"T", double, 3> T;
  constexpr theon::tensor<"U", double, 3> U;
  const auto Ts = uniform<3>({2, 3, 4}, -1, 1, 55);
  const auto Us = uniform<3>({4, 2, 3}, -1, 1, 56);
  constexpr auto t3 = theon::sum(theon::transpose(T, theon::axes<2, 0, 1>) * U);  // out[i,j,k] = T[j,k,i]
  EXPECT_GRAD_OK(t3, T, T = Ts, U = Us);
  const xt::xtensor<double, 3> g = theon::function(theon::grad(t3, T))(T = Ts, U = Us);
  std::vector<double> expected;
  for (std::size_t j = 0; j < 2; ++j)
    for (std::size_t k = 0; k < 3; ++k)
      for (std::size_t i = 0; i < 4; ++i) expected.push_back(Us(i, j, k));
  EXPECT_TRUE(close_to(g, {2, 3, 4}, expected, 0, 0));
}

TEST(AutodiffRules, MatmulChain) {
  const auto As = uniform<2>({3, 4}, -1, 1, 57);
  const auto Bs = uniform<2>({4, 2}, -1, 1, 58);
  const auto Cs = uniform<2>({2, 5}, -1, 1, 59);
  constexpr auto abc = theon::sum(theon::square(theon::matmul(theon::matmul(A, B), C)));
  EXPECT_GRAD_OK(abc, A, A = As, B = Bs, C = Cs);
  EXPECT_GRAD_OK(abc, B, A = As, B = Bs, C = Cs);
  EXPECT_GRAD_OK(abc, C, A = As, B = Bs, C = Cs);
}

// check_grad calls the gradient function with every binding, including the
// variables the gradient no longer reads (here a): they are accepted and ignored.
TEST(AutodiffRules, CheckGradWithATermFreeOfTheVariable) {
  constexpr theon::scalar<"a"> a;
  const xt::xtensor<double, 1> xs = {0.5, 1.0};
  EXPECT_GRAD_OK(theon::sum(theon::exp(x)) + a, x, x = xs, a = 1.0);
}

}  // namespace
