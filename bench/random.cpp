// Random draws: theon's normal(key, x) against hand-written loops, one thread.
//
//   normal     1e7 standard normal doubles into an array:
//              theon::normal(key, x) (a result per call, as the README teaches),
//              a hand-written loop of Random123's Philox4x32-10 with the same
//              Box-Muller transform (the same numbers), and
//              std::normal_distribution over std::mt19937_64 (other numbers).
//   mc_call    a Monte Carlo call price over 1e7 paths, mean(exp(-rT) max(S_T - K, 0)):
//              theon computes the draws inside the reduction's loop (no array of
//              draws); the hand-written loop does the same with Random123.
//
// The theon and Random123 results are checked to agree before timing. After
// the benchmarks: draws per second for each, and the median ratios.
//
// Defaults (overridable on the command line): --benchmark_repetitions=5
// --benchmark_display_aggregates_only=true.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include <Random123/philox.h>
#include <Random123/u01fixedpt.h>
#include <benchmark/benchmark.h>
#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

#include "bench_support.hpp"

namespace {

using namespace theon::literals;
using vec = xt::xtensor<double, 1>;

constexpr std::size_t draws = 10'000'000;
constexpr theon::int64 key_value = 20261205;
constexpr std::uint32_t normal_site = 2;  // the counter word theon's normal draws use (docs/random.md)

constexpr theon::scalar<"key", theon::int64> key;
constexpr theon::vector<"paths"> paths;  // gives the draws' shape

const vec& shape_of_draws() {
  static const vec v = xt::zeros<double>({draws});
  return v;
}

// ---- the Philox stream by hand, as docs/random.md specifies it: positions
// 2j and 2j+1 share block j, a Box-Muller pair (cos, then sin) ----
double hand_normal(std::uint64_t position) {
  const std::uint64_t j = position / 2;
  const r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(j), static_cast<std::uint32_t>(j >> 32), normal_site, 0}};
  const r123::Philox4x32::key_type k = {{static_cast<std::uint32_t>(key_value), static_cast<std::uint32_t>(key_value >> 32)}};
  const auto bits = r123::Philox4x32{}(counter, k);
  const auto word = [&](unsigned i) { return static_cast<std::uint64_t>(bits.v[2 * i + 1]) << 32 | bits.v[2 * i]; };
  const double u = u01fixedpt_open_open_64_double(word(0)), v = u01fixedpt_open_open_64_double(word(1));
  const double radius = std::sqrt(-2 * std::log(u)), angle = 6.283185307179586476925286766559 * v;
  return radius * (position % 2 ? std::sin(angle) : std::cos(angle));
}

vec hand_normals() {
  vec out = vec::from_shape({draws});
  for (std::size_t i = 0; i < draws; ++i) out[i] = hand_normal(i);
  return out;
}

vec std_normals(std::mt19937_64& engine) {
  std::normal_distribution<double> normal;
  vec out = vec::from_shape({draws});
  for (std::size_t i = 0; i < draws; ++i) out[i] = normal(engine);
  return out;
}

auto make_normals() {
  auto f = theon::function(theon::normal(key, paths));
  f.threads(1);
  return f;
}

// ---- a Monte Carlo price: the draws never leave the loop ----
constexpr double s0 = 100, strike = 105, rate = 0.03, volatility = 0.2, maturity = 1;
constexpr theon::scalar<"S0"> S0;
constexpr theon::scalar<"K"> K;
constexpr theon::scalar<"r"> r;
constexpr theon::scalar<"sigma"> sigma;
constexpr theon::scalar<"T"> T;
constexpr auto terminal = S0 * theon::exp((r - 0.5_c * sigma * sigma) * T + sigma * theon::sqrt(T) * theon::normal(key, paths));
constexpr auto price = theon::exp(-r * T) * theon::mean(theon::maximum(terminal - K, 0_c));

auto make_price() {
  auto f = theon::function(price);
  f.threads(1);
  return f;
}
template <class F>
double theon_price(F& f) {
  return f(key = key_value, paths = shape_of_draws(), S0 = s0, K = strike, r = rate, sigma = volatility, T = maturity);
}
double hand_price() {
  const double drift = (rate - 0.5 * volatility * volatility) * maturity, spread = volatility * std::sqrt(maturity);
  double total = 0;
  for (std::size_t i = 0; i < draws; ++i) total += std::max(s0 * std::exp(drift + spread * hand_normal(i)) - strike, 0.0);
  return std::exp(-rate * maturity) * total / draws;
}

bool check_results() {
  auto f = make_normals();
  const vec theon_values = f(key = key_value, paths = shape_of_draws());
  bool ok = bench::agree("normal", theon_values, hand_normals(), 1e-14);
  auto p = make_price();
  ok = bench::agree("mc_call", vec{theon_price(p)}, vec{hand_price()}, 1e-9) && ok;
  return ok;
}

void normal_theon(benchmark::State& state) {
  auto f = make_normals();
  for (auto _ : state) benchmark::DoNotOptimize(f(key = key_value, paths = shape_of_draws()));
}
void normal_random123(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(hand_normals());
}
void normal_std(benchmark::State& state) {
  std::mt19937_64 engine(key_value);
  for (auto _ : state) benchmark::DoNotOptimize(std_normals(engine));
}
void mc_call_theon(benchmark::State& state) {
  auto f = make_price();
  for (auto _ : state) benchmark::DoNotOptimize(theon_price(f));
}
void mc_call_random123(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(hand_price());
}
BENCHMARK(normal_theon)->Name("normal_theon")->Unit(benchmark::kMillisecond);
BENCHMARK(normal_random123)->Name("normal_random123")->Unit(benchmark::kMillisecond);
BENCHMARK(normal_std)->Name("normal_std")->Unit(benchmark::kMillisecond);
BENCHMARK(mc_call_theon)->Name("mc_call_theon")->Unit(benchmark::kMillisecond);
BENCHMARK(mc_call_random123)->Name("mc_call_random123")->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  if (!bench::initialize(argc, argv)) return 1;
  std::printf("theon threads(1); %zu draws per call\n", draws);
  const bool checked = check_results();

  bench::timing_reporter reporter(argc, argv);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::printf("\n");
  for (const char* name : {"normal_theon", "normal_random123", "normal_std", "mc_call_theon", "mc_call_random123"}) {
    const double ns = reporter.median_ns(name);
    if (ns > 0) std::printf("%-20s %7.1f million draws per second\n", name, draws / ns * 1e3);
  }
  reporter.print_pair("normal theon/random123", "normal_theon", "normal_random123");
  reporter.print_pair("normal theon/std", "normal_theon", "normal_std");
  reporter.print_pair("mc_call theon/random123", "mc_call_theon", "mc_call_random123");
  if (!checked) {
    std::fprintf(stderr, "theon disagrees with the hand-written reference (see MISMATCH above)\n");
    return 2;
  }
  return 0;
}
