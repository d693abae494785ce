// Random draws: the stream each one reads (Random123's Philox4x32-10 at the
// documented counter), purity (a function of key and position, not of the
// loop, the thread count or what else is computed), broadcasting, fusion,
// bad parameters and derivatives. The distributions' statistics are in
// ops_random_stats.cpp.
#include <gtest/gtest.h>

#include <Random123/philox.h>
#include <Random123/u01fixedpt.h>

#include <xtensor/xmanipulation.hpp>
#include <xtensor/xview.hpp>

#include "test_support.hpp"

namespace {

using namespace theon::literals;

constexpr theon::scalar<"key", theon::int64> key;
constexpr theon::vector<"x"> x;
constexpr theon::matrix<"M"> M;
constexpr theon::scalar<"mu"> mu;
constexpr theon::scalar<"sigma"> sigma;

// The Philox block of the documented counter, computed here with Random123 alone.
r123::Philox4x32::ctr_type philox_block(std::uint64_t key_value, std::uint32_t site, std::uint64_t position,
                                        std::uint32_t round = 0) {
  const r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(position),
                                               static_cast<std::uint32_t>(position >> 32), site, round}};
  const r123::Philox4x32::key_type k = {{static_cast<std::uint32_t>(key_value), static_cast<std::uint32_t>(key_value >> 32)}};
  return r123::Philox4x32{}(counter, k);
}
std::uint64_t word(const r123::Philox4x32::ctr_type& b, unsigned i) {
  return static_cast<std::uint64_t>(b.v[2 * i + 1]) << 32 | b.v[2 * i];
}
constexpr std::uint32_t uniform_site = 1, normal_site = 2, exponential_site = 3;

TEST(Random, EachDrawIsThePhiloxBlockOfKeyAndPosition) {
  const theon::int64 k = -123456789012345;  // negative keys use all 64 bits
  const xt::xtensor<double, 1> like = xt::zeros<double>({1000});
  const xt::xtensor<float, 1> like_f = xt::zeros<float>({1000});
  constexpr theon::vector<"xf", float> xf;
  auto f = theon::function(theon::uniform(key, x), theon::normal(key, x), theon::exponential(key, x), theon::uniform(key, xf));
  const auto [u, z, e, uf] = f(key = k, x = like, xf = like_f);
  // Each block serves consecutive positions: two double uniforms, four
  // float ones, or a Box-Muller pair (the second normal's angle is shifted by pi/2).
  const auto unsigned_key = static_cast<std::uint64_t>(k);
  for (std::size_t p = 0; p < 1000; ++p) {
    const auto ub = philox_block(unsigned_key, uniform_site, p / 2);
    EXPECT_EQ(u(p), u01fixedpt_open_open_64_double(word(ub, p % 2))) << p;  // bit for bit
    EXPECT_EQ(uf(p), u01fixedpt_open_open_32_float(philox_block(unsigned_key, uniform_site, p / 4).v[p % 4])) << p;
    const auto nb = philox_block(unsigned_key, normal_site, p / 2);
    const double radius = std::sqrt(-2 * std::log(u01fixedpt_open_open_64_double(word(nb, 0))));
    const double angle = 2 * M_PI * u01fixedpt_open_open_64_double(word(nb, 1));
    EXPECT_NEAR(z(p), radius * (p % 2 ? std::sin(angle) : std::cos(angle)), 1e-14 * radius) << p;
    const auto eb = philox_block(unsigned_key, exponential_site, p / 2);
    EXPECT_DOUBLE_EQ(e(p), -std::log(u01fixedpt_open_open_64_double(word(eb, p % 2)))) << p;
  }
  EXPECT_GT(xt::amin(u)(), 0.0);  // the open interval
  EXPECT_LT(xt::amax(u)(), 1.0);
}

