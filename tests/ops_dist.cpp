// theon::dist (ops/dist.hpp): every density against reference values from its
// textbook definition, and -inf outside the support. Gradients: ops_dist_grad.cpp.
//
// The reference values are printed by tests/reference/dist_values.py (mpmath
// 1.3 at 40 digits), each at the doubles shown.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon_test::random_vector;
namespace dist = theon::dist;

constexpr double inf = std::numeric_limits<double>::infinity();

constexpr theon::vector<"x"> x;
constexpr theon::vector<"a"> a;
constexpr theon::vector<"b"> b;
constexpr theon::vector<"c"> c;
constexpr theon::vector<"k", theon::int64> k;
constexpr theon::vector<"n", theon::int64> n;

// One reference row: the arguments, then the log density.
template <std::size_t Arguments>
struct row {
  double args[Arguments];
  double value;
};

// Column j of the rows, in dtype T.
template <class T, std::size_t Arguments, std::size_t Rows>
xt::xtensor<T, 1> column(const row<Arguments> (&rows)[Rows], std::size_t j) {
  xt::xtensor<T, 1> out = xt::xtensor<T, 1>::from_shape({Rows});
  for (std::size_t i = 0; i < Rows; ++i) out(i) = static_cast<T>(rows[i].args[j]);
  return out;
}

// Each value equals the reference: -inf exactly, finite values to 2e-12 of
// their magnitude (terms such as k log(lambda) and lgamma(k + 1) cancel).
template <std::size_t Arguments, std::size_t Rows>
void expect_values(const char* density, const xt::xtensor<double, 1>& got, const row<Arguments> (&rows)[Rows]) {
  for (std::size_t i = 0; i < Rows; ++i) {
    const double reference = rows[i].value;
    if (std::isinf(reference)) EXPECT_EQ(got(i), reference) << density << ", row " << i;
    else EXPECT_NEAR(got(i), reference, 2e-12 * (1 + std::abs(reference))) << density << ", row " << i;
  }
}

// ---------------------------------------------------------------- continuous

constexpr row<3> normal_rows[] = {
    {{0.3, -1.2, 0.7}, -2.8581819566128791963},
    {{1000.0, 0, 1}, -500000.91893853320467},
    {{-2, 5, 0.001}, -2.4499994011183253203e+7},
};
constexpr row<3> lognormal_rows[] = {
    {{2.5, 0.3, 0.8}, -1.9088156092286662798},
    {{1e-05, 0, 2}, -6.6675918440393832605},
    {{-1, 0, 1}, -inf},
};
constexpr row<3> cauchy_rows[] = {
    {{0.5, 0, 1}, -1.3678734371636099299},
    {{100000000.0, 1, 3}, -36.887479065086022227},
    {{-2, 1, 0.25}, -4.7351692671500839571},
};
constexpr row<3> laplace_rows[] = {
    {{0.5, 0, 1}, -1.1931471805599453094},
    {{-7, 2, 0.3}, -29.48917437623401039},
    {{3, 3, 2}, -1.3862943611198906188},
};
constexpr row<3> gamma_rows[] = {
    {{2, 3, 1.5}, -1.0904574951155615446},  {{0.001, 0.5, 2}, 3.2260862868463410832},
    {{0, 1, 2.5}, 0.91629073187415506518},  {{50, 20, 0.4}, -3.3372617215478202261},
    {{-1, 2, 2}, -inf},
};
constexpr row<3> inverse_gamma_rows[] = {
    {{0.5, 3, 2}, 0.1588830833596718565},
    {{10, 1.5, 0.7}, -6.2406929107579676468},
    {{0.001, 4, 0.01}, 4.3263361817302647665},
};
constexpr row<3> beta_rows[] = {
    {{0.3, 2, 5}, 0.77052480158128989357},
    {{0.999, 0.5, 0.5}, 2.309648003808459675},
    {{0, 1, 3}, 1.0986122886681096914},
    {{1.5, 2, 2}, -inf},
};
constexpr row<2> exponential_rows[] = {
    {{0.5, 2}, -0.30685281944005469058},
    {{100, 0.1}, -12.302585092994046184},
    {{0, 3}, 1.0986122886681096914},
    {{-1, 2}, -inf},
};
constexpr row<4> student_t_rows[] = {
    {{0.5, 3, 0, 1}, -1.1609742649705825621},
    {{100, 1.5, 2, 0.5}, -13.072007174048599307},
    {{-3, 30, 1, 2}, -3.5604462217258841813},
};

// Densities of three arguments (x, then two parameters), one function each.
template <std::size_t Rows, class Density>
void expect_density(const char* name, const row<3> (&rows)[Rows], Density density) {
  const auto value = theon::function(density)(x = column<double>(rows, 0), a = column<double>(rows, 1),
                                              b = column<double>(rows, 2));
  expect_values(name, value, rows);
}

