// Elementwise and reduction throughput: theon against hand-written loops,
// xtensor and Eigen, single-threaded, n = 1e6 doubles.
//
//   B1: z = a*b + c*sin(d) - exp(-a*a)           (4 inputs, 1 output vector)
//   B2: logsumexp(x) = m + log(sum(exp(x - m))), m = max(x)   (two passes)
//
// Names say where B1's output lives: `alloc` variants allocate a new
// xt::xtensor<double, 1> (or Eigen array) every call, as theon::function does;
// `prealloc` variants write into memory allocated once outside the timed loop
// (theon: f.into(z)(...)). B1_theon_prealloc_threads2 and B2_theon_threads2
// are the same on two threads, for the scaling lines.
//
// After the benchmarks, the median time of every variant is collected and the
// lines "B1 ratio theon/fastest = X" / "B2 ratio theon/fastest = X" are printed
// (X < 1 means theon is faster than every other variant).
//
// Semantics differ slightly in B2: theon's max propagates NaN (NumPy's
// maximum); the hand-written xsimd/scalar loops and Eigen use plain max.
//
// Defaults (overridable on the command line): --benchmark_repetitions=5
// --benchmark_display_aggregates_only=true.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <xsimd/xsimd.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xtensor.hpp>

#ifdef THEON_BENCH_HAVE_EIGEN
#include <Eigen/Core>
#endif

#include <theon/theon.hpp>

#include "bench_support.hpp"

// GCC 12 warns that the scalar tail loops below would overflow after 2^61
// iterations (a false positive of -Waggressive-loop-optimizations).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Waggressive-loop-optimizations"
#endif

namespace {

constexpr std::size_t n = 1'000'000;
using vec = xt::xtensor<double, 1>;
using batch = xsimd::batch<double>;

vec random_vector(unsigned seed, double lo, double hi) { return bench::uniform<1>({n}, seed, lo, hi); }

struct data_t {
  vec a = random_vector(1, -3, 3), b = random_vector(2, -3, 3), c = random_vector(3, -3, 3), d = random_vector(4, -3, 3);
  vec x = random_vector(5, -10, 10);
};
const data_t& data() {
  static const data_t d;
  return d;
}

// ------------------------------------------------------------------- B1 ---
constexpr theon::vector<"a"> ta;
constexpr theon::vector<"b"> tb;
constexpr theon::vector<"c"> tc;
constexpr theon::vector<"d"> td;
constexpr auto b1_expr = ta * tb + tc * theon::sin(td) - theon::exp(-ta * ta);

auto make_b1() {
  auto f = theon::function(b1_expr);
  f.threads(1);
  return f;
}

vec b1_theon(decltype(make_b1())& f, const data_t& in) { return f(ta = in.a, tb = in.b, tc = in.c, td = in.d); }
void b1_theon_into(decltype(make_b1())& f, const data_t& in, vec& z) { f.into(z)(ta = in.a, tb = in.b, tc = in.c, td = in.d); }

void b1_scalar(const double* a, const double* b, const double* c, const double* d, double* z, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) z[i] = a[i] * b[i] + c[i] * std::sin(d[i]) - std::exp(-a[i] * a[i]);
}

void b1_xsimd(const double* a, const double* b, const double* c, const double* d, double* z, std::size_t len) {
  constexpr std::size_t w = batch::size;
  std::size_t i = 0;
  for (; i + w <= len; i += w) {
    const batch va = batch::load_unaligned(a + i), vb = batch::load_unaligned(b + i);
    const batch vc = batch::load_unaligned(c + i), vd = batch::load_unaligned(d + i);
    const batch r = va * vb + vc * xsimd::sin(vd) - xsimd::exp(-va * va);
    r.store_unaligned(z + i);
  }
  for (; i < len; ++i) z[i] = a[i] * b[i] + c[i] * std::sin(d[i]) - std::exp(-a[i] * a[i]);
}

void b1_xtensor(const vec& a, const vec& b, const vec& c, const vec& d, vec& z) {
  xt::noalias(z) = a * b + c * xt::sin(d) - xt::exp(-a * a);
}

void set_items(benchmark::State& state, std::size_t inputs, std::size_t outputs) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n * (inputs + outputs) * sizeof(double)));
}

