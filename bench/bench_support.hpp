#pragma once
// What every benchmark binary shares: reproducible random inputs, the
// default Google Benchmark flags (5 repetitions, aggregates only) and a
// reporter that keeps median times for the ratios each binary prints.
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <utility>
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

// Whether theon's result a agrees with the hand-written b: the largest
// difference relative to b's largest magnitude, printed, within tolerance.
template <class A, class B>
bool agree(const char* name, const A& a, const B& b, double tolerance) {
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    worst = std::max(worst, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  const bool ok = worst <= tolerance * scale;
  std::printf("%-10s max|theon - hand| / max|hand| = %.2e%s\n", name, worst / scale, ok ? "" : "   MISMATCH");
  return ok;
}

// A console reporter that also keeps each benchmark's median real and CPU
// time. (CPU time is less disturbed when other processes share the machine.)
class timing_reporter : public benchmark::ConsoleReporter {
 public:
  struct times {
    std::map<std::string, double> median;             // from the "median" aggregate
    std::map<std::string, std::vector<double>> runs;  // single repetitions, when no aggregate is shown
  };

  // Colours unless stdout is not a terminal or --benchmark_color=false|no is given.
  timing_reporter(int argc, char** argv) : ConsoleReporter(color(argc, argv) ? OO_Defaults : OO_Tabular) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred) continue;
      const std::string name = r.run_name.function_name;
      if (std::find(order_.begin(), order_.end(), name) == order_.end()) order_.push_back(name);
      const double real = to_ns(r.GetAdjustedRealTime(), r.time_unit), cpu = to_ns(r.GetAdjustedCPUTime(), r.time_unit);
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name == "median") {
        real_.median[name] = real;
        cpu_.median[name] = cpu;
      } else if (r.run_type == Run::RT_Iteration) {
        real_.runs[name].push_back(real);
        cpu_.runs[name].push_back(cpu);
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }

  // numerator / denominator, both given by name, as one line.
  void print_pair(const char* label, const std::string& num, const std::string& den) const {
    const double t = time(real_, num), u = time(real_, den), tc = time(cpu_, num), uc = time(cpu_, den);
    if (t <= 0 || u <= 0) return;
    std::printf("%-28s = %6.3f   (real time: %s %.1f us, %s %.1f us; CPU-time ratio %.3f)\n", label, t / u, num.c_str(),
                t / 1e3, den.c_str(), u / 1e3, tc / uc);
  }

  // Median real time per iteration of one benchmark in ns, or < 0 if it did not run.
  double median_ns(const std::string& name) const { return time(real_, name); }

  // Median time per iteration in ns, or < 0 if it did not run.
  static double time(const times& from, const std::string& name) {
    if (auto it = from.median.find(name); it != from.median.end()) return it->second;
    auto it = from.runs.find(name);
    if (it == from.runs.end() || it->second.empty()) return -1;
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    const std::size_t k = v.size();
    return k % 2 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
  }

  // The fastest variant whose name starts with prefix, contains must_contain
  // and none of `skip`: its name and time (an empty name if none ran).
  std::pair<std::string, double> fastest(const times& from, const std::string& prefix, const std::vector<std::string>& skip,
                                         const std::string& must_contain = "") const {
    std::string best;
    double best_t = 0;
    for (const auto& name : order_) {
      if (name.rfind(prefix, 0) != 0 || name.find(must_contain) == std::string::npos) continue;
      bool skipped = false;
      for (const auto& s : skip) skipped = skipped || name.find(s) != std::string::npos;
      const double u = time(from, name);
      if (skipped || u <= 0) continue;
      if (best.empty() || u < best_t) best = name, best_t = u;
    }
    return {best, best_t};
  }

 protected:
  times real_, cpu_;

 private:
  std::vector<std::string> order_;

  static bool color(int argc, char** argv) {
    bool on = isatty(STDOUT_FILENO);
    for (int i = 1; i < argc; ++i)
      if (std::strcmp(argv[i], "--benchmark_color=false") == 0 || std::strcmp(argv[i], "--benchmark_color=no") == 0) on = false;
    return on;
  }
  static double to_ns(double t, benchmark::TimeUnit u) {
    switch (u) {
      case benchmark::kSecond: return t * 1e9;
      case benchmark::kMillisecond: return t * 1e6;
      case benchmark::kMicrosecond: return t * 1e3;
      default: return t;
    }
  }
};

}  // namespace bench
