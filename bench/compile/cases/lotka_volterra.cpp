// Lotka-Volterra predator-prey equations integrated by STEPS unrolled RK4
// steps; the loss is the squared distance of the final state from a target,
// compiled with its gradient with respect to the four parameters.
#include <cstdio>

#include <theon/theon.hpp>

#ifndef STEPS
#define STEPS 20
#endif

namespace {
using namespace theon::literals;
constexpr theon::scalar<"alpha"> alpha;
constexpr theon::scalar<"beta"> beta;
constexpr theon::scalar<"gamma"> gamma_;
constexpr theon::scalar<"delta"> delta;
constexpr theon::scalar<"u0"> u0;  // prey
constexpr theon::scalar<"v0"> v0;  // predators
constexpr auto h = 0.05_c;

struct state {
  constexpr auto du(auto u, auto v) const { return alpha * u - beta * u * v; }
  constexpr auto dv(auto u, auto v) const { return delta * u * v - gamma_ * v; }
};

template <int Steps>
constexpr auto integrate(auto u, auto v) {
  if constexpr (Steps == 0) {
    return theon::square(u - 1_c) + theon::square(v - 0.5_c);
  } else {
    constexpr state f;
    const auto k1u = f.du(u, v), k1v = f.dv(u, v);
    const auto k2u = f.du(u + 0.5_c * h * k1u, v + 0.5_c * h * k1v), k2v = f.dv(u + 0.5_c * h * k1u, v + 0.5_c * h * k1v);
    const auto k3u = f.du(u + 0.5_c * h * k2u, v + 0.5_c * h * k2v), k3v = f.dv(u + 0.5_c * h * k2u, v + 0.5_c * h * k2v);
    const auto k4u = f.du(u + h * k3u, v + h * k3v), k4v = f.dv(u + h * k3u, v + h * k3v);
    return integrate<Steps - 1>(u + h / 6_c * (k1u + 2_c * k2u + 2_c * k3u + k4u),
                                v + h / 6_c * (k1v + 2_c * k2v + 2_c * k3v + k4v));
  }
}
constexpr auto loss = integrate<STEPS>(u0, v0);
}  // namespace

int main() {
  auto [ga, gb, gg, gd] = theon::grad(loss, alpha, beta, gamma_, delta);
  const auto [l, da, db, dg, dd] = theon::function(loss, ga, gb, gg, gd)(
      alpha = 1.1, beta = 0.4, gamma_ = 0.4, delta = 0.1, u0 = 1.5, v0 = 1.0);
  std::printf("loss = %.17g, gradient = (%.6g, %.6g, %.6g, %.6g)\n", l, da, db, dg, dd);
}