TEST(Dist, ContinuousDensitiesMatchTheReference) {
  expect_density("normal_lpdf", normal_rows, dist::normal_lpdf(x, a, b));
  expect_density("lognormal_lpdf", lognormal_rows, dist::lognormal_lpdf(x, a, b));
  expect_density("cauchy_lpdf", cauchy_rows, dist::cauchy_lpdf(x, a, b));
  expect_density("laplace_lpdf", laplace_rows, dist::laplace_lpdf(x, a, b));
  expect_density("gamma_lpdf", gamma_rows, dist::gamma_lpdf(x, a, b));
  expect_density("inverse_gamma_lpdf", inverse_gamma_rows, dist::inverse_gamma_lpdf(x, a, b));
  expect_density("beta_lpdf", beta_rows, dist::beta_lpdf(x, a, b));
  const auto exponential =
      theon::function(dist::exponential_lpdf(x, a))(x = column<double>(exponential_rows, 0),
                                                    a = column<double>(exponential_rows, 1));
  expect_values("exponential_lpdf", exponential, exponential_rows);
  const auto student_t = theon::function(dist::student_t_lpdf(x, a, b, c))(
      x = column<double>(student_t_rows, 0), a = column<double>(student_t_rows, 1),
      b = column<double>(student_t_rows, 2), c = column<double>(student_t_rows, 3));
  expect_values("student_t_lpdf", student_t, student_t_rows);
}

// dirichlet_lpdf reduces the last axis: two points of a 3-simplex, one alpha.
TEST(Dist, DirichletReducesTheEventAxis) {
  constexpr theon::matrix<"X"> X;
  const xt::xtensor<double, 2> points{{0.2, 0.3, 0.5}, {0.01, 0.01, 0.98}, {-0.1, 0.6, 0.5}};
  const auto value = theon::function(dist::dirichlet_lpdf(X, a))(X = points, a = xt::xtensor<double, 1>{1.5, 2, 0.7});
  ASSERT_EQ(value.shape(0), 3u);
  EXPECT_NEAR(value(0), 0.10772302168916592988, 1e-14);
  EXPECT_NEAR(value(1), -4.9932238387227127006, 1e-14);
  EXPECT_EQ(value(2), -inf);  // a negative component
}

