// Bayesian inference with Hamiltonian Monte Carlo: the eight schools (Rubin 1981),
// a coaching effect estimated in each of eight schools and pooled through a
// hierarchical model. The log density is written once with theon::dist and its
// gradient is derived from it while the program compiles; one compiled call
// gives both, and a small HMC sampler, written out below, draws from the
// posterior. The posterior means of mu and tau, with their Monte Carlo standard
// errors, are checked against the reference posterior that posteriordb
// publishes for the same model.
//
// The model, non-centred: the schools' effects theta are built from eta rather
// than sampled, which removes the funnel between theta and tau where HMC fails
// on the centred form.
//   mu ~ Normal(0, 5), tau ~ HalfCauchy(0, 5), eta_j ~ Normal(0, 1),
//   theta_j = mu + tau * eta_j, y_j ~ Normal(theta_j, sigma_j).
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <random>
#include <span>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;

constexpr theon::vector<"y"> y;              // each school's estimated coaching effect
constexpr theon::vector<"sigma"> sigma;      // its standard error
constexpr theon::scalar<"mu"> mu;            // the mean effect over schools
constexpr theon::scalar<"log_tau"> log_tau;  // log of their standard deviation: HMC moves on the whole real line
constexpr theon::vector<"eta"> eta;          // each school's standardised distance from mu

constexpr auto tau = theon::exp(log_tau);
constexpr auto theta = mu + tau * eta;  // the schools' effects

// The log posterior density of (mu, log_tau, eta) up to a constant. The
// half-Cauchy density is twice the Cauchy one on tau > 0, a constant factor;
// + log_tau is the log Jacobian of tau = exp(log_tau).
constexpr auto log_density = theon::dist::normal_lpdf(mu, 0_c, 5_c) + theon::dist::cauchy_lpdf(tau, 0_c, 5_c) +
                             log_tau + theon::sum(theon::dist::normal_lpdf(eta, 0_c, 1_c)) +
                             theon::sum(theon::dist::normal_lpdf(y, theta, sigma));

constexpr std::size_t schools = 8, dimension = 2 + schools;
using point = std::array<double, dimension>;  // (mu, log_tau, eta_1, ..., eta_8)

struct state {
  point q;
  double log_density;
  point gradient;
};

struct transition {
  double acceptance;  // the Metropolis acceptance probability of the proposal
  bool divergent;     // the energy error blew up: the posterior curves faster than the step size resolves
};

// A trajectory whose energy error exceeds this is divergent, Stan's threshold.
constexpr double divergence_energy = 1000;

// One HMC transition: a fresh momentum p ~ Normal(0, I), `steps` leapfrog steps
// along the Hamiltonian H(q, p) = -log p(q) + |p|^2 / 2, and a Metropolis
// correction for the integrator's energy error.
transition hmc(auto& target, state& current, double step_size, int steps, std::mt19937_64& rng) {
  std::normal_distribution<double> standard_normal;
  point p;
  for (double& pi : p) pi = standard_normal(rng);
  const auto energy = [](const state& s, const point& momentum) {
    double kinetic = 0;
    for (double pi : momentum) kinetic += 0.5 * pi * pi;
    return kinetic - s.log_density;
  };
  const double start_energy = energy(current, p);

  state next = current;
  for (int step = 0; step < steps; ++step) {
    for (std::size_t i = 0; i < dimension; ++i) p[i] += 0.5 * step_size * next.gradient[i];
    for (std::size_t i = 0; i < dimension; ++i) next.q[i] += step_size * p[i];
    next.log_density = target(next.q, next.gradient);
    for (std::size_t i = 0; i < dimension; ++i) p[i] += 0.5 * step_size * next.gradient[i];
  }

  const double energy_error = energy(next, p) - start_energy;
  const bool divergent = !(energy_error < divergence_energy);  // NaN included
  const double acceptance = divergent ? 0 : std::min(1.0, std::exp(-energy_error));
  if (std::uniform_real_distribution<double>(0, 1)(rng) < acceptance) current = next;
  return {acceptance, divergent};
}

