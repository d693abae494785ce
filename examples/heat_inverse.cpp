// An inverse problem for the heat equation: the temperature on a 128 x 128
// plate with its edges held at 0 diffuses for 50 explicit time steps, and only
// the final temperature is observed. The initial temperature is recovered from
// that observation by gradient descent on the misfit
//   J(u0) = 1/2 sum((A u0 - observed)^2),   A u0 = S(S(...S(u0))), T = 50 time steps S.
// Only one step S is written, as a theon expression: the five-point Laplacian
// from shifted views of the field. Its vector-Jacobian product is derived from
// it while the program compiles; applied T times in reverse order, from the
// residual at the final time, it gives the gradient of J (the adjoint method).
// The forward model and the adjoint are C++ loops over those two compiled
// steps, each of which updates its field in place.
//
// The step, with r = D dt / h^2 the diffusion number of the grid:
//   u_ij <- u_ij + r (u_i+1,j + u_i-1,j + u_i,j+1 + u_i,j-1 - 4 u_ij) inside, u = 0 on the edges.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;

constexpr theon::matrix<"u"> u;                    // the temperature on the whole grid, edges included
constexpr theon::matrix<"adjoint"> adjoint;        // d J / d u at some time: how the misfit depends on the field then
constexpr theon::matrix<"observed"> observed;      // the temperature measured at the final time
constexpr theon::matrix<"prediction"> prediction;  // the model's temperature at the final time

// Explicit steps are stable for r <= 1/4 in two dimensions; at 1/5 every
// Fourier mode of the field is multiplied by a factor in (-0.6, 1] per step.
constexpr auto r = 0.2_c;

using theon::slice;
constexpr auto interior = u(slice<1, -1>, slice<1, -1>);
constexpr auto laplacian = u(slice<2>, slice<1, -1>) + u(slice<0, -2>, slice<1, -1>) + u(slice<1, -1>, slice<2>) +
                           u(slice<1, -1>, slice<0, -2>) - 4_c * interior;
// The new interior written into the old field: its edges stay at 0.
constexpr auto step = theon::set_subtensor(interior, interior + r * laplacian);
// (d step / d u)^T adjoint: the same stencil, transposed. The step is linear,
// so this depends on u only through its shape, and T of them carry d J / d u_T
// back to u_0.
constexpr auto step_back = theon::vjp(step, adjoint, u);

constexpr auto misfit = 0.5_c * theon::sum(theon::square(prediction - observed));
constexpr auto residual = prediction - observed;  // d J / d u_T

constexpr std::size_t side = 128;
constexpr int time_steps = 50;
using field = xt::xtensor<double, 2>;

void zero_edges(field& a) {
  for (std::size_t k = 0; k < side; ++k) a(0, k) = a(side - 1, k) = a(k, 0) = a(k, side - 1) = 0;
}

// Two warm spots and a cold one, each a Gaussian some 6 to 10 cells wide.
field true_initial_temperature() {
  field t = field::from_shape({side, side});
  const auto bump = [](double x, double y, double cx, double cy, double width) {
    return std::exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * width * width));
  };
  for (std::size_t i = 0; i < side; ++i)
    for (std::size_t j = 0; j < side; ++j) {
      const double x = static_cast<double>(i), y = static_cast<double>(j);
      t(i, j) = bump(x, y, 40, 45, 10) + 0.7 * bump(x, y, 85, 80, 8) - 0.5 * bump(x, y, 90, 30, 6);
    }
  zero_edges(t);  // the plate's edges are held at 0 from the start
  return t;
}

