// Gaussian process regression: noisy samples of a smooth function, a zero-mean
// GP prior with a squared-exponential kernel, and the kernel's three
// hyperparameters (amplitude, length scale, noise) fitted by maximising the
// marginal likelihood of the data. The log marginal likelihood is written once,
// through a Cholesky factor of the covariance; its gradient with respect to the
// hyperparameters is derived from it while the program compiles, checked
// against finite differences, and followed by a small BFGS optimiser written
// out below. The fitted model then predicts the function between the samples,
// with error bars.
//
// The model, with the hyperparameters on the log scale so that every real
// value is a valid one:
//   k(a, b) = amplitude^2 exp(-(a - b)^2 / (2 length^2)),
//   y ~ MultiNormal(0, K), K_ij = k(x_i, x_j) + noise^2 delta_ij.
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;

constexpr theon::vector<"x"> x;                          // where the function was sampled
constexpr theon::vector<"y"> y;                          // the noisy samples
constexpr theon::vector<"x_test"> x_test;                // where it is predicted
constexpr theon::scalar<"log_amplitude"> log_amplitude;  // log of the function's typical size
constexpr theon::scalar<"log_length"> log_length;        // log of the input distance over which values decorrelate
constexpr theon::scalar<"log_noise"> log_noise;          // log of the standard deviation of the samples' noise

constexpr auto amplitude = theon::exp(log_amplitude);
constexpr auto length = theon::exp(log_length);
constexpr auto noise = theon::exp(log_noise);

// k(a_i, b_j) for every pair, an (a.size() x b.size()) matrix through broadcasting.
constexpr auto squared_exponential(theon::expression auto a, theon::expression auto b) {
  const auto difference = theon::expand_dims<1>(a) - theon::expand_dims<0>(b);
  return theon::square(amplitude) * theon::exp(-theon::square(difference) / (2_c * theon::square(length)));
}

constexpr auto signal_covariance = squared_exponential(x, x);
constexpr auto covariance = signal_covariance + theon::square(noise) * theon::eye_like(signal_covariance);
constexpr auto factor = theon::cholesky(covariance);  // K = L L^T
// log p(y | hyperparameters) = -y^T K^-1 y / 2 - log det K / 2 - n log(2 pi) / 2, the normalising constant included.
constexpr auto log_likelihood = theon::dist::multi_normal_cholesky_lpdf(y, 0_c, factor);

// The posterior of the function at x_test given the samples (Rasmussen and
// Williams 2006, algorithm 2.1): with V = L^-1 k(x, x_test), its mean is
// V^T L^-1 y and its variance amplitude^2 - the column sums of V^2.
constexpr auto projected = theon::solve_triangular(factor, squared_exponential(x, x_test));
constexpr auto posterior_mean = theon::matmul(theon::transpose(projected), theon::solve_triangular(factor, y));
constexpr auto posterior_sd =
    theon::sqrt(theon::square(amplitude) - theon::sum(theon::square(projected), theon::axis<0>));

double truth(double at) { return std::sin(2 * at) + 0.3 * at; }

constexpr std::size_t dimension = 3;  // (log_amplitude, log_length, log_noise)
using point = std::array<double, dimension>;
using matrix3 = std::array<point, dimension>;

double dot(const point& a, const point& b) {
  double s = 0;
  for (std::size_t i = 0; i < dimension; ++i) s += a[i] * b[i];
  return s;
}
double norm(const point& a) { return std::sqrt(dot(a, a)); }

struct evaluation {
  double value;
  point gradient;
};

struct minimum {
  point at;
  evaluation value;
  int iterations, evaluations;
  bool converged;
};

// The Armijo condition's constant and the backtracking factor of the line search (Nocedal and Wright's usual values).
constexpr double sufficient_decrease = 1e-4, backtrack = 0.5;

