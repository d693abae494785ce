#pragma once
// What every benchmark binary shares: reproducible random inputs and the
// default Google Benchmark flags (5 repetitions, aggregates only).
#include <array>
#include <cstddef>
#include <cstring>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>
#include <xtensor/xtensor.hpp>

namespace bench {

// An array of the given shape, uniform in [lo, hi), the same for every run.
template <std::size_t N>
xt::xtensor<double, N> uniform(const std::array<std::size_t, N>& shape, unsigned seed, double lo, double hi) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  auto a = xt::xtensor<double, N>::from_shape(shape);
  for (double& e : a) e = dist(rng);
  return a;
}

// benchmark::Initialize with our defaults added unless the command line sets
// them; false when an argument is not one Google Benchmark knows.
inline bool initialize(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  auto given = [&](const char* flag) {
    for (int i = 1; i < argc; ++i)
      if (std::strncmp(argv[i], flag, std::strlen(flag)) == 0) return true;
    return false;
  };
  static char reps[] = "--benchmark_repetitions=5", aggregates[] = "--benchmark_display_aggregates_only=true";
  if (!given("--benchmark_repetitions")) args.push_back(reps);
  if (!given("--benchmark_display_aggregates_only") && !given("--benchmark_report_aggregates_only"))
    args.push_back(aggregates);
  int count = static_cast<int>(args.size());
  args.push_back(nullptr);
  benchmark::Initialize(&count, args.data());
  return !benchmark::ReportUnrecognizedArguments(count, args.data());
}

}  // namespace bench
