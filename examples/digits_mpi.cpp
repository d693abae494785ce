// Handwritten digits, trained data-parallel over MPI: the network of
// digits_mlp (without dropout) whose training step runs on every process
// with each process holding its own rows of every minibatch. The model is
// written once; theon::on(theon::mpi(...)) completes the loss and the
// gradients across processes, so every process applies the same update.
//
//   mpiexec -n 4 example_digits_mpi [path/to/digits.csv]
//
// Rank 0 also trains the same network in one process, on the whole
// minibatches, and compares the two loss trajectories step by step: the
// example fails when they differ by more than 1e-12 relative, or when the
// test accuracy is under 95%. One progress line per epoch, from rank 0.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <theon/mpi.hpp>

#include "digits_data.hpp"

namespace {
using namespace theon::literals;
using digits::classes;
using digits::pixels;
constexpr std::size_t hidden = 64;

constexpr theon::matrix<"X"> X;  // a minibatch of images, one per row (on each process: its rows)
constexpr theon::matrix<"Y"> Y;  // their digits one-hot
constexpr theon::matrix<"W1"> W1;
constexpr theon::vector<"b1"> b1;
constexpr theon::matrix<"W2"> W2;
constexpr theon::vector<"b2"> b2;
constexpr theon::scalar<"lr"> lr;

constexpr auto logits = theon::matmul(theon::tanh(theon::matmul(X, W1) + b1), W2) + b2;
constexpr auto loss = -theon::mean(theon::sum(Y * theon::log_softmax(logits), theon::axis<1>));

struct weights {
  xt::xtensor<double, 2> w1, w2;
  xt::xtensor<double, 1> c1, c2;
};

// Rows [first, last) of a minibatch of n rows for process `rank` of `size`:
// as even as the batch allows (the last minibatch of an epoch is shorter).
std::pair<std::size_t, std::size_t> my_part(std::size_t n, int rank, int size) {
  const auto at = [&](int r) { return n * static_cast<std::size_t>(r) / static_cast<std::size_t>(size); };
  return {at(rank), at(rank + 1)};
}
}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const std::string path = argc > 1 ? argv[1] : THEON_EXAMPLES_DATA "/digits.csv";
  digits::dataset data;
  try {
    data = digits::read(path);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "digits_mpi: %s\n", e.what());
    MPI_Abort(MPI_COMM_WORLD, 2);
  }
  std::mt19937 rng(2024);  // every process draws the same split, weights and minibatches
  const auto [train, test] = digits::split(data, rng);

  // The training step as in one process, and the same step over the processes.
  const auto [gW1, gb1, gW2, gb2] = theon::grad(loss, W1, b1, W2, b2);
  auto step = theon::function(loss, theon::updates(W1, W1 - lr * gW1, b1, b1 - lr * gb1,  //
                                                   W2, W2 - lr * gW2, b2, b2 - lr * gb2));
  auto step_everywhere = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, Y)), step);
  auto predict = theon::function(logits);
  step.threads(1);
  step_everywhere.threads(1);
  predict.threads(1);

  std::normal_distribution<double> normal;
  weights shared{xt::xtensor<double, 2>::from_shape({pixels, hidden}), xt::xtensor<double, 2>::from_shape({hidden, classes}),
                 xt::zeros<double>({hidden}), xt::zeros<double>({classes})};
  for (auto& v : shared.w1) v = normal(rng) / std::sqrt(double(pixels));
  for (auto& v : shared.w2) v = normal(rng) / std::sqrt(double(hidden));
  weights alone = shared;  // rank 0's single-process run starts from the same weights

  auto accuracy = [&](const weights& w, const std::vector<std::size_t>& rows) {
    xt::xtensor<double, 2> images, one_hot;
    digits::gather(data, rows, 0, rows.size(), images, one_hot);
    const xt::xtensor<double, 2> scores = predict(X = images, W1 = w.w1, b1 = w.c1, W2 = w.w2, b2 = w.c2);
    std::size_t right = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto row = xt::view(scores, i, xt::all());
      right += static_cast<int>(std::max_element(row.begin(), row.end()) - row.begin()) == data.digits[rows[i]];
    }
    return 100.0 * static_cast<double>(right) / static_cast<double>(rows.size());
  };

  if (rank == 0)
    std::printf("digits over MPI: %d processes, %zu images to train, %zu to test; network %zu-%zu-%zu\n", size,
                train.size(), test.size(), pixels, hidden, classes);
  constexpr std::size_t epochs = 30, batch = 32;
  constexpr double rate = 0.2;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::size_t> shuffled = train;
  xt::xtensor<double, 2> images, one_hot, my_images, my_one_hot;
  double worst = 0, test_accuracy = 0;  // the largest relative difference of the two trajectories
  for (std::size_t epoch = 1; epoch <= epochs; ++epoch) {
    for (std::size_t i = shuffled.size() - 1; i > 0; --i) std::swap(shuffled[i], shuffled[rng() % (i + 1)]);
    double loss_sum = 0;
    for (std::size_t first = 0; first < shuffled.size(); first += batch) {
      const std::size_t last = std::min(first + batch, shuffled.size());
      const auto [from, to] = my_part(last - first, rank, size);
      digits::gather(data, shuffled, first + from, first + to, my_images, my_one_hot);
      const double batch_loss = step_everywhere(X = my_images, Y = my_one_hot, W1 = shared.w1, b1 = shared.c1,
                                                W2 = shared.w2, b2 = shared.c2, lr = rate);
      loss_sum += batch_loss * static_cast<double>(last - first);
      if (rank == 0) {
        digits::gather(data, shuffled, first, last, images, one_hot);
        const double alone_loss =
            step(X = images, Y = one_hot, W1 = alone.w1, b1 = alone.c1, W2 = alone.w2, b2 = alone.c2, lr = rate);
        worst = std::max(worst, std::abs(batch_loss - alone_loss) / std::abs(alone_loss));
      }
    }
    if (rank == 0) {
      test_accuracy = accuracy(shared, test);
      std::printf("epoch %2zu  loss %.6f  test %5.1f%%  trajectory vs one process: %.1e relative  %6.3f s\n", epoch,
                  loss_sum / static_cast<double>(shuffled.size()), test_accuracy, worst,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
  }
  int failed = 0;
  if (rank == 0) {
    failed = worst > 1e-12 || test_accuracy < 95.0;
    std::printf("%s: test accuracy %.1f%%, the loss trajectory within %.1e of one process's\n", failed ? "FAILED" : "ok",
                test_accuracy, worst);
  }
  MPI_Bcast(&failed, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return failed;
}
