// Reverse-mode differentiation as a whole: closed forms and the exact types
// grad builds, several gradients at once, vjp, higher derivatives, gradients
// through broadcasting (static and run-time), and gradients compiled together
// with the value.
#include <cmath>
#include <string>
#include <tuple>
#include <type_traits>

#include "grad_support.hpp"

namespace {

using namespace theon::literals;
using grad_test::close_to;
using grad_test::exactly;
using grad_test::uniform;

constexpr theon::scalar<"a"> a;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"v"> v;
constexpr theon::vector<"w"> w;
constexpr theon::matrix<"X"> X;
constexpr theon::matrix<"Y"> Y;

// ------------------------------------------------------------- closed forms ----

TEST(AutodiffGrad, SumOfSquaresGivesTwoXExactly) {
  const auto xs = uniform<1>({9}, -3, 3, 101);
  const xt::xtensor<double, 1> g = theon::function(theon::grad(theon::sum(x * x), x))(x = xs);
  const xt::xtensor<double, 1> twice = xs + xs;  // 2 x, exactly
  EXPECT_TRUE(exactly(g, twice));
}

TEST(AutodiffGrad, LinearCostGradientIsTheSumOfTheOtherFactor) {
  const auto xs = uniform<1>({9}, -3, 3, 102);
  // d sum(a x) / da = sum(x) does not depend on a, so a is not an input of it.
  constexpr auto ga = theon::grad(theon::sum(a * x), a);
  static_assert(std::is_same_v<decltype(ga), const decltype(theon::sum(x))>);
  const double g = theon::function(ga)(x = xs);
  double expected = 0;
  for (double e : xs) expected += e;
  EXPECT_NEAR(g, expected, 1e-13 * (1 + std::abs(expected)));
}

// The gradient is an ordinary expression, built from the ops' rules, with
// multiplications by 1 folded away.
static_assert(std::is_same_v<decltype(theon::grad(theon::sin(a), a)), decltype(theon::cos(a))>);
static_assert(std::is_same_v<decltype(theon::grad(theon::exp(2_c * a), a)), decltype(theon::exp(2_c * a) * 2_c)>);
// ... and simplify gives the textbook forms.
static_assert(std::is_same_v<decltype(theon::simplify(theon::grad(theon::exp(2_c * a), a))), decltype(2_c * theon::exp(2_c * a))>);
static_assert(std::is_same_v<decltype(theon::simplify(theon::grad(theon::grad(a * a * a, a), a))), decltype(6_c * a)>);
static_assert(std::is_same_v<decltype(theon::simplify(theon::grad(theon::log(theon::sigmoid(a)), a))),
                             decltype(theon::sigmoid(-a))>);
static_assert(std::is_same_v<decltype(theon::simplify(theon::grad(theon::sum(x * x), x))), decltype(2_c * x)>);

TEST(AutodiffGrad, ClosedFormTypesEvaluate) {
  EXPECT_EQ(theon::to_string(theon::grad(theon::exp(2_c * a), a)), "exp(2 * a) * 2");
  // d(a a) = a + a (a vector's terms would be wrapped in the run-time shape
  // guard shaped_like, printed as its first operand).
  EXPECT_EQ(theon::to_string(theon::grad(a * a, a)), "a + a");
  auto f = theon::function(theon::grad(theon::sin(a), a), theon::grad(theon::exp(2_c * a), a));
  const auto [gs, ge] = f(a = 0.3);
  EXPECT_DOUBLE_EQ(gs, std::cos(0.3));
  EXPECT_DOUBLE_EQ(ge, 2 * std::exp(0.6));
}

// A cost that does not depend on the variable: zeros shaped like it.
TEST(AutodiffGrad, UnusedVariableGetsZeros) {
  const auto xs = uniform<1>({3}, -1, 1, 103);
  const xt::xtensor<double, 1> ys = {1, 2, 3, 4, 5};
  const xt::xtensor<double, 1> g = theon::function(theon::grad(theon::sum(theon::square(x)), y))(y = ys);
  EXPECT_TRUE(close_to(g, {5}, {0, 0, 0, 0, 0}, 0, 0));
  (void)xs;
}

// ----------------------------------------------- several gradients, vjp ----

TEST(AutodiffGrad, SeveralVariablesInOneCall) {
  constexpr auto cost = theon::sum(a * theon::square(x));
  const auto [ga, gx] = theon::grad(cost, a, x);
  const auto xs = uniform<1>({6}, -2, 2, 104);
  const auto [va, vx] = theon::function(ga, gx)(a = 1.7, x = xs);
  double sum_squares = 0;
  std::vector<double> expected_x;
  for (double e : xs) {
    sum_squares += e * e;
    expected_x.push_back(1.7 * 2 * e);
  }
  EXPECT_NEAR(va, sum_squares, 1e-14);
  EXPECT_TRUE(close_to(vx, {6}, expected_x, 1e-15, 1e-15));
}

TEST(AutodiffGrad, VectorJacobianProduct) {
  const auto xs = uniform<1>({6}, -2, 2, 105);
  const auto vs = uniform<1>({6}, -2, 2, 106);
  const xt::xtensor<double, 1> g = theon::function(theon::vjp(theon::square(x), v, x))(x = xs, v = vs);
  std::vector<double> expected;
  for (std::size_t i = 0; i < 6; ++i) expected.push_back(vs(i) * 2 * xs(i));
  EXPECT_TRUE(close_to(g, {6}, expected, 1e-15, 1e-15));
}

// ------------------------------------------------------------ higher order ----

TEST(AutodiffGrad, SecondAndThirdDerivativesOfScalars) {
  constexpr auto d2_cube = theon::grad(theon::grad(a * a * a, a), a);
  constexpr auto d2_pow = theon::grad(theon::grad(theon::pow(a, 3_c), a), a);
  constexpr auto d2_sin = theon::grad(theon::grad(theon::sin(a), a), a);
  constexpr auto d3_exp = theon::grad(theon::grad(theon::grad(theon::exp(2_c * a), a), a), a);
  auto f = theon::function(d2_cube, d2_pow, d2_sin, d3_exp);
  for (double at : {-1.3, 0.4, 2.5}) {
    const auto [cube, pw, s, e] = f(a = at);
    EXPECT_NEAR(cube, 6 * at, 1e-13) << "a = " << at;
    EXPECT_NEAR(pw, 6 * at, 1e-13) << "a = " << at;
    EXPECT_NEAR(s, -std::sin(at), 1e-15) << "a = " << at;
    EXPECT_NEAR(e, 8 * std::exp(2 * at), 1e-13 * 8 * std::exp(2 * at)) << "a = " << at;
  }
}

// ------------------------------------------------------------- broadcasting ----

TEST(AutodiffGrad, ScalarTimesMatrix) {
  const auto Xs = uniform<2>({3, 4}, -1, 1, 111);
  constexpr auto cost = theon::sum(theon::square(a * X));
  EXPECT_GRAD_OK(cost, a, a = 0.8, X = Xs);
  // d/da = sum(2 a X^2): the adjoint summed over both axes.
  double expected = 0;
  for (double e : Xs) expected += 2 * 0.8 * e * e;
  EXPECT_NEAR(theon::function(theon::grad(cost, a))(a = 0.8, X = Xs), expected, 1e-13);
}

TEST(AutodiffGrad, MatrixPlusRowVector) {
  const auto Xs = uniform<2>({3, 4}, -1, 1, 112);
  const auto vs = uniform<1>({4}, -1, 1, 113);
  constexpr auto cost = theon::sum(theon::square(X + v));
  EXPECT_GRAD_OK(cost, v, X = Xs, v = vs);
  // d/dv = 2 sum over rows of (X + v).
  std::vector<double> expected(4, 0.0);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) expected[j] += 2 * (Xs(i, j) + vs(j));
  const xt::xtensor<double, 1> g = theon::function(theon::grad(cost, v))(X = Xs, v = vs);
  EXPECT_TRUE(close_to(g, {4}, expected, 1e-14, 1e-14));
}