// BFGS (Nocedal and Wright 2006, algorithm 6.1) with a backtracking line
// search: H approximates the inverse Hessian from the gradients seen so far
// and -H g is the next direction. The first step is scaled to length 1 (at
// most a factor of e in each hyperparameter), since the gradient's size says
// nothing about the distance to the minimum.
minimum minimise(auto& objective, point start, double gradient_tolerance, int max_iterations) {
  point at = start;
  evaluation current = objective(at);
  int evaluations = 1;
  matrix3 inverse_hessian{};
  for (std::size_t i = 0; i < dimension; ++i) inverse_hessian[i][i] = 1 / norm(current.gradient);

  for (int iteration = 0; iteration < max_iterations; ++iteration) {
    if (norm(current.gradient) < gradient_tolerance) return {at, current, iteration, evaluations, true};
    point direction{};
    for (std::size_t i = 0; i < dimension; ++i) direction[i] = -dot(inverse_hessian[i], current.gradient);
    const double slope = dot(direction, current.gradient);

    double step = 1;
    point next;
    evaluation trial;
    while (true) {
      for (std::size_t i = 0; i < dimension; ++i) next[i] = at[i] + step * direction[i];
      trial = objective(next);
      ++evaluations;
      if (trial.value <= current.value + sufficient_decrease * step * slope) break;  // false for NaN
      step *= backtrack;
      if (step < 1e-12) return {at, current, iteration, evaluations, false};  // no decrease along -H g
    }

    point s, change;  // the step taken and the change of the gradient along it
    for (std::size_t i = 0; i < dimension; ++i) {
      s[i] = next[i] - at[i];
      change[i] = trial.gradient[i] - current.gradient[i];
    }
    // The update keeps H positive definite only if the curvature along the step is positive; if not, H is kept.
    const double curvature = dot(s, change);
    if (curvature > 0) {
      const double rho = 1 / curvature;
      point h_change{};
      for (std::size_t i = 0; i < dimension; ++i) h_change[i] = dot(inverse_hessian[i], change);
      const double change_h_change = dot(change, h_change);
      // H + rho^2 (y^T H y) s s^T + rho s s^T - rho (H y s^T + s y^T H), with y the change in gradient.
      for (std::size_t i = 0; i < dimension; ++i)
        for (std::size_t j = 0; j < dimension; ++j)
          inverse_hessian[i][j] +=
              (rho * rho * change_h_change + rho) * s[i] * s[j] - rho * (h_change[i] * s[j] + s[i] * h_change[j]);
    }
    at = next;
    current = trial;
  }
  return {at, current, max_iterations, evaluations, norm(current.gradient) < gradient_tolerance};
}
}  // namespace