double root_sum_of_squares(const field& a) {
  double s = 0;
  for (double v : a) s += v * v;
  return std::sqrt(s);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main() {
  auto forward_step = theon::function(theon::updates(u, step));
  auto backward_step = theon::function(theon::updates(adjoint, step_back));
  auto misfit_and_residual = theon::function(misfit, residual);

  // A u0: the field after time_steps steps.
  const auto forward = [&](field temperature) {
    for (int t = 0; t < time_steps; ++t) forward_step(u = temperature);
    return temperature;
  };
  // J(u0) and A^T (A u0 - observed), its gradient.
  const auto misfit_and_gradient = [&](const field& initial, const field& observation) {
    auto [value, sensitivity] = misfit_and_residual(prediction = forward(initial), observed = observation);
    for (int t = 0; t < time_steps; ++t) backward_step(u = initial, adjoint = sensitivity);
    return std::pair{value, field(std::move(sensitivity))};
  };
  // The edges of u0 are known to be 0: only the interior is unknown, and the
  // gradient with respect to it is the interior of the whole gradient.
  const auto interior_part = [](field gradient) {
    zero_edges(gradient);
    return gradient;
  };

  const field truth = true_initial_temperature();
  const auto forward_start = std::chrono::steady_clock::now();
  const field observation = forward(truth);
  const double forward_seconds = seconds_since(forward_start);
  std::printf("heat equation on a %zu x %zu grid, %d explicit steps with r = 0.2: %.2f ms (%.1f us a step)\n", side,
              side, time_steps, forward_seconds * 1e3, forward_seconds * 1e6 / time_steps);
  std::printf("the peak temperature fell from %.3f to %.3f\n\n", xt::amax(truth)(), xt::amax(observation)());

  bool ok = true;

  // J is quadratic, so a central difference of it along any direction equals
  // the directional derivative up to rounding alone (no truncation error):
  // the adjoint gradient must match it to far better than 1e-6. The point and
  // the direction are random, so every entry of the gradient takes part.
  {
    std::mt19937_64 rng(128);
    std::normal_distribution<double> normal(0, 1);
    field at = field::from_shape({side, side}), direction = at;
    for (double& v : at) v = normal(rng);
    for (double& v : direction) v = normal(rng);
    const field gradient = misfit_and_gradient(at, observation).second;
    double adjoint_slope = 0;
    for (std::size_t k = 0; k < at.size(); ++k) adjoint_slope += gradient.data()[k] * direction.data()[k];
    constexpr double h = 1e-3;
    const double difference_slope =
        (misfit_and_gradient(at + h * direction, observation).first -
         misfit_and_gradient(at - h * direction, observation).first) / (2 * h);
    const double error = std::abs(adjoint_slope - difference_slope) / std::abs(difference_slope);
    const bool agrees = error < 1e-6;
    std::printf("directional derivative at a random point: adjoint %.10g, central difference %.10g (relative error "
                "%.1e): %s\n\n", adjoint_slope, difference_slope, error, agrees ? "agree" : "DISAGREE");
    ok = ok && agrees;
  }

  // Gradient descent from a plate at 0. With the edges at 0, a step changes no
  // sine mode of the interior by a factor above 1 in size, so neither does A,
  // and the curvature of J, A^T A, is at most 1: a step length of 1 is
  // 1 / (largest curvature), with which every mode's error shrinks monotonically.
  constexpr int iterations = 60;
  constexpr double step_length = 1;
  field estimate = xt::zeros<double>({side, side});
  double start_misfit = 0, final_misfit = 0;
  const auto descent_start = std::chrono::steady_clock::now();
  std::printf("%9s %14s\n", "iteration", "misfit");
  for (int iteration = 0; iteration <= iterations; ++iteration) {
    const auto [value, gradient] = misfit_and_gradient(estimate, observation);
    if (iteration == 0) start_misfit = value;
    final_misfit = value;
    if (iteration % 5 == 0) std::printf("%9d %14.6e\n", iteration, value);
    if (iteration < iterations) estimate -= step_length * interior_part(gradient);
  }
  const double descent_seconds = seconds_since(descent_start);
  std::printf("%d iterations, each %d steps forward and %d back: %.0f ms (%.1f ms an iteration)\n\n", iterations,
              time_steps, time_steps, descent_seconds * 1e3, descent_seconds * 1e3 / (iterations + 1));

  // The observation is exact, so the misfit can go to 0; the smooth bumps
  // live in slowly decaying modes, where the curvature is near 1 and descent
  // converges in a few iterations.
  const double reduction = final_misfit / start_misfit;
  const bool fitted = reduction < 1e-3;
  std::printf("misfit reduced to %.1e of its start, below 1e-3: %s\n", reduction, fitted ? "yes" : "NO");

  // Diffusion damps a mode of wavenumber k (radians a cell) by about
  // exp(-r k^2 T): the observation holds almost nothing of the fine detail of
  // u0, which no method can recover. The bumps here are 6 cells wide and more,
  // so their modes lose at most about a quarter and are recovered well. From 0,
  // descent changes the estimate only along A^T, and the error in each mode
  // shrinks, so the recovered field must be closer to the truth than the
  // starting guess.
  const double start_error = root_sum_of_squares(truth), final_error = root_sum_of_squares(estimate - truth);
  const bool closer = final_error < start_error;
  std::printf("error of the initial temperature: %.3f at the start, %.3f recovered (%.2f%% of the truth's norm): %s\n",
              start_error, final_error, 100 * final_error / start_error, closer ? "closer" : "NOT CLOSER");
  ok = ok && fitted && closer;
  return ok ? 0 : 1;
}