// A draw depends on its key and its element's position in its own shape:
// not on the loop that computes it, the loop's order, other values in the
// loop, or the number of threads.
TEST(Random, ADrawIsTheSameWhereverItIsComputed) {
  const auto ms = xt::xtensor<double, 2>::from_shape({300, 200});
  auto alone = theon::function(theon::normal(key, M));
  const xt::xtensor<double, 2> z = alone(key = theon::int64{5}, M = ms);
  // In a loop over the transpose (strided) with another value beside it.
  auto transposed = theon::function(theon::transpose(theon::normal(key, M)) * 2_c + theon::transpose(M));
  const xt::xtensor<double, 2> ms_zero = xt::zeros<double>({300, 200});
  const xt::xtensor<double, 2> t = transposed(key = theon::int64{5}, M = ms_zero);
  // The contiguous loop runs on SIMD batches, the transposed one element by
  // element: their log, sin and cos may round differently, within 3 ulp.
  EXPECT_LE(theon_test::worst_ulps_apart(t, xt::xtensor<double, 2>(2.0 * xt::transpose(z))), 3);
  // Folded into a reduction (split over threads, rows summed in pieces).
  auto rows = theon::function(theon::sum(theon::normal(key, M), theon::axis<1>));
  const xt::xtensor<double, 1> r = rows(key = theon::int64{5}, M = ms);
  for (std::size_t i = 0; i < 300; ++i) EXPECT_NEAR(r(i), xt::sum(xt::view(z, i, xt::all()))(), 1e-12);
  // One thread or two: bit for bit for uniform bits and for gamma (whose
  // rejection sampling runs element by element on batches too).
  const xt::xtensor<double, 1> big = xt::zeros<double>({200001});
  auto f = theon::function(theon::gamma(key, x + 2.5_c), theon::uniform(theon::fold_in<7>(key), x));
  f.threads(1);
  const auto [g1, u1] = f(key = theon::int64{9}, x = big);
  f.threads(2);
  const auto [g2, u2] = f(key = theon::int64{9}, x = big);
  EXPECT_EQ(g1, g2);
  EXPECT_EQ(u1, u2);
}

TEST(Random, KeysAndSitesGiveDifferentStreams) {
  const xt::xtensor<double, 1> like = xt::zeros<double>({64});
  auto f = theon::function(theon::uniform(key, x), theon::uniform(theon::fold_in<1>(key), x),
                           theon::uniform(theon::fold_in<2>(key), x), theon::exponential(key, x));
  const auto [a, b, c, e] = f(key = theon::int64{0}, x = like);
  const xt::xtensor<double, 1> a_again = theon::function(theon::uniform(key, x))(key = theon::int64{0}, x = like);
  const xt::xtensor<double, 1> next_key = theon::function(theon::uniform(key, x))(key = theon::int64{1}, x = like);
  EXPECT_EQ(a, a_again);  // a pure function of the key
  for (std::size_t p = 0; p < 64; ++p) {
    EXPECT_NE(a(p), b(p));
    EXPECT_NE(b(p), c(p));
    EXPECT_NE(a(p), next_key(p));
    EXPECT_NE(a(p), std::exp(-e(p)));  // exponential reads a stream of its own
  }
  // fold_in with data bound at run time equals fold_in<K>.
  constexpr theon::scalar<"step", theon::int64> step;
  const xt::xtensor<double, 1> folded = theon::function(theon::uniform(theon::fold_in(key, step), x))(
      key = theon::int64{0}, step = theon::int64{2}, x = like);
  EXPECT_EQ(folded, c);
}

// A draw shaped like a vector, broadcast over a matrix's rows: each row sees the same draws.
TEST(Random, BroadcastDrawsRepeat) {
  const xt::xtensor<double, 2> ms = xt::zeros<double>({5, 8});
  const xt::xtensor<double, 1> row = xt::zeros<double>({8});
  const xt::xtensor<double, 2> out = theon_test::eval(M + theon::normal(key, x), key = theon::int64{3}, M = ms, x = row);
  const xt::xtensor<double, 1> z = theon_test::eval(theon::normal(key, x), key = theon::int64{3}, x = row);
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 8; ++j) EXPECT_EQ(out(i, j), z(j));
  // A rank-0 draw is one number.
  const double one = theon_test::eval(theon::normal(key, mu), key = theon::int64{3}, mu = 0.0);
  const xt::xtensor<double, 1> first = theon_test::eval(theon::normal(key, x), key = theon::int64{3}, x = xt::xtensor<double, 1>{0.0});
  EXPECT_EQ(one, first(0));
}

// Draws are computed in the loop that consumes them: no noise array.
TEST(Random, DrawsAreFusedIntoTheirConsumers) {
  auto f = theon::function(theon::sum(mu + sigma * theon::normal(key, x)), theon::mean(theon::where(theon::bernoulli(key, x), x, 0_c)));
  const auto p = f.plan();
  EXPECT_EQ(p.find("normal(key, x)"), nullptr) << p.to_string();
  EXPECT_EQ(p.find("bernoulli(key, x)"), nullptr) << p.to_string();
  EXPECT_EQ(p.temporaries(), 2u) << p.to_string();  // the two sums before the final combination, not arrays
  EXPECT_EQ(p.count("reduction"), 3u) << p.to_string();
  const auto noise = theon::function(mu + sigma * theon::normal(key, x)).plan();
  EXPECT_EQ(noise.count("elementwise"), 1u) << noise.to_string();
  EXPECT_EQ(noise.temporaries(), 0u) << noise.to_string();
}

