// Monte Carlo Black-Scholes: a European call's price as the mean discounted
// payoff over a million simulated paths, and its delta (d/dS0) and vega
// (d/dsigma) as pathwise derivatives: the gradient of that mean, taken
// through the simulation while the program compiles. The normal draws are
// part of the expression (keyed, counter-based), so the same key gives the
// same paths on every runner. Each estimate must lie within three standard
// errors of its closed form.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <xtensor/xtensor.hpp>

#ifdef THEON_EXAMPLE_THRUST
#include <theon/thrust.hpp>
#else
#include <theon/theon.hpp>
#endif

namespace {
using namespace theon::literals;

constexpr theon::scalar<"key", std::int64_t> key;  // which paths
constexpr theon::vector<"paths"> paths;             // one element per path; only its length is read
constexpr theon::scalar<"S0"> S0;                   // spot
constexpr theon::scalar<"K"> K;                     // strike
constexpr theon::scalar<"T"> T;                     // years to expiry
constexpr theon::scalar<"r"> r;                     // risk-free rate
constexpr theon::scalar<"sigma"> sigma;             // volatility

// Geometric Brownian motion at expiry, one standard normal z per path.
constexpr auto z = theon::normal(key, paths);
constexpr auto S_T = S0 * theon::exp((r - 0.5_c * sigma * sigma) * T + sigma * theon::sqrt(T) * z);
constexpr auto payoff = theon::exp(-r * T) * theon::maximum(S_T - K, 0_c);
constexpr auto price = theon::mean(payoff);
// The payoff is Lipschitz in S0 and sigma, so the mean's derivative is the mean
// of the per-path derivatives: unbiased estimates of delta and vega.
constexpr auto greeks = theon::grad(price, S0, sigma);

// A mean of n independent terms has standard error sqrt(s^2 / n), s^2 the
// sample variance n/(n-1) mean((e - mean e)^2); this is mean((e - mean e)^2).
constexpr auto spread(auto e) { return theon::mean(theon::square(e - theon::mean(e))); }

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * std::acos(-1.0)); }

// The median wall time of a few calls of f, in milliseconds.
template <class F>
double median_ms(F&& f) {
  std::vector<double> ms;
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}
}  // namespace

int main() {
  constexpr std::size_t n = 1'000'000;
  constexpr double s0 = 100, strike = 105, years = 1, rate = 0.03, vol = 0.2;
  const std::int64_t seed = 7;
  const xt::xtensor<double, 1> shape_of_paths = xt::zeros<double>({n});

  auto f = theon::function(price, theon::get<0>(greeks), theon::get<1>(greeks));
  auto spreads = theon::function(spread(payoff), spread(theon::jacobian(payoff, S0)),
                                 spread(theon::jacobian(payoff, sigma)));
  // Every function here is called on the same market and the same paths.
  const auto market = [&](auto& g, const auto& like) {
    return g(key = seed, paths = like, S0 = s0, K = strike, T = years, r = rate, sigma = vol);
  };

  const auto [p, delta, vega] = market(f, shape_of_paths);
  const auto [var_p, var_delta, var_vega] = market(spreads, shape_of_paths);
  const double cpu_ms = median_ms([&] { market(f, shape_of_paths); });

  // The closed forms.
  const double d1 = (std::log(s0 / strike) + (rate + 0.5 * vol * vol) * years) / (vol * std::sqrt(years));
  const double d2 = d1 - vol * std::sqrt(years);
  const double exact[] = {s0 * normal_cdf(d1) - strike * std::exp(-rate * years) * normal_cdf(d2), normal_cdf(d1),
                          s0 * normal_pdf(d1) * std::sqrt(years)};
  const double estimate[] = {p, delta, vega};
  const double variance[] = {var_p, var_delta, var_vega};
  const char* names[] = {"price", "delta", "vega"};

  std::printf("European call, S0 %.0f, K %.0f, T %.0f, r %.2f, sigma %.2f: %zu paths\n", s0, strike, years, rate, vol,
              n);
  std::printf("%6s %12s %12s %12s %8s\n", "", "estimate", "closed form", "std error", "SEs off");
  bool within = true;
  for (int i = 0; i < 3; ++i) {
    const double se = std::sqrt(variance[i] / (n - 1)), off = (estimate[i] - exact[i]) / se;
    std::printf("%6s %12.6f %12.6f %12.6f %+8.2f\n", names[i], estimate[i], exact[i], se, off);
    within = within && std::abs(off) <= 3;
  }
  std::printf("\nprice, delta and vega in one call: CPU runner    %8.2f ms (median of 5)\n", cpu_ms);

#ifdef THEON_EXAMPLE_THRUST
  // The same function on Thrust: the same key draws the same paths there.
  auto on_thrust = theon::on(thrust::device, f);
  const auto device_paths = theon::to_device(shape_of_paths);
  const double thrust_price = std::get<0>(market(on_thrust, device_paths));
  const double thrust_ms = median_ms([&] { market(on_thrust, device_paths); });
  const double difference = std::abs(thrust_price - p) / p;
  std::printf("                                   Thrust runner %8.2f ms (median of 5)\n", thrust_ms);
  std::printf("relative difference of the runners' prices: %.2e\n", difference);
  within = within && difference < 1e-12;
#endif

  if (!within) std::fprintf(stderr, "an estimate is more than 3 standard errors off, or the runners disagree\n");
  return within ? 0 : 1;
}
