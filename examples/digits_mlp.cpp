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
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <theon/theon.hpp>

#ifndef THEON_EXAMPLES_DATA
#define THEON_EXAMPLES_DATA "examples/data"
#endif

namespace {
using namespace theon::literals;

constexpr std::size_t pixels = 64, classes = 10, hidden = 64;

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

struct dataset {
  xt::xtensor<double, 2> images;  // scaled to [0, 1]
  std::vector<int> digits;
};

// Reads the CSV; a missing file or a malformed line is an error naming it.
dataset read_digits(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open '" + path + "' (pass the path to digits.csv as the first argument)");
  std::vector<double> values;
  std::vector<int> digits;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::vector<int> row;
    std::string field;
    while (std::getline(fields, field, ',')) {
      std::size_t used = 0;
      int v = -1;
      try {
        v = std::stoi(field, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != field.find_last_not_of(" \r") + 1)
        throw std::runtime_error(path + ":" + std::to_string(number) + ": '" + field + "' is not an integer");
      row.push_back(v);
    }
    if (row.size() != pixels + 1)
      throw std::runtime_error(path + ":" + std::to_string(number) + ": expected 65 comma-separated integers, found " +
                               std::to_string(row.size()));
    for (std::size_t j = 0; j < pixels; ++j) {
      if (row[j] < 0 || row[j] > 16)
        throw std::runtime_error(path + ":" + std::to_string(number) + ": pixel " + std::to_string(j) + " is " +
                                 std::to_string(row[j]) + ", outside 0..16");
      values.push_back(row[j] / 16.0);
    }
    if (row[pixels] < 0 || row[pixels] > 9)
      throw std::runtime_error(path + ":" + std::to_string(number) + ": the digit is " + std::to_string(row[pixels]) +
                               ", outside 0..9");
    digits.push_back(row[pixels]);
  }
  if (digits.empty()) throw std::runtime_error("'" + path + "' holds no images");
  dataset d{xt::xtensor<double, 2>::from_shape({digits.size(), pixels}), std::move(digits)};
  std::copy(values.begin(), values.end(), d.images.begin());
  return d;
}

// The rows `order[first, last)` of d as a minibatch: images and one-hot digits.
void gather(const dataset& d, const std::vector<std::size_t>& order, std::size_t first, std::size_t last,
            xt::xtensor<double, 2>& images, xt::xtensor<double, 2>& one_hot) {
  images.resize({last - first, pixels});
  one_hot = xt::zeros<double>({last - first, classes});
  for (std::size_t i = first; i < last; ++i) {
    xt::view(images, i - first, xt::all()) = xt::view(d.images, order[i], xt::all());
    one_hot(i - first, static_cast<std::size_t>(d.digits[order[i]])) = 1;
  }
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : THEON_EXAMPLES_DATA "/digits.csv";
  dataset data;
  try {
    data = read_digits(path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digits_mlp: %s\n", e.what());
    return 2;
  }

  // A fixed split: rows shuffled by a seeded generator, the first 80% train.
  const std::size_t n = data.digits.size(), n_train = n * 4 / 5;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937 rng(2024);
  for (std::size_t i = n - 1; i > 0; --i) std::swap(order[i], order[rng() % (i + 1)]);
  const std::vector<std::size_t> train(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n_train));
  const std::vector<std::size_t> test(order.begin() + static_cast<std::ptrdiff_t>(n_train), order.end());

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
    gather(data, rows, 0, rows.size(), images, one_hot);
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
      gather(data, shuffled, first, last, images, one_hot);
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
