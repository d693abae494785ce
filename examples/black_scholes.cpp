// Black-Scholes: a European call's price written once as math, and its greeks
// (delta = dP/dS, vega = dP/dsigma, gamma = d2P/dS2) derived from it while the
// program compiles. One compiled call gives all four over a book of options;
// the closed forms check them.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;

constexpr theon::vector<"S"> S;          // spot prices
constexpr theon::vector<"K"> K;          // strikes
constexpr theon::vector<"T"> T;          // years to expiry
constexpr theon::vector<"sigma"> sigma;  // volatilities
constexpr theon::scalar<"r"> r;          // the risk-free rate

// The standard normal CDF.
constexpr auto N(auto x) { return 0.5_c * (1_c + theon::erf(x * 0.7071067811865476_c)); }

constexpr auto spread = sigma * theon::sqrt(T);
constexpr auto d1 = (theon::log(S / K) + (r + 0.5_c * sigma * sigma) * T) / spread;
constexpr auto d2 = d1 - spread;
constexpr auto price = S * N(d1) - K * theon::exp(-r * T) * N(d2);

// Each option's price depends on its own S and sigma only, so the gradient of
// the book's total is each option's own derivative.
constexpr auto delta = theon::grad(theon::sum(price), S);
constexpr auto vega = theon::grad(theon::sum(price), sigma);
constexpr auto gamma_ = theon::grad(theon::sum(delta), S);  // second order: the gradient of a gradient

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }
double normal_pdf(double x) { return std::exp(-0.5 * x * x) / std::sqrt(2 * std::acos(-1.0)); }
}  // namespace

int main() {
  constexpr std::size_t n = 1'000'000;
  constexpr double rate = 0.03;
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> spot(50, 150), strike(60, 140), years(0.1, 3), vol(0.1, 0.6);
  xt::xtensor<double, 1> s = xt::xtensor<double, 1>::from_shape({n}), k = s, t = s, v = s;
  for (std::size_t i = 0; i < n; ++i) s(i) = spot(rng), k(i) = strike(rng), t(i) = years(rng), v(i) = vol(rng);

  std::printf("price = %s\n\n", theon::to_string(price).c_str());

  auto f = theon::function(price, delta, vega, gamma_);  // shared work computed once, fused loops
  const auto start = std::chrono::steady_clock::now();
  const auto [p, de, ve, ga] = f(S = s, K = k, T = t, sigma = v, r = rate);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  // The closed forms, option by option.
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double root = std::sqrt(t(i)), a = (std::log(s(i) / k(i)) + (rate + 0.5 * v(i) * v(i)) * t(i)) / (v(i) * root);
    const double want[] = {s(i) * normal_cdf(a) - k(i) * std::exp(-rate * t(i)) * normal_cdf(a - v(i) * root),
                           normal_cdf(a), s(i) * normal_pdf(a) * root, normal_pdf(a) / (s(i) * v(i) * root)};
    const double got[] = {p(i), de(i), ve(i), ga(i)};
    for (int g = 0; g < 4; ++g) worst = std::max(worst, std::abs(got[g] - want[g]) / (1e-3 + std::abs(want[g])));
  }

  std::printf("%8s %8s %6s %6s | %10s %8s %10s %9s\n", "S", "K", "T", "sigma", "price", "delta", "vega", "gamma");
  for (std::size_t i = 0; i < 5; ++i)
    std::printf("%8.2f %8.2f %6.2f %6.2f | %10.4f %8.4f %10.4f %9.6f\n", s(i), k(i), t(i), v(i), p(i), de(i), ve(i), ga(i));
  std::printf("\n%zu options: price and three greeks in %.1f ms (%.1f ns per option)\n", n, ms, ms * 1e6 / n);
  std::printf("largest relative difference from the closed forms: %.2e\n", worst);
  return worst < 1e-9 ? 0 : 1;
}
