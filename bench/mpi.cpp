// Data parallelism over MPI: B3 (logistic regression, value and gradient,
// X 10000 x 100) computed by theon::on(theon::mpi(...)) over the processes of
// this run, against a hand-written MPI program (a plain loop over its own
// rows, then one MPI_Allreduce of the loss and the gradient) and against
// theon::function in one process.
//
//   mpiexec -n 1 bench_mpi        mpiexec -n 2 bench_mpi
//
//   strong_*   10000 rows split over the processes
//   weak_*     10000 rows on every process
//   plain      theon::function over 10000 rows (no MPI)
// One thread per process. The calls are collective, so every benchmark runs
// a fixed number of iterations on every process; rank 0 reports. After the
// benchmarks: theon over the hand-written program, the cost of the
// completion (weak_theon over plain: the same rows, plus the shape agreement
// and one allreduce), and the time of one call's collectives alone.
#include <mpi.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <vector>

#include <benchmark/benchmark.h>
#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <theon/mpi.hpp>

#include "bench_support.hpp"

namespace {

using vec = xt::xtensor<double, 1>;
using mat = xt::xtensor<double, 2>;
constexpr std::size_t rows = 10'000, columns = 100;
constexpr int iterations = 200;

int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
int processes() {
  int n = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

constexpr theon::matrix<"X"> X;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"w"> w;
constexpr auto z = theon::matmul(X, w);
constexpr auto loss = theon::mean(theon::softplus(z) - y * z);

struct shard {
  mat x;
  vec labels;
};
// n rows of this process's data (a different seed on each process).
shard make_shard(std::size_t n) {
  shard s{bench::uniform<2>({n, columns}, 31 + static_cast<unsigned>(rank()), -1, 1), vec::from_shape({n})};
  std::mt19937_64 rng(33 + static_cast<unsigned>(rank()));
  for (double& e : s.labels) e = static_cast<double>(rng() & 1);
  return s;
}
const vec& weights() {
  static const vec v = bench::uniform<1>({columns}, 32, -0.5, 0.5);
  return v;
}

// The hand-written program: loss and gradient over its rows, then one
// allreduce of both (and the row count), divided by all the rows.
double hand_written(const shard& s, const vec& wv, std::vector<double>& sums) {
  sums.assign(columns + 2, 0.0);
  const std::size_t n = s.labels.size();
  const double* x = s.x.data();
  for (std::size_t i = 0; i < n; ++i) {
    double zi = 0;
    for (std::size_t j = 0; j < columns; ++j) zi += x[i * columns + j] * wv[j];
    sums[0] += std::max(zi, 0.0) + std::log1p(std::exp(-std::abs(zi))) - s.labels[i] * zi;
    const double r = 1.0 / (1.0 + std::exp(-zi)) - s.labels[i];
    for (std::size_t j = 0; j < columns; ++j) sums[2 + j] += r * x[i * columns + j];
  }
  sums[1] = static_cast<double>(n);
  MPI_Allreduce(MPI_IN_PLACE, sums.data(), static_cast<int>(sums.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  for (std::size_t j = 2; j < sums.size(); ++j) sums[j] /= sums[1];
  return sums[0] / sums[1];
}

auto make_function() {
  auto f = theon::function(loss, theon::grad(loss, w));
  f.threads(1);
  return f;
}
auto make_distributed() {
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)), make_function());
  g.threads(1);
  return g;
}

template <bool Strong>
const shard& data() {
  static const shard s = make_shard(Strong ? rows / static_cast<std::size_t>(processes()) : rows);
  return s;
}

template <bool Strong>
void theon_call(benchmark::State& state) {
  auto g = make_distributed();
  const shard& s = data<Strong>();
  MPI_Barrier(MPI_COMM_WORLD);
  for (auto _ : state) benchmark::DoNotOptimize(g(X = s.x, y = s.labels, w = weights()));
}
template <bool Strong>
void hand_call(benchmark::State& state) {
  const shard& s = data<Strong>();
  std::vector<double> sums;
  MPI_Barrier(MPI_COMM_WORLD);
  for (auto _ : state) benchmark::DoNotOptimize(hand_written(s, weights(), sums));
}
void plain(benchmark::State& state) {
  auto f = make_function();
  const shard& s = data<false>();
  MPI_Barrier(MPI_COMM_WORLD);
  for (auto _ : state) benchmark::DoNotOptimize(f(X = s.x, y = s.labels, w = weights()));
}
// One call's collectives alone: the shape agreement (an allgather) and the
// completion (an allreduce of the loss and the gradient).
void collectives(benchmark::State& state) {
  std::vector<std::uint64_t> mine(8, 1), all(8 * static_cast<std::size_t>(processes()));
  std::vector<double> sums(columns + 1, 1.0);
  MPI_Barrier(MPI_COMM_WORLD);
  for (auto _ : state) {
    MPI_Allgather(mine.data(), 8, MPI_UINT64_T, all.data(), 8, MPI_UINT64_T, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, sums.data(), static_cast<int>(sums.size()), MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }
}

// Checks before timing: theon over MPI gives the hand-written program's values.
bool check_results() {
  auto g = make_distributed();
  const shard& s = data<true>();
  const auto [l, grad] = g(X = s.x, y = s.labels, w = weights());
  std::vector<double> sums;
  const double hand_loss = hand_written(s, weights(), sums);
  const std::vector<double> theon_values{l}, hand_values{hand_loss};
  bool ok = bench::agree("loss", theon_values, hand_values, 1e-12);
  ok = bench::agree("gradient", grad, std::vector<double>(sums.begin() + 2, sums.end()), 1e-12) && ok;
  return ok;
}

#define THEON_MPI_BENCH(fn, name) \
  BENCHMARK(fn)->Name(name)->Iterations(iterations)->UseRealTime()->Unit(benchmark::kMicrosecond)
THEON_MPI_BENCH(theon_call<true>, "strong_theon");
THEON_MPI_BENCH(hand_call<true>, "strong_hand");
THEON_MPI_BENCH(theon_call<false>, "weak_theon");
THEON_MPI_BENCH(hand_call<false>, "weak_hand");
THEON_MPI_BENCH(plain, "plain");
THEON_MPI_BENCH(collectives, "collectives");

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  if (!bench::initialize(argc, argv)) return 1;
  const bool root = rank() == 0;
  const bool checked = check_results();
  if (root)
    std::printf("%d processes, one thread each; B3: %zu x %zu rows per call (strong: split, weak: on each)\n", processes(),
                rows, columns);

  bench::timing_reporter reporter(argc, argv);
  std::ofstream discard("/dev/null");
  if (!root) reporter.SetOutputStream(&discard), reporter.SetErrorStream(&discard);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  if (root) {
    std::printf("\n");
    reporter.print_pair("strong theon/hand-written", "strong_theon", "strong_hand");
    reporter.print_pair("weak theon/hand-written", "weak_theon", "weak_hand");
    reporter.print_pair("weak theon/plain (1 process)", "weak_theon", "plain");
    std::printf("%-28s = %6.1f us\n", "collectives of one call", reporter.median_ns("collectives") / 1e3);
  }
  MPI_Finalize();
  return checked ? 0 : 2;
}