// Dual averaging (Hoffman and Gelman 2014, section 3.2; Stan's constants):
// during warm-up, moves log(step size) until the mean acceptance probability is
// `target_acceptance`; its running average is the step size kept for sampling.
class step_size_adaptation {
  static constexpr double target_acceptance = 0.8, gamma = 0.05, t0 = 10, kappa = 0.75;
  double shrink_towards_;  // log(10 * initial step size): large steps are tried first
  double mean_error_ = 0, log_step_, log_step_average_ = 0;
  int t_ = 0;

 public:
  explicit step_size_adaptation(double initial)
      : shrink_towards_(std::log(10 * initial)), log_step_(std::log(initial)) {}
  double step_size() const { return std::exp(log_step_); }
  double adapted_step_size() const { return std::exp(log_step_average_); }
  void learn(double acceptance) {
    ++t_;
    mean_error_ += (target_acceptance - acceptance - mean_error_) / (t_ + t0);
    log_step_ = shrink_towards_ - std::sqrt(t_) / gamma * mean_error_;
    const double weight = std::pow(t_, -kappa);
    log_step_average_ = weight * log_step_ + (1 - weight) * log_step_average_;
  }
};

// Each trajectory integrates for a time drawn uniformly from (0, max_integration_time].
// Along a direction of posterior scale s the motion is close to periodic, with
// period 2 pi s: one fixed time could come back near its start every time and
// correlate the draws. Times up to a full period of the eta (scale about 1)
// decorrelate them and move mu (scale about 3) up to a quarter of its period.
constexpr double max_integration_time = 2 * std::numbers::pi;

int leapfrog_steps(double step_size, std::mt19937_64& rng) {
  const int most = std::max(1, static_cast<int>(std::ceil(max_integration_time / step_size)));
  return std::uniform_int_distribution<int>(1, most)(rng);
}

struct chain_result {
  std::vector<double> mu, tau;
  double step_size, mean_acceptance;
  int divergences;
};

chain_result run_chain(auto& target, int warmup, int draws, std::mt19937_64& rng) {
  state s;
  std::uniform_real_distribution<double> initial(-2, 2);  // Stan's default initialisation on the unconstrained space
  for (double& qi : s.q) qi = initial(rng);
  s.log_density = target(s.q, s.gradient);

  step_size_adaptation adaptation(1.0);
  for (int i = 0; i < warmup; ++i) {
    const double trial = adaptation.step_size();
    adaptation.learn(hmc(target, s, trial, leapfrog_steps(trial, rng), rng).acceptance);
  }

  const double step_size = adaptation.adapted_step_size();
  std::vector<double> mu_draws, tau_draws;
  double acceptance_sum = 0;
  int divergences = 0;
  for (int i = 0; i < draws; ++i) {
    const transition t = hmc(target, s, step_size, leapfrog_steps(step_size, rng), rng);
    acceptance_sum += t.acceptance;
    divergences += t.divergent;
    mu_draws.push_back(s.q[0]);
    tau_draws.push_back(std::exp(s.q[1]));
  }
  return {std::move(mu_draws), std::move(tau_draws), step_size, acceptance_sum / draws, divergences};
}

struct estimate {
  double mean, mcse;
};

// The posterior mean and its Monte Carlo standard error by batch means: each
// chain's draws are cut into batches much longer than the lag over which they
// stay correlated, so that the batch means are nearly independent; the
// standard error is their standard deviation over the square root of their number.
estimate batch_means(const std::vector<std::vector<double>>& chains, std::size_t batch_length) {
  std::vector<double> means;
  for (const auto& chain : chains)
    for (std::size_t start = 0; start + batch_length <= chain.size(); start += batch_length) {
      double sum = 0;
      for (std::size_t i = start; i < start + batch_length; ++i) sum += chain[i];
      means.push_back(sum / batch_length);
    }
  double mean = 0, variance = 0;
  for (double m : means) mean += m / means.size();
  for (double m : means) variance += (m - mean) * (m - mean) / (means.size() - 1);
  return {mean, std::sqrt(variance / means.size())};
}
}  // namespace

