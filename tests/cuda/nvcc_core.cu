// theon's expression layers under nvcc: the op kernels are host-device functions
// that a CUDA kernel can call, and the whole CPU library compiles as host code.
#include <theon/theon.hpp>

namespace {
using namespace theon::literals;
constexpr theon::scalar<"a"> a;
constexpr theon::vector<"x"> x;
constexpr auto cost = theon::sum(theon::exp(a * x) + 2_c * x);
static_assert(std::is_empty_v<decltype(cost)>);
static_assert(theon::rank_v<decltype(cost)> == 0);
// The rewrite engine (type hashing, exact rationals) under nvcc's front end.
static_assert(std::is_same_v<decltype(theon::simplify(theon::log(1_c + theon::exp(x * 2_c)))),
                             decltype(theon::softplus(2_c * x))>);

__global__ void softplus_kernel(const double* in, double* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = theon::softplus_op::eval(in[i]) + theon::maximum_op::eval(in[i], 0.0);
}
}  // namespace

// Host code using the CPU runner, compiled by nvcc's host pass.
double theon_nvcc_host_entry(const xt::xtensor<double, 1>& xs) {
  auto f = theon::function(cost);
  return f(a = 1.5, x = xs);
}

void theon_nvcc_launch(const double* in, double* out, int n) { softplus_kernel<<<(n + 255) / 256, 256>>>(in, out, n); }
