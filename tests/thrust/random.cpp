// Thrust runner conformance for random draws: the same key and shapes give
// the same numbers as the CPU runner. Uniform bits (and what only compares
// them: bernoulli, categorical, fold_in) are identical. Values through log,
// sin and cos are not: the CPU runner computes them on SIMD batches (xsimd's
// functions, each within an ulp of the C library's), the Thrust runner one
// element at a time with the C library's on the OMP system (3 ulp apart at
// most over 8e6 normals) or CUDA's (whose double sin and cos are within 2 ulp
// of the exact value: 5 apart at most).
#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

constexpr theon::scalar<"key", theon::int64> key;
constexpr theon::vector<"x"> x;
constexpr theon::matrix<"M"> M;
constexpr theon::scalar<"mu"> mu;
constexpr theon::scalar<"sigma"> sigma;

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

#if defined(__CUDACC__)
constexpr std::int64_t transform_ulps = 5;
#else
constexpr std::int64_t transform_ulps = 3;
#endif

TEST(ThrustRandom, TransformedDrawsAgreeToAFewUlp) {
  const xt::xtensor<double, 2> ms = xt::zeros<double>({300, 301}) + 2.5;
  auto f = theon::function(theon::normal(key, M), theon::exponential(key, M), theon::gamma(key, M));
  const auto [cpu, device] = both_runners(f, key = theon::int64{12345}, M = ms);
  EXPECT_LE(worst_ulps_apart(std::get<0>(cpu), theon::to_host(std::get<0>(device))), transform_ulps);
  EXPECT_LE(worst_ulps_apart(std::get<1>(cpu), theon::to_host(std::get<1>(device))), transform_ulps);
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