TEST(Random, ParametersOutsideTheirDomain) {
  const xt::xtensor<double, 1> alpha{-1.0, 0.0, std::nan(""), INFINITY, 1e-300, 0.3, 1.0, 1e6};
  const xt::xtensor<double, 1> g = theon_test::eval(theon::gamma(key, x), key = theon::int64{1}, x = alpha);
  EXPECT_TRUE(std::isnan(g(0)));
  EXPECT_TRUE(std::isnan(g(1)));
  EXPECT_TRUE(std::isnan(g(2)));
  EXPECT_EQ(g(3), INFINITY);
  for (std::size_t i = 4; i < 8; ++i) EXPECT_TRUE(std::isfinite(g(i)) && g(i) >= 0) << i;
  EXPECT_NEAR(g(7) / 1e6, 1.0, 5e-3);  // sd 1e-3 of the mean
  const xt::xtensor<double, 1> p{-0.5, 0.0, 1.0, 2.0, std::nan("")};
  const xt::xtensor<bool, 1> b = theon_test::eval(theon::bernoulli(key, x), key = theon::int64{1}, x = p);
  EXPECT_EQ(b, (xt::xtensor<bool, 1>{false, false, true, true, false}));
  constexpr theon::matrix<"L"> L;
  const xt::xtensor<double, 2> empty = xt::zeros<double>({3, 0});
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(theon::categorical(key, L), key = theon::int64{1}, L = empty); },
                                           {"categorical", "empty"}));
}

TEST(Random, CategoricalDrawsOneIndexPerRow) {
  constexpr theon::matrix<"L"> L;
  // Row 0 puts all mass on category 2, row 1 on category 0 (logits -inf elsewhere).
  const double inf = INFINITY;
  const xt::xtensor<double, 2> logits{{-inf, -inf, 0.0, -inf}, {5.0, -inf, -inf, -inf}, {0.0, 0.0, 0.0, 0.0}};
  const xt::xtensor<theon::int64, 1> c = theon_test::eval(theon::categorical(key, L), key = theon::int64{4}, L = logits);
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c(0), 2);
  EXPECT_EQ(c(1), 0);
  EXPECT_GE(c(2), 0);
  EXPECT_LT(c(2), 4);
}

// d/dmu and d/dsigma of a reparameterised draw; zero in the key and shapes,
// zero (stopped) through bernoulli's p and gamma's alpha.
TEST(Random, ReparameterisedDrawsDifferentiateInTheirParameters) {
  const xt::xtensor<double, 1> xs = theon_test::random_vector<double>(50, -1, 1, 2);
  const auto loss = theon::sum(theon::square(mu + sigma * theon::normal(key, x)));
  constexpr auto gradients = theon::grad(loss, mu, sigma, x);
  auto f = theon::function(theon::get<0>(gradients), theon::get<1>(gradients), theon::get<2>(gradients));
  const auto [dmu, dsigma, dx] = f(key = theon::int64{11}, mu = 0.5, sigma = 2.0, x = xs);
  const xt::xtensor<double, 1> z = theon_test::eval(theon::normal(key, x), key = theon::int64{11}, x = xs);
  EXPECT_NEAR(dmu, xt::sum(2.0 * (0.5 + 2.0 * z))(), 1e-10);
  EXPECT_NEAR(dsigma, xt::sum(2.0 * (0.5 + 2.0 * z) * z)(), 1e-10);
  EXPECT_EQ(dx, xt::zeros_like(xs));
  // Forward mode agrees.
  constexpr theon::scalar<"dsigma"> dsigma_;
  const double tangent =
      theon_test::eval(theon::jvp(loss, sigma, dsigma_), key = theon::int64{11}, mu = 0.5, sigma = 2.0, dsigma_ = 1.0, x = xs);
  EXPECT_NEAR(tangent, dsigma, 1e-10);
  const auto stopped = theon::grad(theon::sum(theon::gamma(key, x * x + 1_c) + theon::where(theon::bernoulli(key, x), x, 0_c)), x);
  const xt::xtensor<double, 1> g = theon_test::eval(stopped, key = theon::int64{11}, x = xs);
  const xt::xtensor<bool, 1> kept = theon_test::eval(theon::bernoulli(key, x), key = theon::int64{11}, x = xs);
  for (std::size_t i = 0; i < xs.size(); ++i) EXPECT_EQ(g(i), kept(i) ? 1.0 : 0.0) << i;
  // categorical is integer valued: its logits get no gradient through it.
  constexpr theon::matrix<"L"> L;
  const auto through_categorical = theon::grad(theon::sum(theon::cast<double>(theon::categorical(key, L)) + L), L);
  const xt::xtensor<double, 2> ls{{0.1, 0.2}, {0.3, 0.4}};
  EXPECT_EQ(theon_test::eval(through_categorical, key = theon::int64{1}, L = ls), (xt::xtensor<double, 2>(xt::ones<double>({2, 2}))));
}

}  // namespace