// multi_normal_cholesky_lpdf of one observation and of one per row, with the
// factor computed by theon::cholesky.
TEST(Dist, MultiNormalCholeskyReducesTheEventAxis) {
  constexpr theon::matrix<"Sigma"> Sigma;
  constexpr theon::matrix<"Y"> Y;
  const xt::xtensor<double, 2> sigma{{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
  const xt::xtensor<double, 1> mu{0.5, -1, 2};
  auto f = theon::function(dist::multi_normal_cholesky_lpdf(x, a, theon::cholesky(Sigma)),
                           dist::multi_normal_cholesky_lpdf(Y, a, theon::cholesky(Sigma)));
  const auto [one, rows] =
      f(x = xt::xtensor<double, 1>{1, 2, 3}, a = mu, Sigma = sigma, Y = xt::xtensor<double, 2>{{1, 2, 3}, {0, 0, 0}});
  EXPECT_NEAR(one, -5.6630535978959165363, 1e-14);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NEAR(rows(0), -5.6630535978959165363, 1e-14);
  EXPECT_NEAR(rows(1), -5.7487678836102022449, 1e-14);
}

// ------------------------------------------------------------------ discrete

constexpr row<2> poisson_rows[] = {
    {{0, 2.5}, -2.5},
    {{3, 2.5}, -1.5428872736055898053},
    {{100, 80}, -5.5367120881753289171},
    {{-1, 1}, -inf},
};
constexpr row<3> binomial_rows[] = {
    {{3, 10, 0.4}, -1.5371598192023540763},
    {{0, 5, 0.1}, -0.52680257828913153698},
    {{50, 50, 0.99}, -0.50251679267507250775},
    {{6, 5, 0.5}, -inf},
};
constexpr row<3> neg_binomial_rows[] = {
    {{0, 2, 0.5}, -2.1972245773362193828},
    {{7, 3.5, 0.8}, -2.7382721550807086878},
    {{200, 10, 0.05}, -5.0987088399963286451},
};
constexpr row<3> neg_binomial_2_rows[] = {
    {{0, 3, 2}, -1.8325814637483101304},
    {{7, 4.5, 10}, -2.5612630679428239558},
    {{150, 100, 0.7}, -6.2892741035908714},
};
constexpr row<2> bernoulli_logit_rows[] = {
    {{1, 2}, -0.12692801104297249644},
    {{0, 2}, -2.1269280110429724964},
    {{1, -800}, -800.0},
    {{0, 800}, -800.0},
};

// Outcomes 0 .. K-1 against log-odds over K categories: log_softmax at each
// (mpmath: beta[k] - log(sum(exp(beta)))); a negative outcome is outside the
// support, one past the last category a shape_error.
TEST(Dist, CategoricalLogitTakesCategoryNumbers) {
  constexpr theon::vector<"y", theon::int64> y;
  const xt::xtensor<double, 1> beta{0.5, -1, 2, 0.25};
  const auto value = theon::function(dist::categorical_logit_lpmf(y, a))(
      y = xt::xtensor<theon::int64, 1>{2, 0, 3, 1, -1}, a = beta);
  EXPECT_NEAR(value(0), -0.36927899844825342956, 1e-15);
  EXPECT_NEAR(value(1), -1.8692789984482534296, 1e-15);
  EXPECT_NEAR(value(2), -2.1192789984482534296, 1e-15);
  EXPECT_NEAR(value(3), -3.3692789984482534296, 1e-15);
  EXPECT_EQ(value(4), -inf);
  EXPECT_TRUE(theon_test::shape_error_says(
      [&] { (void)theon::function(dist::categorical_logit_lpmf(y, a))(y = xt::xtensor<theon::int64, 1>{4}, a = beta); },
      {"index 4 is out of range for an axis of extent 4"}));
  const auto report = theon::check_grad(theon::sum(dist::categorical_logit_lpmf(y, a)), a,
                                        y = xt::xtensor<theon::int64, 1>{2, 0, 2, 3}, a = beta);
  EXPECT_TRUE(report.ok) << report.to_string();
}

// Counts are int64 arrays, as a user holds them.
TEST(Dist, DiscreteDensitiesTakeIntegerCounts) {
  const auto poisson = theon::function(dist::poisson_lpmf(k, a))(k = column<theon::int64>(poisson_rows, 0),
                                                                 a = column<double>(poisson_rows, 1));
  expect_values("poisson_lpmf", poisson, poisson_rows);
  const auto binomial = theon::function(dist::binomial_lpmf(k, n, a))(
      k = column<theon::int64>(binomial_rows, 0), n = column<theon::int64>(binomial_rows, 1),
      a = column<double>(binomial_rows, 2));
  expect_values("binomial_lpmf", binomial, binomial_rows);
  auto negative_binomials = theon::function(dist::neg_binomial_lpmf(k, a, b), dist::neg_binomial_2_lpmf(k, a, b));
  const auto [neg_binomial, unused_2] = negative_binomials(
      k = column<theon::int64>(neg_binomial_rows, 0), a = column<double>(neg_binomial_rows, 1),
      b = column<double>(neg_binomial_rows, 2));
  expect_values("neg_binomial_lpmf", neg_binomial, neg_binomial_rows);
  const auto [unused_1, neg_binomial_2] = negative_binomials(
      k = column<theon::int64>(neg_binomial_2_rows, 0), a = column<double>(neg_binomial_2_rows, 1),
      b = column<double>(neg_binomial_2_rows, 2));
  expect_values("neg_binomial_2_lpmf", neg_binomial_2, neg_binomial_2_rows);
  const auto bernoulli = theon::function(dist::bernoulli_logit_lpmf(k, a))(
      k = column<theon::int64>(bernoulli_logit_rows, 0), a = column<double>(bernoulli_logit_rows, 1));
  expect_values("bernoulli_logit_lpmf", bernoulli, bernoulli_logit_rows);
}

// A density is an ordinary expression: the normal log likelihood of a sample,
// and its gradient in mu, sum((x - mu) / sigma^2).
TEST(Dist, ALikelihoodAndItsGradient) {
  constexpr theon::scalar<"mu"> mu;
  constexpr theon::scalar<"sigma"> sigma;
  auto f = theon::function(theon::sum(dist::normal_lpdf(x, mu, sigma)),
                           theon::grad(theon::sum(dist::normal_lpdf(x, mu, sigma)), mu));
  const auto xs = random_vector<double>(101, -2, 2, 5);
  const auto [loglik, dmu] = f(x = xs, mu = 0.3, sigma = 1.7);
  double expected = 0, expected_dmu = 0;
  for (double v : xs) {
    expected += -0.5 * std::pow((v - 0.3) / 1.7, 2) - std::log(1.7) - 0.5 * std::log(2 * M_PI);
    expected_dmu += (v - 0.3) / (1.7 * 1.7);
  }
  EXPECT_NEAR(loglik, expected, 1e-10);
  EXPECT_NEAR(dmu, expected_dmu, 1e-10);
}

}  // namespace
