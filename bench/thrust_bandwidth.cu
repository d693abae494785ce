// The Thrust runner's memory bandwidth on a CUDA GPU (built only with nvcc):
//   B1: z = a*b + c*sin(d) - exp(-a*a)                          (reads 4 arrays, writes 1)
//   B2: logsumexp(x) = m + log(sum(exp(x - m))), m = max(x)     (two passes over x)
// at 1e8 floats. Effective bandwidth = bytes the loops read and write / time;
// the reference is thrust::copy of 1e8 floats (bytes read + written). Each
// iteration ends with cudaDeviceSynchronize; B1 includes allocating its
// result, as a theon call does. Prints "B1 bandwidth theon/copy = X".
#include <cuda_runtime.h>

#include <cstdio>
#include <random>
#include <vector>

#include <thrust/copy.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>

#include <theon/thrust.hpp>

#include "bench_support.hpp"

namespace {
using namespace theon::literals;

constexpr std::size_t n = 100'000'000;

constexpr theon::vector<"a", float> a;
constexpr theon::vector<"b", float> b;
constexpr theon::vector<"c", float> c;
constexpr theon::vector<"d", float> d;
constexpr theon::vector<"x", float> x;

theon::device_array<float, 1> uniform(unsigned seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> host(n);
  for (float& v : host) v = dist(rng);
  return theon::device_array<float, 1>(host, theon::extents<1>{n});
}

struct inputs {
  theon::device_array<float, 1> a = uniform(1, -1, 1), b = uniform(2, -1, 1), c = uniform(3, -1, 1), d = uniform(4, -1, 1);
};
const inputs& data() {
  static const inputs in;
  return in;
}

void finish(benchmark::State& state, double bytes) {
  state.counters["GB/s"] = benchmark::Counter(bytes / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

void B1_theon(benchmark::State& state) {
  auto f = theon::on(thrust::device, theon::function(a * b + c * theon::sin(d) - theon::exp(-a * a)));
  const auto& in = data();
  for (auto _ : state) {
    auto z = f(a = in.a, b = in.b, c = in.c, d = in.d);
    cudaDeviceSynchronize();
    benchmark::DoNotOptimize(z.data());
  }
  finish(state, 5.0 * sizeof(float) * n);
}

// The same loop written by hand: one thread per element, result preallocated.
struct b1_element {
  const float *a, *b, *c, *d;
  float* z;
  __device__ void operator()(std::size_t i) const { z[i] = a[i] * b[i] + c[i] * sinf(d[i]) - expf(-a[i] * a[i]); }
};
void B1_hand(benchmark::State& state) {
  const auto& in = data();
  theon::device_array<float, 1> z(theon::extents<1>{n});
  for (auto _ : state) {
    thrust::for_each_n(thrust::device, thrust::counting_iterator<std::size_t>(0), n,
                       b1_element{in.a.data(), in.b.data(), in.c.data(), in.d.data(), z.data()});
    cudaDeviceSynchronize();
  }
  finish(state, 5.0 * sizeof(float) * n);
}

void B2_theon(benchmark::State& state) {
  auto f = theon::on(thrust::device, theon::function(theon::logsumexp(x)));
  const auto& in = data();
  for (auto _ : state) benchmark::DoNotOptimize(f(x = in.a));  // returns a float: synchronised
  finish(state, 2.0 * sizeof(float) * n);
}

void copy(benchmark::State& state) {
  const auto& in = data();
  theon::device_array<float, 1> to(theon::extents<1>{n});
  for (auto _ : state) {
    thrust::copy(thrust::device, in.a.begin(), in.a.end(), to.begin());
    cudaDeviceSynchronize();
  }
  finish(state, 2.0 * sizeof(float) * n);
}

BENCHMARK(B1_theon)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(B1_hand)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(B2_theon)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(copy)->UseRealTime()->Unit(benchmark::kMicrosecond);

class bandwidth_reporter : public bench::timing_reporter {
 public:
  using timing_reporter::timing_reporter;
  // GB/s of `name` moving `bytes` per iteration, over thrust::copy's GB/s.
  void print_ratio(const char* label, const std::string& name, double bytes) const {
    const double t = time(real_, name), t_copy = time(real_, "copy");
    if (t <= 0 || t_copy <= 0) return;
    const double gbs = bytes / t, copy_gbs = 2.0 * sizeof(float) * n / t_copy;
    std::printf("%s bandwidth theon/copy = %.3f   (%s %.0f GB/s, thrust::copy %.0f GB/s)\n", label, gbs / copy_gbs,
                name.c_str(), gbs, copy_gbs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (!bench::initialize(argc, argv)) return 1;
  cudaDeviceProp prop{};
  cudaGetDeviceProperties(&prop, 0);
  std::printf("n = %zu floats on %s\n", n, prop.name);
  bandwidth_reporter reporter(argc, argv);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  std::printf("\n");
  reporter.print_ratio("B1", "B1_theon", 5.0 * sizeof(float) * n);
  reporter.print_ratio("B1-hand", "B1_hand", 5.0 * sizeof(float) * n);
  reporter.print_ratio("B2", "B2_theon", 2.0 * sizeof(float) * n);
  return 0;
}
