// The distributions of theon's draws, on 1e6 draws each: the sample mean and
// variance within five standard errors of the distribution's (five: a chance
// of 6e-7 each for a correct generator), the Kolmogorov-Smirnov statistic
// sqrt(n) D below 1.9495 (its 0.1% critical value), a chi-square test for
// the categories, and the correlation of streams from fold_in keys, of
// neighbouring keys and of neighbouring positions within 5/sqrt(n) of 0.
// The draws are a function of the key, so each figure is fixed; a broken
// transform or a correlated stream moves it far beyond its threshold.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numeric>
#include <vector>

#include <boost/math/special_functions/gamma.hpp>
#include <xtensor/xview.hpp>

#include "test_support.hpp"

namespace {

using namespace theon::literals;

constexpr std::size_t n = 1'000'000;
constexpr theon::scalar<"key", theon::int64> key;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"xf", float> xf;
constexpr double ks_critical = 1.9495;  // P(sqrt(n) D > 1.9495) = 0.001 (Kolmogorov's distribution)

const xt::xtensor<double, 1>& like() {
  static const xt::xtensor<double, 1> zeros = xt::zeros<double>({n});
  return zeros;
}

struct moments {
  double mean, variance;
};
template <class C>
moments moments_of(const C& draws) {
  double mean = 0, square = 0;
  for (const auto v : draws) mean += static_cast<double>(v);
  mean /= static_cast<double>(draws.size());
  for (const auto v : draws) square += (static_cast<double>(v) - mean) * (static_cast<double>(v) - mean);
  return {mean, square / static_cast<double>(draws.size() - 1)};
}

// sqrt(n) times the largest distance between the sample's distribution function and cdf.
template <class C>
double ks_statistic(const C& draws, const std::function<double(double)>& cdf) {
  std::vector<double> sorted(draws.begin(), draws.end());
  std::sort(sorted.begin(), sorted.end());
  double d = 0;
  const double count = static_cast<double>(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    const double f = cdf(sorted[i]);
    d = std::max({d, f - static_cast<double>(i) / count, static_cast<double>(i + 1) / count - f});
  }
  return std::sqrt(count) * d;
}

// Mean, variance (fourth central moment mu4) and the KS statistic against cdf.
template <class C>
void expect_distribution(const C& draws, double mean, double variance, double mu4, const std::function<double(double)>& cdf,
                         const char* what) {
  const moments m = moments_of(draws);
  const double count = static_cast<double>(draws.size());
  EXPECT_LT(std::abs(m.mean - mean), 5 * std::sqrt(variance / count)) << what << ": mean " << m.mean;
  EXPECT_LT(std::abs(m.variance - variance), 5 * std::sqrt((mu4 - variance * variance) / count))
      << what << ": variance " << m.variance;
  const double ks = ks_statistic(draws, cdf);
  EXPECT_LT(ks, ks_critical) << what;
  std::printf("%-16s mean %+.5f (%+.5f)  variance %.5f (%.5f)  sqrt(n) D %.3f\n", what, m.mean, mean, m.variance, variance, ks);
}

double correlation(const xt::xtensor<double, 1>& a, const xt::xtensor<double, 1>& b) {
  const moments ma = moments_of(a), mb = moments_of(b);
  double c = 0;
  for (std::size_t i = 0; i < a.size(); ++i) c += (a(i) - ma.mean) * (b(i) - mb.mean);
  return c / static_cast<double>(a.size() - 1) / std::sqrt(ma.variance * mb.variance);
}

double normal_cdf(double v) { return 0.5 * std::erfc(-v / std::sqrt(2.0)); }

TEST(RandomStatistics, StandardDraws) {
  auto f = theon::function(theon::normal(key, x), theon::uniform(key, x), theon::exponential(key, x));
  const auto [z, u, e] = f(key = theon::int64{20261205}, x = like());
  expect_distribution(z, 0, 1, 3, normal_cdf, "normal");
  expect_distribution(u, 0.5, 1.0 / 12, 1.0 / 80, [](double v) { return v; }, "uniform");
  expect_distribution(e, 1, 1, 9, [](double v) { return 1 - std::exp(-v); }, "exponential");
  const xt::xtensor<float, 1> zf =
      theon::function(theon::normal(key, xf))(key = theon::int64{20261205}, xf = xt::xtensor<float, 1>(xt::zeros<float>({n})));
  expect_distribution(zf, 0, 1, 3, normal_cdf, "normal float32");
}

// Marsaglia-Tsang above alpha = 1, boosted by u^(1/alpha) below: both paths.
TEST(RandomStatistics, Gamma) {
  for (const double alpha : {0.3, 1.0, 4.5}) {
    const xt::xtensor<double, 1> g = theon::function(theon::gamma(key, x))(key = theon::int64{77}, x = xt::xtensor<double, 1>(xt::zeros<double>({n}) + alpha));
    expect_distribution(g, alpha, alpha, 3 * alpha * alpha + 6 * alpha,
                        [alpha](double v) { return boost::math::gamma_p(alpha, v); }, alpha < 1 ? "gamma(0.3)" : alpha == 1 ? "gamma(1)" : "gamma(4.5)");
  }
}

TEST(RandomStatistics, BernoulliAndCategorical) {
  constexpr double p = 0.3;
  const xt::xtensor<bool, 1> b = theon::function(theon::bernoulli(key, x))(key = theon::int64{5}, x = xt::xtensor<double, 1>(like() + p));
  const double hits = static_cast<double>(std::count(b.begin(), b.end(), true));
  EXPECT_LT(std::abs(hits / n - p), 5 * std::sqrt(p * (1 - p) / n)) << hits;

  constexpr theon::matrix<"L"> L;
  const std::array<double, 4> probability{0.1, 0.2, 0.3, 0.4};
  xt::xtensor<double, 2> logits = xt::xtensor<double, 2>::from_shape({n, 4});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < 4; ++k) logits(i, k) = std::log(probability[k]) + 3.0;  // softmax ignores the shift
  const xt::xtensor<theon::int64, 1> c = theon::function(theon::categorical(key, L))(key = theon::int64{6}, L = logits);
  std::array<double, 4> counts{};
  for (const auto k : c) counts.at(static_cast<std::size_t>(k)) += 1;
  double chi_square = 0;
  for (std::size_t k = 0; k < 4; ++k) chi_square += std::pow(counts[k] - n * probability[k], 2) / (n * probability[k]);
  EXPECT_LT(chi_square, 16.266);  // chi-square, 3 degrees of freedom, 0.1%
  std::printf("bernoulli(0.3)   frequency %.5f  categorical chi-square %.3f\n", hits / n, chi_square);
}

TEST(RandomStatistics, StreamsAreUncorrelated) {
  auto f = theon::function(theon::normal(key, x), theon::normal(theon::fold_in<1>(key), x), theon::normal(theon::fold_in<2>(key), x));
  const auto [z, z1, z2] = f(key = theon::int64{0}, x = like());
  const xt::xtensor<double, 1> next = theon::function(theon::normal(key, x))(key = theon::int64{1}, x = like());
  const double bound = 5 / std::sqrt(static_cast<double>(n));
  EXPECT_LT(std::abs(correlation(z, z1)), bound);
  EXPECT_LT(std::abs(correlation(z1, z2)), bound);
  EXPECT_LT(std::abs(correlation(z, next)), bound);  // neighbouring keys
  const xt::xtensor<double, 1> head = xt::view(z, xt::range(0, n - 1)), tail = xt::view(z, xt::range(1, n));
  EXPECT_LT(std::abs(correlation(head, tail)), bound);  // neighbouring positions
  std::printf("correlations     fold_in 0-1 %+.5f, 1-2 %+.5f, keys 0-1 %+.5f, positions %+.5f (bound %.5f)\n",
              correlation(z, z1), correlation(z1, z2), correlation(z, next), correlation(head, tail), bound);
}

}  // namespace
