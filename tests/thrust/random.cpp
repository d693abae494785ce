// Thrust runner conformance for random draws: the same key and shapes give
// the same numbers as the CPU runner. Uniform bits (and what only compares
// them: bernoulli, categorical, fold_in) are identical; values through
// log, cos and sqrt agree to 2 ulp (CUDA's functions may round differently
// from the host's; on the OMP system they are the host's).
#include <cmath>
#include <cstdint>
#include <cstring>

#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

constexpr theon::scalar<"key", theon::int64> key;
constexpr theon::vector<"x"> x;
constexpr theon::matrix<"M"> M;
constexpr theon::scalar<"mu"> mu;
constexpr theon::scalar<"sigma"> sigma;

// Units in the last place between two doubles of one sign.
std::int64_t ulps(double a, double b) {
  std::int64_t ia, ib;
  std::memcpy(&ia, &a, sizeof a);
  std::memcpy(&ib, &b, sizeof b);
  return ia > ib ? ia - ib : ib - ia;
}

template <class F, class... Bindings>
auto both_runners(F& f, const Bindings&... bindings) {
  auto on_thrust = theon::on(thrust::device, f);
  return std::pair{f(bindings...), on_thrust(bindings...)};
}

TEST(ThrustRandom, UniformBitsAreIdentical) {
  const xt::xtensor<double, 1> like = xt::zeros<double>({100003});
  constexpr theon::vector<"xf", float> xf;
  const xt::xtensor<float, 1> like_f = xt::zeros<float>({1001});
  auto f = theon::function(theon::uniform(key, x), theon::bernoulli(theon::fold_in<3>(key), x + 0.25_c), theon::uniform(key, xf));
  const auto [cpu, device] = both_runners(f, key = theon::int64{-8}, x = like, xf = like_f);
  EXPECT_EQ(std::get<0>(cpu), theon::to_host(std::get<0>(device)));
  EXPECT_EQ(std::get<1>(cpu), theon::to_host(std::get<1>(device)));
  EXPECT_EQ(std::get<2>(cpu), theon::to_host(std::get<2>(device)));
}

TEST(ThrustRandom, TransformedDrawsAgreeToTwoUlp) {
  const xt::xtensor<double, 2> ms = xt::zeros<double>({300, 301}) + 2.5;
  auto f = theon::function(theon::normal(key, M), theon::exponential(key, M), theon::gamma(key, M));
  const auto [cpu, device] = both_runners(f, key = theon::int64{12345}, M = ms);
  auto within_two_ulp = [](const xt::xtensor<double, 2>& a, const xt::xtensor<double, 2>& b) {
    std::int64_t worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, ulps(a.flat(i), b.flat(i)));
    return worst;
  };
  EXPECT_LE(within_two_ulp(std::get<0>(cpu), theon::to_host(std::get<0>(device))), 2);
  EXPECT_LE(within_two_ulp(std::get<1>(cpu), theon::to_host(std::get<1>(device))), 2);
  // A gamma draw is accepted or rejected by comparisons of rounded values:
  // where CUDA rounds otherwise, a proposal may go the other way. Both are gamma draws.
  EXPECT_TRUE(same_result(std::get<2>(cpu), std::get<2>(device)));
}

// Draws fused into reductions and reparameterised, with gradients; categorical on the host.
TEST(ThrustRandom, FusedDrawsAndTheirGradients) {
  const xt::xtensor<double, 2> ms = xt::zeros<double>({64, 10});
  const auto loss = theon::sum(theon::square(mu + sigma * theon::normal(key, M)));
  constexpr auto gradients = theon::grad(loss, mu, sigma);
  auto f = theon::function(loss, theon::get<0>(gradients), theon::get<1>(gradients),
                           theon::sum(theon::uniform(key, M), theon::axis<0>), theon::categorical(key, M));
  expect_runners_agree(f, key = theon::int64{2}, mu = 0.3, sigma = 1.7, M = ms);
}

}  // namespace
