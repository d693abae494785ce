// Handwritten digits: a one-hidden-layer network trained with minibatch SGD
// and dropout, the whole training step (loss, four gradients, four updates)
// one compiled call that writes the new weights in place.
//
//   example_digits_mlp [path/to/digits.csv]
//
// The data: 1797 images of 8 x 8 pixels (0..16) with their digit, one per line
// as 65 comma-separated integers (examples/data/README.md says where they come
// from). A fixed 80/20 split; one progress line per epoch.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <theon/theon.hpp>

#include "digits_data.hpp"

namespace {
using namespace theon::literals;

using digits::classes;
using digits::pixels;
constexpr std::size_t hidden = 64;

// The model as math. X: a minibatch of images, one per row; Y: their digits one-hot.
constexpr theon::matrix<"X"> X;
constexpr theon::matrix<"Y"> Y;
constexpr theon::matrix<"W1"> W1;
constexpr theon::vector<"b1"> b1;
constexpr theon::matrix<"W2"> W2;
constexpr theon::vector<"b2"> b2;
constexpr theon::scalar<"lr"> lr;
constexpr theon::scalar<"keep"> keep;                   // the chance a hidden unit is kept in training
constexpr theon::scalar<"key", std::int64_t> key;       // the dropout masks' seed
constexpr theon::scalar<"step", std::int64_t> step_no;  // the training step: a fresh mask each step

constexpr auto hidden_layer = theon::tanh(theon::matmul(X, W1) + b1);
constexpr auto logits = theon::matmul(hidden_layer, W2) + b2;

// Inverted dropout: each hidden unit kept with probability `keep` and scaled
// by 1/keep, so a unit's expected value is what evaluation (no dropout) sees.
constexpr auto kept = theon::bernoulli(theon::fold_in(key, step_no), theon::broadcast_like(keep, hidden_layer));
constexpr auto dropped_logits = theon::matmul(theon::where(kept, hidden_layer / keep, 0_c), W2) + b2;

// Training minimises the mean cross-entropy of softmax(dropped_logits) against
// Y, through the stable log_softmax; evaluation reads `logits`.
constexpr auto loss = -theon::mean(theon::sum(Y * theon::log_softmax(dropped_logits), theon::axis<1>));

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : THEON_EXAMPLES_DATA "/digits.csv";
  digits::dataset data;
  try {
    data = digits::read(path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digits_mlp: %s\n", e.what());
    return 2;
  }

  std::mt19937 rng(2024);
  const auto [train, test] = digits::split(data, rng);
  const std::size_t n = data.digits.size();

  // One training step, compiled once: the loss before the step (under that
  // step's dropout), and every weight moved against its gradient in place.
  const auto [gW1, gb1, gW2, gb2] = theon::grad(loss, W1, b1, W2, b2);
  auto step = theon::function(loss, theon::updates(W1, W1 - lr * gW1, b1, b1 - lr * gb1,  //
                                                   W2, W2 - lr * gW2, b2, b2 - lr * gb2));
  auto predict = theon::function(logits);
  step.threads(1);
  predict.threads(1);

  // Small random weights, scaled by fan-in.
  std::normal_distribution<double> normal;
  xt::xtensor<double, 2> w1 = xt::xtensor<double, 2>::from_shape({pixels, hidden});
  xt::xtensor<double, 2> w2 = xt::xtensor<double, 2>::from_shape({hidden, classes});
  for (auto& v : w1) v = normal(rng) / std::sqrt(double(pixels));
  for (auto& v : w2) v = normal(rng) / std::sqrt(double(hidden));
  xt::xtensor<double, 1> c1 = xt::zeros<double>({hidden}), c2 = xt::zeros<double>({classes});

  auto accuracy = [&](const std::vector<std::size_t>& rows) {
    xt::xtensor<double, 2> images, one_hot;
    digits::gather(data, rows, 0, rows.size(), images, one_hot);
    const xt::xtensor<double, 2> scores = predict(X = images, W1 = w1, b1 = c1, W2 = w2, b2 = c2);
    std::size_t right = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto row = xt::view(scores, i, xt::all());
      right += static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin()) == data.digits[rows[i]];
    }
    return 100.0 * static_cast<double>(right) / static_cast<double>(rows.size());
  };

  std::printf("digits: %zu images of %zu pixels, %zu to train, %zu to test; network %zu-%zu-%zu (tanh with dropout, softmax)\n", n,
              pixels, train.size(), test.size(), pixels, hidden, classes);
  constexpr std::size_t epochs = 30, batch = 32;
  constexpr double rate = 0.2, keep_rate = 0.8;
  constexpr std::int64_t seed = 2024;
  std::int64_t steps = 0;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::size_t> shuffled = train;
  xt::xtensor<double, 2> images, one_hot;
  double test_accuracy = 0;
  for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
    for (std::size_t i = shuffled.size() - 1; i > 0; --i) std::swap(shuffled[i], shuffled[rng() % (i + 1)]);
    double loss_sum = 0;
    for (std::size_t first = 0; first < shuffled.size(); first += batch) {
      const std::size_t last = std::min(first + batch, shuffled.size());
      digits::gather(data, shuffled, first, last, images, one_hot);
      const double batch_loss = step(X = images, Y = one_hot, W1 = w1, b1 = c1, W2 = w2, b2 = c2, lr = rate,
                                     keep = keep_rate, key = seed, step_no = steps++);
      loss_sum += batch_loss * static_cast<double>(last - first);
    }
    test_accuracy = accuracy(test);
    std::printf("epoch %2zu  loss %.4f  train %5.1f%%  test %5.1f%%  %6.3f s\n", epoch,
                loss_sum / static_cast<double>(shuffled.size()), accuracy(train), test_accuracy, seconds_since(start));
  }
  std::printf("test accuracy %.1f%% after %zu epochs in %.2f s\n", test_accuracy, epochs, seconds_since(start));
  return test_accuracy >= 95.0 ? 0 : 1;
}
