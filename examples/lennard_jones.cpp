// Molecular dynamics: a cluster of atoms under the Lennard-Jones potential.
// Only the energy is written; the forces are -grad(energy), derived while the
// program compiles. Velocity Verlet moves the atoms, each half of a step one
// compiled call that updates positions, velocities and forces in place, and
// the total energy is printed and must stay constant.
//
// Reduced units: epsilon = sigma = mass = 1.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;

constexpr theon::matrix<"P"> P;        // positions, one atom per row (n x 3)
constexpr theon::matrix<"V"> V;        // velocities
constexpr theon::matrix<"F"> F;        // forces at P
constexpr theon::matrix<"pairs"> pairs;  // 1 where i < j: each pair once
constexpr theon::matrix<"eye"> eye;    // the identity: keeps r^2 of an atom with itself away from 0
constexpr theon::scalar<"dt"> dt;

// Squared distances between every two atoms, through broadcasting (n x n x 3 -> n x n).
constexpr auto r2 = theon::sum(theon::square(theon::expand_dims<1>(P) - theon::expand_dims<0>(P)), theon::axis<2>);
constexpr auto inv6 = theon::pow(1_c / (r2 + eye), 3_c);  // (sigma / r)^6
constexpr auto energy = theon::sum(pairs * 4_c * (inv6 * inv6 - inv6));
constexpr auto forces = -theon::grad(energy, P);
constexpr auto kinetic = 0.5_c * theon::sum(theon::square(V));

// A cube of atoms near the potential's minimum (r = 2^(1/6)), slightly jittered.
xt::xtensor<double, 2> lattice(std::size_t side, double spacing, std::mt19937& rng) {
  std::uniform_real_distribution<double> jitter(-0.05, 0.05);
  xt::xtensor<double, 2> p = xt::xtensor<double, 2>::from_shape({side * side * side, 3});
  for (std::size_t i = 0; i < side * side * side; ++i) {
    const std::size_t at[] = {i % side, i / side % side, i / (side * side)};
    for (std::size_t d = 0; d < 3; ++d) p(i, d) = spacing * static_cast<double>(at[d]) + jitter(rng);
  }
  return p;
}
}  // namespace

int main() {
  constexpr std::size_t side = 4, n = side * side * side, steps = 2000;
  constexpr double step = 0.002;
  std::mt19937 rng(5);
  xt::xtensor<double, 2> positions = lattice(side, 1.15, rng);
  xt::xtensor<double, 2> velocities = xt::xtensor<double, 2>::from_shape({n, 3});
  std::normal_distribution<double> thermal(0.0, 0.3);
  for (auto& v : velocities) v = thermal(rng);
  xt::xtensor<double, 2> upper = xt::zeros<double>({n, n}), identity = xt::zeros<double>({n, n});
  for (std::size_t i = 0; i < n; ++i) {
    identity(i, i) = 1;
    for (std::size_t j = i + 1; j < n; ++j) upper(i, j) = 1;
  }

  // Velocity Verlet: a half kick and a drift with the forces at hand ...
  auto kick_drift = theon::function(theon::updates(V, V + 0.5_c * dt * F, P, P + dt * (V + 0.5_c * dt * F)));
  // ... then the forces at the new positions and the second half kick; the
  // energies returned are those after the step.
  auto new_forces = theon::function(energy, 0.5_c * theon::sum(theon::square(V + 0.5_c * dt * forces)),
                                    theon::updates(F, forces, V, V + 0.5_c * dt * forces));
  auto measure = theon::function(energy, kinetic, forces);

  auto [potential0, kinetic0, f0] = measure(P = positions, V = velocities, pairs = upper, eye = identity);
  xt::xtensor<double, 2> force = f0;
  const double total0 = potential0 + kinetic0;
  std::printf("%zu atoms, Lennard-Jones, velocity Verlet, dt = %g, %zu steps\n", n, step, steps);
  std::printf("%6s %12s %12s %14s\n", "step", "potential", "kinetic", "total");
  std::printf("%6d %12.6f %12.6f %14.9f\n", 0, potential0, kinetic0, total0);

  double worst_drift = 0;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t k = 1; k <= steps; ++k) {
    kick_drift(V = velocities, P = positions, F = force, dt = step);
    const auto [potential, kinetic_energy] =
        new_forces(P = positions, V = velocities, F = force, pairs = upper, eye = identity, dt = step);
    const double total = potential + kinetic_energy;
    worst_drift = std::max(worst_drift, std::abs(total - total0) / std::abs(total0));
    if (k % 250 == 0) std::printf("%6zu %12.6f %12.6f %14.9f\n", k, potential, kinetic_energy, total);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("largest relative drift of the total energy: %.2e (%.3f s, %.1f us per step)\n", worst_drift, seconds,
              seconds * 1e6 / steps);
  return worst_drift < 1e-3 ? 0 : 1;
}
