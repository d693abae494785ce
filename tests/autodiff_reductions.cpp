// The derivative rules of the reductions: sum and mean over axes, prod with
// and without zeros, max and min with distinct values and with ties (which
// share the adjoint equally).
#include <cmath>

#include "grad_support.hpp"

namespace {

using namespace theon::literals;
using grad_test::close_to;
using grad_test::distinct;
using grad_test::uniform;

constexpr theon::vector<"x"> x;
constexpr theon::matrix<"X"> X;
constexpr theon::tensor<"T", double, 3> T;

// --------------------------------------------------------------- reductions ----
// Costs square the reduced values, so each element's gradient depends on its
// group. Hand-computed gradients reuse the gradient function check_grad
// compiles (same expression, same binding types): no extra compile time.

TEST(AutodiffReductions, SumAndMeanOverAxes) {
  const auto xs = uniform<1>({7}, -1, 1, 131);
  constexpr auto sum_all = theon::square(theon::sum(x));
  constexpr auto mean_all = theon::square(theon::mean(x));
  EXPECT_GRAD_OK(sum_all, x, x = xs);
  EXPECT_GRAD_OK(mean_all, x, x = xs);
  const auto Xs = uniform<2>({3, 4}, -1, 1, 132);
  constexpr auto rows = theon::sum(theon::square(theon::sum(X, theon::axis<1>)));
  EXPECT_GRAD_OK(rows, X, X = Xs);
  EXPECT_GRAD_OK(theon::sum(theon::square(theon::mean(X, theon::axis<-2>, theon::keepdims))), X, X = Xs);
  const auto Ts = uniform<3>({2, 3, 4}, -1, 1, 133);
  EXPECT_GRAD_OK(theon::sum(theon::square(theon::sum(T, theon::axes<0, 2>))), T, T = Ts);
  // Closed forms: d sum(x)^2 = 2 sum(x); d mean(x)^2 = 2 mean(x) / n; 2 * row sums along each row.
  const xt::xtensor<double, 1> xh = {1, 2, 3, 4};
  EXPECT_TRUE(close_to(theon::function(theon::grad(sum_all, x))(x = xh), {4}, {20, 20, 20, 20}));
  EXPECT_TRUE(close_to(theon::function(theon::grad(mean_all, x))(x = xh), {4}, {1.25, 1.25, 1.25, 1.25}));
  const xt::xtensor<double, 2> Xh = {{1, 2, 3}, {4, 5, 6}};
  EXPECT_TRUE(close_to(theon::function(theon::grad(rows, X))(X = Xh), {2, 3}, {12, 12, 12, 30, 30, 30}));
}

// d prod / d x_i = product of the others: with one zero only the zero's entry
// is nonzero, with two zeros everything is 0. prod is multilinear, so central
// differences are exact there too.
TEST(AutodiffReductions, ProdWithAndWithoutZeros) {
  constexpr auto all = theon::prod(x);
  EXPECT_GRAD_OK(all, x, x = uniform<1>({6}, 0.5, 1.5, 134));
  const xt::xtensor<double, 1> no_zero = {2, 5, 3, 4};
  const xt::xtensor<double, 1> one_zero = {2, 0, 3, 4};
  const xt::xtensor<double, 1> two_zeros = {2, 0, 3, 0};
  EXPECT_GRAD_OK(all, x, x = one_zero);
  EXPECT_GRAD_OK(all, x, x = two_zeros);
  auto g_all = theon::function(theon::grad(all, x));
  EXPECT_TRUE(close_to(g_all(x = no_zero), {4}, {60, 24, 40, 30}));
  EXPECT_TRUE(close_to(g_all(x = one_zero), {4}, {0, 24, 0, 0}, 0, 0));
  EXPECT_TRUE(close_to(g_all(x = two_zeros), {4}, {0, 0, 0, 0}, 0, 0));
  // Along an axis, keepdims: columns with no zero, two zeros, one zero.
  constexpr auto cols = theon::sum(theon::square(theon::prod(X, theon::axis<0>, theon::keepdims) + 1_c));
  const xt::xtensor<double, 2> Xs = {{1, 2, 3}, {2, 0, 0}, {3, 0, 5}};
  EXPECT_GRAD_OK(cols, X, X = Xs);
  // 2 (p_j + 1) * (product of the other entries of column j), p = [6, 0, 0].
  const xt::xtensor<double, 2> g = theon::function(theon::grad(cols, X))(X = Xs);
  EXPECT_TRUE(close_to(g, {3, 3}, {14 * 6, 0, 0, 14 * 3, 0, 2 * 15, 14 * 2, 0, 0}));
}

TEST(AutodiffReductions, MaxMinDistinctValues) {
  constexpr auto max_all = theon::max(x);
  constexpr auto min_all = theon::min(x);
  const auto xs = distinct<1>({7}, 135);
  EXPECT_GRAD_OK(max_all, x, x = xs);
  EXPECT_GRAD_OK(min_all, x, x = xs);
  const auto Xs = distinct<2>({3, 4}, 136);
  constexpr auto mx = theon::sum(theon::square(theon::max(X, theon::axis<1>)));
  constexpr auto mn = theon::sum(theon::square(theon::min(X, theon::axis<-2>, theon::keepdims)));
  EXPECT_GRAD_OK(mx, X, X = Xs);
  EXPECT_GRAD_OK(mn, X, X = Xs);
  // The picked element of each group gets the group's whole adjoint.
  const xt::xtensor<double, 2> Xh = {{1, 7, 3}, {9, 2, 4}};
  EXPECT_TRUE(close_to(theon::function(theon::grad(mx, X))(X = Xh), {2, 3}, {0, 14, 0, 18, 0, 0}, 0, 0));
  EXPECT_TRUE(close_to(theon::function(theon::grad(mn, X))(X = Xh), {2, 3}, {2, 0, 6, 0, 4, 0}, 0, 0));
}

// Ties: the adjoint is shared equally among the tied elements (reduce.hpp).
TEST(AutodiffReductions, MaxMinTiesShareTheAdjointEqually) {
  const xt::xtensor<double, 1> xs = {1, 3, 3};
  EXPECT_TRUE(close_to(theon::function(theon::grad(theon::max(x), x))(x = xs), {3}, {0, 0.5, 0.5}, 0, 0));
  EXPECT_TRUE(close_to(theon::function(theon::grad(theon::min(x), x))(x = xs), {3}, {1, 0, 0}, 0, 0));
  const xt::xtensor<double, 1> three = {2, 5, 2, 2};
  EXPECT_TRUE(close_to(theon::function(theon::grad(theon::min(x), x))(x = three), {4},
                       {1.0 / 3, 0, 1.0 / 3, 1.0 / 3}, 1e-15, 0));
  // Per row, keepdims: a row with a two-way tie and a row without.
  const xt::xtensor<double, 2> Xh = {{4, 1, 4}, {2, 9, 3}};
  constexpr auto mx = theon::sum(theon::square(theon::max(X, theon::axis<1>)));
  EXPECT_TRUE(close_to(theon::function(theon::grad(mx, X))(X = Xh), {2, 3}, {4, 0, 4, 0, 18, 0}, 0, 0));
}

}  // namespace
