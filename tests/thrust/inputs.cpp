// The Thrust runner's inputs and outputs: device arrays, device vectors and raw
// device pointers are read in place; host values (xtensor, std::vector, numbers,
// thrust::host_vector) are copied in; results are device arrays (numbers for
// rank 0) and the runner keeps its memory between calls.
#include <thrust/device_vector.h>
#include <thrust/host_vector.h>

#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

constexpr theon::vector<"x"> x;
constexpr theon::matrix<"A"> A;
constexpr theon::scalar<"s"> s;

TEST(ThrustInputs, DeviceMemoryIsReadInPlace) {
  const auto as = random_matrix<double>(5, 7, -1.0, 1.0, 1);
  const auto xs = random_vector<double>(7, -1.0, 1.0, 2);
  auto f = theon::function(theon::sum(A * x, theon::axes<1>) * s);
  auto g = theon::on(thrust::device, f);
  const auto expected = f(A = as, x = xs, s = 3.0);

  const theon::device_array<double, 2> a_device = theon::to_device(as);
  const thrust::device_vector<double> x_vector(xs.begin(), xs.end());
  EXPECT_TRUE(same_result(expected, g(A = a_device, x = x_vector, s = 3.0)));
  const auto x_device = theon::to_device(xs);
  EXPECT_TRUE(same_result(expected, g(A = theon::device_ref(a_device.data(), {5, 7}), x = x_device, s = 3.0)));
  const thrust::host_vector<double> x_host(xs.begin(), xs.end());
  EXPECT_TRUE(same_result(expected, g(A = as, x = x_host, s = 3.0)));
  const std::vector<double> x_std(xs.begin(), xs.end());
  EXPECT_TRUE(same_result(expected, g(A = xt::xtensor<double, 2>(as), x = x_std, s = 3.0)));
}

TEST(ThrustInputs, StridedHostViewsAreCopiedInOrder) {
  const auto as = random_matrix<double>(6, 4, -1.0, 1.0, 3);
  auto f = theon::function(A * 2_c);
  auto g = theon::on(thrust::device, f);
  const auto at = xt::transpose(as);
  EXPECT_TRUE(same_result(f(A = at), g(A = at)));
}

TEST(ThrustInputs, RepeatedCallsReuseMemoryAndLeaveInputsUnchanged) {
  auto f = theon::function(theon::exp(x) * 2_c + theon::sum(x));
  auto g = theon::on(thrust::device, f);
  for (std::size_t n : {1000, 10, 5000, 0, 3}) {
    const auto xs = random_vector<double>(n, -1.0, 1.0, static_cast<unsigned>(n));
    const auto x_device = theon::to_device(xs);
    EXPECT_TRUE(same_result(f(x = xs), g(x = x_device)));
    EXPECT_TRUE(all_equal(theon::to_host(x_device), xs));
  }
}

TEST(ThrustInputs, ResultsAreDeviceArraysAndNumbers) {
  const auto xs = random_vector<double>(10, -1.0, 1.0, 4);
  auto g = theon::on(thrust::device, theon::function(x + 1_c, theon::sum(x)));
  static_assert(std::is_same_v<decltype(g(x = xs)), std::tuple<theon::device_array<double, 1>, double>>);
  auto [shifted, total] = g(x = xs);
  EXPECT_EQ(shifted.shape()[0], 10u);
  EXPECT_TRUE(close(total, xt::sum(xs)(), 1e-12));
}

TEST(ThrustInputs, BadBindingsAreTheCpuRunnersErrors) {
  auto g = theon::on(thrust::device, theon::function(A * x));
  const auto as = random_matrix<double>(3, 4, -1.0, 1.0, 5);
  const auto xs = random_vector<double>(5, -1.0, 1.0, 6);
  EXPECT_TRUE(shape_error_says([&] { g(A = as, x = xs); }, {"mul", "do not broadcast", "[3, 4]", "[5]"}));
  const theon::device_array<double, 1> short_vector(theon::extents<1>{2});
  const thrust::device_vector<double> three(3);
  EXPECT_THROW((theon::device_array<double, 1>(three, theon::extents<1>{2})), theon::shape_error);
  EXPECT_TRUE(shape_error_says([&] { g(A = as, x = short_vector); }, {"do not broadcast", "[3, 4]", "[2]"}));
}

}  // namespace