int main() {
  const xt::xtensor<double, 1> effects = {28, 8, -3, 7, -1, 1, 18, 12};
  const xt::xtensor<double, 1> standard_errors = {15, 10, 16, 11, 9, 11, 10, 18};

  const auto [d_mu, d_log_tau, d_eta] = theon::grad(log_density, mu, log_tau, eta);
  auto log_density_and_gradient = theon::function(log_density, d_mu, d_log_tau, d_eta);
  // The sampler's view of the model: log p(q), with its gradient written into `gradient`.
  long evaluations = 0;
  auto target = [&](const point& q, point& gradient) {
    ++evaluations;
    const auto [value, g_mu, g_log_tau, g_eta] = log_density_and_gradient(
        mu = q[0], log_tau = q[1], eta = std::span(q).subspan<2>(), y = effects, sigma = standard_errors);
    gradient[0] = g_mu;
    gradient[1] = g_log_tau;
    std::copy(g_eta.begin(), g_eta.end(), gradient.begin() + 2);
    return value;
  };

  constexpr int chains = 4, warmup = 1000, draws = 2000;
  std::mt19937_64 rng(8);
  std::vector<std::vector<double>> mu_draws, tau_draws;
  const auto start = std::chrono::steady_clock::now();
  std::printf("%d chains, %d warm-up iterations and %d draws each\n", chains, warmup, draws);
  std::printf("%6s %10s %11s %12s\n", "chain", "step size", "acceptance", "divergences");
  int divergences = 0;
  for (int c = 0; c < chains; ++c) {
    chain_result chain = run_chain(target, warmup, draws, rng);
    std::printf("%6d %10.3f %11.3f %12d\n", c + 1, chain.step_size, chain.mean_acceptance, chain.divergences);
    divergences += chain.divergences;
    mu_draws.push_back(std::move(chain.mu));
    tau_draws.push_back(std::move(chain.tau));
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("sampled in %.2f s: %ld evaluations of the log density and its gradient, %.1f us each\n\n", seconds,
              evaluations, seconds * 1e6 / evaluations);

  // The published means are posteriordb's reference posterior for
  // eight_schools-eight_schools_noncentered (the same model and priors, 10,000
  // draws from Stan), with their Monte Carlo standard errors.
  struct comparison {
    const char* name;
    estimate published;
    estimate ours;
  };
  // Here draws about ten apart are no longer correlated; batches of 200 give 40 batch means.
  constexpr std::size_t batch_length = 200;
  const comparison checks[] = {{"mu", {4.411, 0.033}, batch_means(mu_draws, batch_length)},
                               {"tau", {3.602, 0.032}, batch_means(tau_draws, batch_length)}};
  bool ok = true;
  std::printf("%5s %8s %8s %10s %8s\n", "", "mean", "MCSE", "published", "MCSE");
  for (const comparison& r : checks) {
    // Both means estimate the same posterior mean with independent Monte Carlo
    // errors, so their difference has standard deviation sqrt(ours^2 + published^2);
    // four of those is a disagreement that chance alone gives about once in 15,000.
    const double tolerance = 4 * std::hypot(r.ours.mcse, r.published.mcse);
    const bool agrees = std::abs(r.ours.mean - r.published.mean) < tolerance;
    std::printf("%5s %8.3f %8.3f %10.3f %8.3f  %s (|difference| %.3f, tolerance %.3f)\n", r.name, r.ours.mean,
                r.ours.mcse, r.published.mean, r.published.mcse, agrees ? "agrees" : "DISAGREES",
                std::abs(r.ours.mean - r.published.mean), tolerance);
    ok = ok && agrees;
  }
  std::printf("divergent transitions after warm-up: %d\n", divergences);
  return ok ? 0 : 1;
}
