// A European call's price with delta, vega and gamma (second order), as
// examples/black_scholes.cpp writes them, compiled into one function.
#include <cstdio>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;
constexpr theon::vector<"S"> S;
constexpr theon::vector<"K"> K;
constexpr theon::vector<"T"> T;
constexpr theon::vector<"sigma"> sigma;
constexpr theon::scalar<"r"> r;

constexpr auto N(auto x) { return 0.5_c * (1_c + theon::erf(x * 0.7071067811865476_c)); }
constexpr auto spread = sigma * theon::sqrt(T);
constexpr auto d1 = (theon::log(S / K) + (r + 0.5_c * sigma * sigma) * T) / spread;
constexpr auto d2 = d1 - spread;
constexpr auto price = S * N(d1) - K * theon::exp(-r * T) * N(d2);
constexpr auto delta = theon::grad(theon::sum(price), S);
constexpr auto vega = theon::grad(theon::sum(price), sigma);
constexpr auto gamma_ = theon::grad(theon::sum(delta), S);
}  // namespace

int main() {
  const xt::xtensor<double, 1> s = {90.0, 110.0}, k = {100.0, 100.0}, t = {1.0, 0.5}, v = {0.2, 0.3};
  const auto [p, de, ve, ga] = theon::function(price, delta, vega, gamma_)(S = s, K = k, T = t, sigma = v, r = 0.03);
  std::printf("price %.6f delta %.6f vega %.6f gamma %.6f\n", p(0), de(0), ve(0), ga(0));
}
