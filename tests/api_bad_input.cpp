// Bad input at run time: each error is a theon::shape_error naming the op, the
// variables and their shapes, thrown before anything is written, with every
// input unchanged; values IEEE arithmetic defines (inf, NaN) come out as IEEE
// says; state bound twice (aliasing) follows the documented rule.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include <xtensor/xarray.hpp>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon_test::shape_error_says;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::matrix<"A"> A;
constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(BadInput, WrongRankThrowsAndLeavesTheInputAlone) {
  auto f = theon::function(theon::exp(x));
  xt::xarray<double> matrix = {{1.0, 2.0}, {3.0, 4.0}};
  const xt::xarray<double> before = matrix;
  EXPECT_TRUE(shape_error_says([&] { (void)f(x = matrix); }, {"input 'x'", "rank 1", "rank 2"}));
  EXPECT_EQ(matrix, before);
}

TEST(BadInput, ExtentsThatDoNotBroadcast) {
  auto f = theon::function(x * 2_c + y);
  xt::xtensor<double, 1> xs = {1, 2, 3}, ys = {1, 2};
  EXPECT_TRUE(shape_error_says([&] { (void)f(x = xs, y = ys); }, {"cannot evaluate add", "do not broadcast", "[3]", "[2]"}));
  EXPECT_EQ(xs, (xt::xtensor<double, 1>{1, 2, 3}));
  EXPECT_EQ(ys, (xt::xtensor<double, 1>{1, 2}));
}

TEST(BadInput, InnerExtentsOfAProduct) {
  auto f = theon::function(theon::matmul(A, x));
  const auto as = xt::xtensor<double, 2>::from_shape({2, 3});
  xt::xtensor<double, 1> xs = {1, 2};
  EXPECT_TRUE(shape_error_says([&] { (void)f(A = as, x = xs); }, {"matmul", "inner extents", "A: [2, 3]", "x: [2]"}));
}

TEST(BadInput, EmptyInputs) {
  const xt::xtensor<double, 2> empty_rows = xt::zeros<double>({3, 0});
  // No maximum of nothing: an error.
  auto largest = theon::function(theon::max(A, theon::axis<1>));
  EXPECT_TRUE(shape_error_says([&] { (void)largest(A = empty_rows); }, {"max", "no value", "extent 0", "[3, 0]"}));
  // Sums, products and means of nothing are defined, as in NumPy.
  auto f = theon::function(theon::sum(A, theon::axis<1>), theon::prod(A, theon::axis<1>), theon::mean(A, theon::axis<1>));
  const auto [s, p, m] = f(A = empty_rows);
  EXPECT_EQ(s, (xt::xtensor<double, 1>{0, 0, 0}));
  EXPECT_EQ(p, (xt::xtensor<double, 1>{1, 1, 1}));
  EXPECT_TRUE(std::isnan(m(0)) && std::isnan(m(2)));
  // An empty vector in an elementwise chain gives an empty result.
  const xt::xtensor<double, 1> none = xt::zeros<double>({0});
  EXPECT_EQ(theon::function(theon::exp(x) * 2_c)(x = none).size(), 0u);
}

TEST(BadInput, InfinityAndNaNPropagateAsIEEESays) {
  xt::xtensor<double, 1> xs = {inf, -inf, nan, 0.0, -1.0};
  auto f = theon::function(theon::exp(x), theon::log(x), x / 0_c, theon::sigmoid(x), theon::softplus(x), theon::tanh(x));
  const auto [e, l, q, s, sp, t] = f(x = xs);
  EXPECT_EQ(e(0), inf);
  EXPECT_EQ(e(1), 0.0);
  EXPECT_TRUE(std::isnan(e(2)));
  EXPECT_EQ(l(0), inf);
  EXPECT_EQ(l(3), -inf);
  EXPECT_TRUE(std::isnan(l(4)));  // log of a negative number
  EXPECT_EQ(q(0), inf);
  EXPECT_TRUE(std::isnan(q(3)));  // 0 / 0
  EXPECT_EQ(q(4), -inf);
  EXPECT_EQ(s(0), 1.0);  // sigmoid's exact limits
  EXPECT_EQ(s(1), 0.0);
  EXPECT_EQ(sp(0), inf);
  EXPECT_EQ(sp(1), 0.0);
  EXPECT_EQ(t(0), 1.0);
  EXPECT_TRUE(std::isnan(t(2)));

  // Reductions: NaN anywhere gives NaN; inf - inf is NaN.
  auto r = theon::function(theon::sum(x), theon::max(x), theon::min(x));
  const auto [total, largest, smallest] = r(x = xs);
  EXPECT_TRUE(std::isnan(total) && std::isnan(largest) && std::isnan(smallest));
  xt::xtensor<double, 1> infinities = {inf, 1.0, -inf};
  const auto [total2, largest2, smallest2] = r(x = infinities);
  EXPECT_TRUE(std::isnan(total2));
  EXPECT_EQ(largest2, inf);
  EXPECT_EQ(smallest2, -inf);
  EXPECT_TRUE(std::isnan(xs(2)) && xs(0) == inf);  // inputs unchanged
}

TEST(BadInput, StateBoundTwiceSeesTheValuesBeforeTheCall) {
  // Outputs are always fresh arrays; the only memory a function writes that a
  // caller also passes in is updated state. Every new value is computed from
  // the values before the call, then written: aliasing changes nothing.
  constexpr theon::vector<"w"> w;
  auto f = theon::function(theon::sum(x * w), theon::updates(w, w + x));
  xt::xtensor<double, 1> shared = {1, 2, 3};
  const double dot = f(x = shared, w = shared);  // x and w are one array
  EXPECT_EQ(dot, 14.0);
  EXPECT_EQ(shared, (xt::xtensor<double, 1>{2, 4, 6}));

  // Two updated variables on one array: both new values are computed first,
  // then written in the order of updates(...), so the last one wins.
  constexpr theon::vector<"v"> v;
  auto g = theon::function(theon::updates(w, w + 1_c, v, v * 10_c));
  xt::xtensor<double, 1> one = {1, 2};
  g(w = one, v = one);
  EXPECT_EQ(one, (xt::xtensor<double, 1>{10, 20}));
}

}  // namespace
