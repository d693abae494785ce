// Logistic regression, as in Theano's tutorial: a loss with an L2 penalty,
// its gradient, and a training step that is one compiled call writing the new
// weights in place (theon::updates). The labels come from a known model, so
// training has something to recover.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;

constexpr theon::matrix<"X"> X;  // one example per row
constexpr theon::vector<"y"> y;  // labels, 0 or 1
constexpr theon::vector<"w"> w;  // weights
constexpr theon::scalar<"b"> b;  // bias
constexpr theon::scalar<"lr"> lr;

constexpr auto z = theon::matmul(X, w) + b;
// Mean cross-entropy of sigmoid(z) against y plus 0.01 |w|^2. Written naively;
// the rewrites make it stable (log(sigmoid(z)) becomes -softplus(-z)).
constexpr auto cross_entropy = -y * theon::log(theon::sigmoid(z)) - (1_c - y) * theon::log(1_c - theon::sigmoid(z));
constexpr auto loss = theon::mean(cross_entropy) + 0.01_c * theon::sum(theon::square(w));
constexpr auto prediction = z > 0_c;
}  // namespace

int main() {
  constexpr std::size_t n = 4000, d = 50;
  constexpr int steps = 400;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  xt::xtensor<double, 2> features = xt::xtensor<double, 2>::from_shape({n, d});
  xt::xtensor<double, 1> truth = xt::xtensor<double, 1>::from_shape({d}), labels = xt::xtensor<double, 1>::from_shape({n});
  for (auto& v : truth) v = normal(rng);
  for (std::size_t i = 0; i < n; ++i) {
    double score = 0;
    for (std::size_t j = 0; j < d; ++j) score += (features(i, j) = normal(rng)) * truth(j) / std::sqrt(double(d));
    labels(i) = uniform(rng) < 1 / (1 + std::exp(-4 * score)) ? 1.0 : 0.0;
  }

  std::printf("loss, as written:   %s\n", theon::to_string(loss).c_str());
  std::printf("loss, as compiled:  %s\n\n", theon::to_string(theon::simplify(loss)).c_str());

  const auto [gw, gb] = theon::grad(loss, w, b);
  auto train = theon::function(loss, theon::updates(w, w - lr * gw, b, b - lr * gb));
  auto predict = theon::function(prediction);

  xt::xtensor<double, 1> weights = xt::zeros<double>({d});
  double bias = 0, first = 0, last = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int step = 0; step < steps; ++step) {
    last = train(X = features, y = labels, w = weights, b = bias, lr = 0.5);
    if (step == 0) first = last;
    if (step % 50 == 0) std::printf("step %3d  loss %.6f\n", step, last);
  }
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  const xt::xtensor<bool, 1> predicted = predict(X = features, w = weights, b = bias);
  std::size_t right = 0;
  for (std::size_t i = 0; i < n; ++i) right += predicted(i) == (labels(i) == 1.0);
  double alignment = 0, norm_w = 0, norm_t = 0;
  for (std::size_t j = 0; j < d; ++j) alignment += weights(j) * truth(j), norm_w += weights(j) * weights(j), norm_t += truth(j) * truth(j);
  alignment /= std::sqrt(norm_w * norm_t);

  std::printf("\n%d steps on %zu x %zu in %.1f ms (%.2f ms per step)\n", steps, n, d, ms, ms / steps);
  std::printf("loss %.4f -> %.4f, training accuracy %.1f%%, cosine(learned w, true w) = %.3f\n", first, last,
              100.0 * static_cast<double>(right) / n, alignment);
  return last < first && alignment > 0.9 ? 0 : 1;
}