// An axis declared with static extent 1 broadcasts, and its adjoint is summed back.
TEST(AutodiffGrad, StaticExtentOneBroadcastsAndSums) {
  constexpr theon::var<"c", double, theon::shape<1, theon::dyn>> c;
  const auto Xs = uniform<2>({3, 4}, -1, 1, 114);
  const auto cs = uniform<2>({1, 4}, -1, 1, 115);
  constexpr auto cost = theon::sum(theon::square(X * c));
  EXPECT_GRAD_OK(cost, c, X = Xs, c = cs);
  std::vector<double> expected(4, 0.0);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) expected[j] += 2 * Xs(i, j) * Xs(i, j) * cs(0, j);
  const xt::xtensor<double, 2> g = theon::function(theon::grad(cost, c))(X = Xs, c = cs);
  EXPECT_TRUE(close_to(g, {1, 4}, expected, 1e-14, 1e-14));
}

// An extent known only at run time that turns out to be 1 broadcasts in the
// value, but its gradient would have the wrong shape: a clear error instead.
TEST(AutodiffGrad, RunTimeBroadcastOfUnknownExtentIsAnError) {
  const auto Xs = uniform<2>({3, 4}, -1, 1, 116);
  const auto Ys = uniform<2>({1, 4}, -1, 1, 117);
  constexpr auto cost = theon::sum(X * Y);
  EXPECT_NO_THROW(theon::function(cost)(X = Xs, Y = Ys));  // the value broadcasts
  auto g = theon::function(theon::grad(cost, Y));
  try {
    g(X = Xs, Y = Ys);
    ADD_FAILURE() << "expected theon::shape_error";
  } catch (const theon::shape_error& e) {
    EXPECT_NE(std::string(e.what()).find("declare that axis with static extent 1"), std::string::npos) << e.what();
  }
  // The same shapes with equal extents are fine.
  const auto Ys3 = uniform<2>({3, 4}, -1, 1, 118);
  const xt::xtensor<double, 2> ok = g(X = Xs, Y = Ys3);
  EXPECT_TRUE(exactly(ok, Xs));
}

// ------------------------------------------ value and gradient together ----

TEST(AutodiffGrad, ValueAndGradientCompileTogether) {
  const auto ws = uniform<1>({5}, -1, 1, 121);
  const auto xs = uniform<1>({5}, -1, 1, 122);
  constexpr auto cost = theon::sum(theon::square(w * x)) + theon::sum(w);
  auto both = theon::function(cost, theon::grad(cost, w));
  const auto [value, gradient] = both(w = ws, x = xs);
  const double value_alone = theon::function(cost)(w = ws, x = xs);
  const xt::xtensor<double, 1> gradient_alone = theon::function(theon::grad(cost, w))(w = ws, x = xs);
  EXPECT_EQ(value, value_alone);
  EXPECT_TRUE(exactly(gradient, gradient_alone));
  std::vector<double> expected;
  for (std::size_t i = 0; i < 5; ++i) expected.push_back(2 * ws(i) * xs(i) * xs(i) + 1);
  EXPECT_TRUE(close_to(gradient, {5}, expected, 1e-15, 1e-15));
}

}  // namespace