int main() {
  // Samples of sin(2 x) + 0.3 x at random points of [0, 6], with Gaussian noise of a known standard deviation.
  constexpr std::size_t samples = 60;
  constexpr double true_noise = 0.1;
  std::mt19937_64 rng(60);
  std::uniform_real_distribution<double> where(0, 6);
  std::normal_distribution<double> measurement_error(0, true_noise);
  xt::xtensor<double, 1> inputs = xt::xtensor<double, 1>::from_shape({samples}), targets = inputs;
  for (std::size_t i = 0; i < samples; ++i) {
    inputs(i) = where(rng);
    targets(i) = truth(inputs(i)) + measurement_error(rng);
  }

  const auto [d_log_amplitude, d_log_length, d_log_noise] =
      theon::grad(log_likelihood, log_amplitude, log_length, log_noise);
  auto likelihood_and_gradient = theon::function(log_likelihood, d_log_amplitude, d_log_length, d_log_noise);
  auto evaluate = [&](const point& at) {
    return likelihood_and_gradient(log_amplitude = at[0], log_length = at[1], log_noise = at[2], x = inputs,
                                   y = targets);
  };
  // The optimiser minimises -log p. A covariance too ill-conditioned to
  // factor lies outside the domain the line search may step to.
  auto negative_log_likelihood = [&](const point& at) -> evaluation {
    try {
      const auto [value, g_amplitude, g_length, g_noise] = evaluate(at);
      return {-value, {-g_amplitude, -g_length, -g_noise}};
    } catch (const theon::numeric_error&) {
      return {std::numeric_limits<double>::infinity(), {}};
    }
  };

  bool ok = true;
  // Amplitude, length scale and noise all 1: the scale of the data and of its inputs, nothing fitted to them.
  const point start = {0, 0, 0};
  std::printf("GP regression on %zu noisy samples of sin(2x) + 0.3x, noise sd %g\n\n", samples, true_noise);

  // The symbolic gradient against central differences of the log likelihood at the starting point, where the
  // covariance is well conditioned and the differences are accurate to far better than check_grad's tolerance
  // (1e-6, relative to the derivative or to 1 where it is smaller).
  const auto check = [&](auto variable) {
    return theon::check_grad(log_likelihood, variable, log_amplitude = start[0], log_length = start[1],
                             log_noise = start[2], x = inputs, y = targets);
  };
  for (const theon::grad_check_report& report : {check(log_amplitude), check(log_length), check(log_noise)}) {
    std::printf("d log p / d %-13s %11.6f, central difference %11.6f (error %.1e)\n", report.variable.c_str(),
                report.symbolic, report.numeric, report.worst_error);
    ok = ok && report.ok;
  }

  // -log p comes with rounding errors of up to about 1e-11, and a step from a
  // point where the gradient has norm g lowers it by about g^2 / (2 c), c the
  // curvature along the step (about 100 along log_noise): below g ~ 5e-5 the
  // line search cannot tell a decrease from rounding. A norm of 1e-4 puts the
  // maximum within about 1e-4 / 8 of the point found (8 being about the
  // smallest curvature here), far inside the log hyperparameters' standard
  // errors of 0.1 and more.
  constexpr double gradient_tolerance = 1e-4;
  const auto fit_start = std::chrono::steady_clock::now();
  const minimum fit = minimise(negative_log_likelihood, start, gradient_tolerance, 200);
  const double fit_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - fit_start).count();
  const double start_log_likelihood = -negative_log_likelihood(start).value;
  const double fitted_log_likelihood = -fit.value.value;
  const double fitted_amplitude = std::exp(fit.at[0]), fitted_length = std::exp(fit.at[1]);
  const double fitted_noise = std::exp(fit.at[2]);

  std::printf("\n%-28s %10s %10s %10s %14s\n", "", "amplitude", "length", "noise", "log likelihood");
  std::printf("%-28s %10.4f %10.4f %10.4f %14.4f\n", "start", 1.0, 1.0, 1.0, start_log_likelihood);
  std::printf("%-28s %10.4f %10.4f %10.4f %14.4f\n", "maximum marginal likelihood", fitted_amplitude, fitted_length,
              fitted_noise, fitted_log_likelihood);
  std::printf("BFGS: %d iterations, %d evaluations of the log likelihood and its gradient, %.1f ms\n", fit.iterations,
              fit.evaluations, fit_seconds * 1e3);

  const bool converged = fit.converged;
  const bool improved = fitted_log_likelihood > start_log_likelihood;
  // The standard error of the fitted log noise is 1 / sqrt(curvature) = 0.1
  // (1 / sqrt(2n) = 0.09 if the function were known rather than fitted from
  // the same samples), and that is the relative error of the noise itself: 30%
  // off would be three standard errors.
  const double noise_error = std::abs(fitted_noise - true_noise) / true_noise;
  const bool noise_recovered = noise_error < 0.3;
  std::printf("gradient norm at the maximum %.1e, below %g: %s\n", norm(fit.value.gradient), gradient_tolerance,
              converged ? "yes" : "NO");
  std::printf("log likelihood increased: %s\n", improved ? "yes" : "NO");
  std::printf("fitted noise within 30%% of the true %g: %s (%.1f%% off)\n", true_noise, noise_recovered ? "yes" : "NO",
              100 * noise_error);
  ok = ok && converged && improved && noise_recovered;

  // One evaluation of the log likelihood and its gradient, averaged over many calls.
  constexpr int timing_calls = 200;
  const auto timing_start = std::chrono::steady_clock::now();
  for (int i = 0; i < timing_calls; ++i) evaluate(fit.at);
  const double per_call =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - timing_start).count() / timing_calls;
  std::printf("one evaluation of the log likelihood and its 3 derivatives (n = %zu): %.1f us\n", samples,
              per_call * 1e6);

  // The posterior between the samples. If the fitted model is calibrated, the
  // error of its mean is normal with the posterior standard deviation: an
  // error beyond 4 of those has probability 6e-5 at each point.
  auto predict = theon::function(posterior_mean, posterior_sd);
  const xt::xtensor<double, 1> test_inputs = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5};
  const auto [mean, sd] = predict(log_amplitude = fit.at[0], log_length = fit.at[1], log_noise = fit.at[2], x = inputs,
                                  y = targets, x_test = test_inputs);
  std::printf("\n%6s %10s %10s %10s %8s\n", "x", "truth", "mean", "sd", "z");
  for (std::size_t i = 0; i < test_inputs.size(); ++i) {
    const double z = (mean(i) - truth(test_inputs(i))) / sd(i);
    const bool within = std::abs(z) < 4;
    std::printf("%6.2f %10.4f %10.4f %10.4f %8.2f%s\n", test_inputs(i), truth(test_inputs(i)), mean(i), sd(i), z,
                within ? "" : "  (beyond 4 sd)");
    ok = ok && within;
  }
  return ok ? 0 : 1;
}
