// One model, two runners: logistic regression trained by gradient descent,
// the loss and its gradient compiled once by theon::function and run on the
// CPU runner and, through theon::on, on Thrust (a CUDA GPU with cuBLAS when
// this file is compiled by nvcc, the OMP host system under g++). Both runners
// train from the same start on the same data; the losses must agree.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include <xtensor/xtensor.hpp>

#include <theon/thrust.hpp>

namespace {
using namespace theon::literals;

constexpr theon::matrix<"X"> X;  // one example per row
constexpr theon::vector<"y"> y;  // labels, 0 or 1
constexpr theon::vector<"w"> w;  // weights
constexpr theon::scalar<"b"> b;  // bias

// Mean cross-entropy of sigmoid(z) against y, written stably: softplus(z) - y z.
constexpr auto z = theon::matmul(X, w) + b;
constexpr auto loss = theon::mean(theon::softplus(z) - y * z);
constexpr auto gradients = theon::grad(loss, w, b);

struct problem {
  xt::xtensor<double, 2> features;
  xt::xtensor<double, 1> labels;
};

// Labels drawn from a known logistic model, so training has something to find.
problem make_problem(std::size_t n, std::size_t d) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  problem p{xt::xtensor<double, 2>::from_shape({n, d}), xt::xtensor<double, 1>::from_shape({n})};
  for (std::size_t i = 0; i < n; ++i) {
    double score = 0.5;
    for (std::size_t j = 0; j < d; ++j) {
      p.features(i, j) = normal(rng);
      score += p.features(i, j) * (j % 2 ? 1.0 : -0.5);
    }
    p.labels(i) = uniform(rng) < 1 / (1 + std::exp(-score)) ? 1.0 : 0.0;
  }
  return p;
}

// Gradient descent with the function f on inputs x_in, y_in: from_host makes
// the value bound to w, to_host brings a gradient back as an xtensor.
template <class F, class Xs, class Ys, class ToHost, class FromHost>
double train(F& f, const Xs& x_in, const Ys& y_in, ToHost to_host, FromHost from_host, std::size_t d, int steps) {
  xt::xtensor<double, 1> weights = xt::zeros<double>({d});
  double bias = 0, last = 0;
  for (int step = 0; step < steps; ++step) {
    const auto [value, dw, db] = f(X = x_in, y = y_in, w = from_host(weights), b = bias);
    weights -= 0.5 * to_host(dw);
    bias -= 0.5 * db;
    last = value;
  }
  return last;
}

template <class F>
double milliseconds(F&& f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main() {
  constexpr std::size_t n = 200'000, d = 32;
  constexpr int steps = 50;
  const problem data = make_problem(n, d);

  auto on_cpu = theon::function(loss, theon::get<0>(gradients), theon::get<1>(gradients));  // compiled once
  auto on_thrust = theon::on(thrust::device, on_cpu);  // the one line that picks Thrust

  double cpu_loss = 0, thrust_loss = 0;
  const auto same = [](const auto& v) -> const auto& { return v; };
  const double cpu_ms = milliseconds([&] { cpu_loss = train(on_cpu, data.features, data.labels, same, same, d, steps); });

  // The data goes to device memory once and is read there in place.
  const auto features = theon::to_device(data.features);
  const auto labels = theon::to_device(data.labels);
  const auto to_host = [](const theon::device_array<double, 1>& g) { return theon::to_host(g); };
  const double thrust_ms = milliseconds(
      [&] { thrust_loss = train(on_thrust, features, labels, to_host, same, d, steps); });

  std::printf("logistic regression, %zu examples x %zu features, %d gradient steps\n", n, d, steps);
  std::printf("  CPU runner    loss %.10f  %8.1f ms\n", cpu_loss, cpu_ms);
  std::printf("  Thrust runner loss %.10f  %8.1f ms\n", thrust_loss, thrust_ms);
  const double difference = std::abs(cpu_loss - thrust_loss) / cpu_loss;
  std::printf("relative difference of the final losses: %.2e\n", difference);
  if (!(difference < 1e-9) || !(cpu_loss < std::log(2.0))) {
    std::fprintf(stderr, "the runners disagree, or training did not lower the loss below log 2\n");
    return 1;
  }
  return 0;
}