void B1_theon_alloc(benchmark::State& state) {
  const auto& in = data();
  auto f = make_b1();
  for (auto _ : state) {
    vec z = b1_theon(f, in);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}

template <std::size_t Threads>
void B1_theon_into(benchmark::State& state) {
  const auto& in = data();
  auto f = make_b1();
  f.threads(Threads);
  vec z = vec::from_shape({n});
  for (auto _ : state) {
    b1_theon_into(f, in, z);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}
void B1_theon_prealloc(benchmark::State& s) { B1_theon_into<1>(s); }
void B1_theon_prealloc_threads2(benchmark::State& s) { B1_theon_into<2>(s); }

template <void (*Loop)(const double*, const double*, const double*, const double*, double*, std::size_t)>
void B1_loop_alloc(benchmark::State& state) {
  const auto& in = data();
  for (auto _ : state) {
    vec z = vec::from_shape({n});  // the same allocation theon makes for its result
    Loop(in.a.data(), in.b.data(), in.c.data(), in.d.data(), z.data(), n);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}

template <void (*Loop)(const double*, const double*, const double*, const double*, double*, std::size_t)>
void B1_loop_prealloc(benchmark::State& state) {
  const auto& in = data();
  vec z = vec::from_shape({n});
  for (auto _ : state) {
    Loop(in.a.data(), in.b.data(), in.c.data(), in.d.data(), z.data(), n);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}

void B1_scalar_alloc(benchmark::State& s) { B1_loop_alloc<b1_scalar>(s); }
void B1_scalar_prealloc(benchmark::State& s) { B1_loop_prealloc<b1_scalar>(s); }
void B1_xsimd_alloc(benchmark::State& s) { B1_loop_alloc<b1_xsimd>(s); }
void B1_xsimd_prealloc(benchmark::State& s) { B1_loop_prealloc<b1_xsimd>(s); }

void B1_xtensor_alloc(benchmark::State& state) {
  const auto& in = data();
  for (auto _ : state) {
    vec z = in.a * in.b + in.c * xt::sin(in.d) - xt::exp(-in.a * in.a);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}

void B1_xtensor_prealloc(benchmark::State& state) {
  const auto& in = data();
  vec z = vec::from_shape({n});
  for (auto _ : state) {
    b1_xtensor(in.a, in.b, in.c, in.d, z);
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}

#ifdef THEON_BENCH_HAVE_EIGEN
using earr = Eigen::ArrayXd;
using emap = Eigen::Map<const earr>;
emap as_eigen(const vec& v) { return emap(v.data(), static_cast<Eigen::Index>(v.size())); }

void B1_eigen_alloc(benchmark::State& state) {
  const auto& in = data();
  const emap a = as_eigen(in.a), b = as_eigen(in.b), c = as_eigen(in.c), d = as_eigen(in.d);
  for (auto _ : state) {
    earr z = a * b + c * d.sin() - (-a * a).exp();
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}

void B1_eigen_prealloc(benchmark::State& state) {
  const auto& in = data();
  const emap a = as_eigen(in.a), b = as_eigen(in.b), c = as_eigen(in.c), d = as_eigen(in.d);
  earr z(static_cast<Eigen::Index>(n));
  for (auto _ : state) {
    z = a * b + c * d.sin() - (-a * a).exp();
    benchmark::DoNotOptimize(z.data());
    benchmark::ClobberMemory();
  }
  set_items(state, 4, 1);
}
#endif

// ------------------------------------------------------------------- B2 ---
constexpr theon::vector<"x"> tx;

auto make_b2() {
  auto f = theon::function(theon::logsumexp(tx));
  f.threads(1);
  return f;
}

double b2_scalar(const double* x, std::size_t len) {
  double m = -std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < len; ++i) m = std::max(m, x[i]);
  double s = 0;
  for (std::size_t i = 0; i < len; ++i) s += std::exp(x[i] - m);
  return m + std::log(s);
}

double b2_xsimd(const double* x, std::size_t len) {
  constexpr std::size_t w = batch::size;
  double m = -std::numeric_limits<double>::infinity();
  std::size_t i = 0;
  if (len >= w) {
    batch vm(m);
    for (; i + w <= len; i += w) vm = xsimd::max(vm, batch::load_unaligned(x + i));
    alignas(64) double lanes[w];
    vm.store_aligned(lanes);
    for (double l : lanes) m = std::max(m, l);
  }
  for (; i < len; ++i) m = std::max(m, x[i]);

  const batch bm(m);
  batch vs(0.0);
  i = 0;
  for (; i + w <= len; i += w) vs += xsimd::exp(batch::load_unaligned(x + i) - bm);
  double s = xsimd::hadd(vs);
  for (; i < len; ++i) s += std::exp(x[i] - m);
  return m + std::log(s);
}

double b2_xtensor(const vec& x) {
  const double m = xt::amax(x)();
  const double s = xt::sum(xt::exp(x - m))();
  return m + std::log(s);
}

template <std::size_t Threads>
void B2_theon_on(benchmark::State& state) {
  const auto& in = data();
  auto f = make_b2();
  f.threads(Threads);
  for (auto _ : state) {
    double r = f(tx = in.x);
    benchmark::DoNotOptimize(r);
  }
  set_items(state, 1, 0);
}
void B2_theon(benchmark::State& state) { B2_theon_on<1>(state); }
void B2_theon_threads2(benchmark::State& state) { B2_theon_on<2>(state); }

template <double (*Fn)(const double*, std::size_t)>
void B2_loop(benchmark::State& state) {
  const auto& in = data();
  for (auto _ : state) {
    double r = Fn(in.x.data(), n);
    benchmark::DoNotOptimize(r);
  }
  set_items(state, 1, 0);
}
void B2_scalar(benchmark::State& s) { B2_loop<b2_scalar>(s); }
void B2_xsimd(benchmark::State& s) { B2_loop<b2_xsimd>(s); }

void B2_xtensor(benchmark::State& state) {
  const auto& in = data();
  for (auto _ : state) {
    double r = b2_xtensor(in.x);
    benchmark::DoNotOptimize(r);
  }
  set_items(state, 1, 0);
}

#ifdef THEON_BENCH_HAVE_EIGEN
double b2_eigen(const emap& x) {
  const double m = x.maxCoeff();
  return m + std::log((x - m).exp().sum());
}
void B2_eigen(benchmark::State& state) {
  const auto& in = data();
  const emap x = as_eigen(in.x);
  for (auto _ : state) {
    double r = b2_eigen(x);
    benchmark::DoNotOptimize(r);
  }
  set_items(state, 1, 0);
}
#endif

// The registration order is the report order.
BENCHMARK(B1_theon_alloc)->Unit(benchmark::kMicrosecond);
BENCHMARK(B1_scalar_alloc)->Unit(benchmark::kMicrosecond);
BENCHMARK(B1_xsimd_alloc)->Unit(benchmark::kMicrosecond);
BENCHMARK(B1_xtensor_alloc)->Unit(benchmark::kMicrosecond);
#ifdef THEON_BENCH_HAVE_EIGEN
BENCHMARK(B1_eigen_alloc)->Unit(benchmark::kMicrosecond);
#endif
BENCHMARK(B1_theon_prealloc)->Unit(benchmark::kMicrosecond);
BENCHMARK(B1_theon_prealloc_threads2)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(B1_scalar_prealloc)->Unit(benchmark::kMicrosecond);
BENCHMARK(B1_xsimd_prealloc)->Unit(benchmark::kMicrosecond);
BENCHMARK(B1_xtensor_prealloc)->Unit(benchmark::kMicrosecond);
#ifdef THEON_BENCH_HAVE_EIGEN
BENCHMARK(B1_eigen_prealloc)->Unit(benchmark::kMicrosecond);
#endif
BENCHMARK(B2_theon)->Unit(benchmark::kMicrosecond);
BENCHMARK(B2_theon_threads2)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(B2_scalar)->Unit(benchmark::kMicrosecond);
BENCHMARK(B2_xsimd)->Unit(benchmark::kMicrosecond);
BENCHMARK(B2_xtensor)->Unit(benchmark::kMicrosecond);
#ifdef THEON_BENCH_HAVE_EIGEN
BENCHMARK(B2_eigen)->Unit(benchmark::kMicrosecond);
#endif

// ------------------------------------------------------ correctness check ---
// Every variant must agree with the scalar loop before its time means anything.
bool check_results() {
  const auto& in = data();
  bool ok = true;
  auto report = [&](const char* what, double err, double tol) {
    if (!(err <= tol)) {
      std::fprintf(stderr, "MISMATCH %s: max abs error %.3g > %.3g\n", what, err, tol);
      ok = false;
    }
  };
  vec ref = vec::from_shape({n});
  b1_scalar(in.a.data(), in.b.data(), in.c.data(), in.d.data(), ref.data(), n);
  auto max_err = [&](const double* z) {
    double e = 0;
    for (std::size_t i = 0; i < n; ++i) e = std::max(e, std::abs(z[i] - ref[i]));
    return e;
  };
  auto f1 = make_b1();
  report("B1 theon", max_err(b1_theon(f1, in).data()), 1e-12);
  vec z = vec::from_shape({n});
  b1_theon_into(f1, in, z);
  report("B1 theon into", max_err(z.data()), 1e-12);
  b1_xsimd(in.a.data(), in.b.data(), in.c.data(), in.d.data(), z.data(), n);
  report("B1 xsimd", max_err(z.data()), 1e-12);
  b1_xtensor(in.a, in.b, in.c, in.d, z);
  report("B1 xtensor", max_err(z.data()), 1e-12);
#ifdef THEON_BENCH_HAVE_EIGEN
  {
    const emap a = as_eigen(in.a), b = as_eigen(in.b), c = as_eigen(in.c), d = as_eigen(in.d);
    earr ez = a * b + c * d.sin() - (-a * a).exp();
    report("B1 eigen", max_err(ez.data()), 1e-12);
  }
#endif
  const double lse = b2_scalar(in.x.data(), n);
  auto f2 = make_b2();
  report("B2 theon", std::abs(f2(tx = in.x) - lse), 1e-9);
  report("B2 xsimd", std::abs(b2_xsimd(in.x.data(), n) - lse), 1e-9);
  report("B2 xtensor", std::abs(b2_xtensor(in.x) - lse), 1e-9);
#ifdef THEON_BENCH_HAVE_EIGEN
  report("B2 eigen", std::abs(b2_eigen(as_eigen(in.x)) - lse), 1e-9);
#endif
  return ok;
}

// ------------------------------------------------------------ the ratios ---
class ratio_reporter : public bench::timing_reporter {
 public:
  using timing_reporter::timing_reporter;

  // theon over the fastest other variant starting with prefix and containing must_contain.
  void print_ratio(const char* label, const std::string& theon, const std::string& prefix, const std::string& must_contain) const {
    const double t = time(real_, theon), tc = time(cpu_, theon);
    const auto [best, best_t] = fastest(real_, prefix, {"theon"}, must_contain);
    const auto [best_cpu, best_tc] = fastest(cpu_, prefix, {"theon"}, must_contain);
    if (t <= 0 || best.empty()) return;
    std::printf("%s ratio theon/fastest = %.3f   (real time: %s %.1f us, fastest other %s %.1f us; "
                "CPU-time ratio %.3f vs %s)\n",
                label, t / best_t, theon.c_str(), t / 1e3, best.c_str(), best_t / 1e3, tc / best_tc, best_cpu.c_str());
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (!bench::initialize(argc, argv)) return 1;

  std::printf("n = %zu doubles, xsimd arch %s (batch<double> of %zu), theon threads(1)\n", n,
              xsimd::default_arch::name(), batch::size);
  const bool ok = check_results();

  ratio_reporter reporter(argc, argv);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // Ratios of median times. B1: against the variants that also allocate their
  // output per call; B1-vs-prealloc: against every variant, preallocated ones too.
  std::printf("\n");
  reporter.print_ratio("B1", "B1_theon_alloc", "B1_", "_alloc");
  reporter.print_ratio("B1-vs-prealloc", "B1_theon_alloc", "B1_", "");
  reporter.print_ratio("B1-into", "B1_theon_prealloc", "B1_", "_prealloc");
  reporter.print_pair("B1-into 1 thread / 2 threads", "B1_theon_prealloc", "B1_theon_prealloc_threads2");
  reporter.print_pair("B2 1 thread / 2 threads", "B2_theon", "B2_theon_threads2");
  reporter.print_ratio("B2", "B2_theon", "B2_", "");
  if (!ok) {
    std::fprintf(stderr, "some variant disagrees with the scalar reference (see MISMATCH above)\n");
    return 2;
  }
  return 0;
}
