// Writing into the caller's memory on the Thrust runner. updates(...): device
// state (theon::device_array, thrust::device_vector) is written in place, host
// state (xtensor, numbers) through a copy back; every new value is computed
// before the first is written, and a shape mismatch throws before anything
// is. Each case runs the same steps on the CPU runner and compares the state.
// f.into(...): device arrays are computed into in place, host arrays and
// numbers get a copy back; an output may share memory with a device input.
#include <thrust/device_vector.h>
#include <xtensor/xbuilder.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xview.hpp>

#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

constexpr theon::matrix<"X"> X;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"w"> w;
constexpr theon::scalar<"b"> b;

// Logistic regression: the loss, and one gradient step on w and b.
constexpr auto loss = theon::mean(theon::softplus(theon::matmul(X, w) + b) - y * (theon::matmul(X, w) + b));
constexpr auto step = theon::updates(w, w - 0.5_c * theon::grad(loss, w), b, b - 0.5_c * theon::grad(loss, b));

struct problem {
  xt::xtensor<double, 2> xs = random_matrix<double>(200, 5, -1.0, 1.0, 1);
  xt::xtensor<double, 1> ys = xt::cast<double>(random_vector<double>(200, -1.0, 1.0, 2) > 0.0);
  xt::xtensor<double, 1> w0 = random_vector<double>(5, -0.1, 0.1, 3);
};

TEST(ThrustUpdates, DeviceStateIsWrittenInPlace) {
  const problem p;
  auto f = theon::function(loss, step);
  auto g = theon::on(thrust::device, f);
  xt::xtensor<double, 1> w_host = p.w0;
  double b_host = 0.1;
  theon::device_array<double, 1> w_device = theon::to_device(p.w0);
  double b_thrust = 0.1;
  const auto x_device = theon::to_device(p.xs);
  for (int k = 0; k < 5; ++k) {
    const double before = f(X = p.xs, y = p.ys, w = w_host, b = b_host);
    EXPECT_TRUE(same_result(before, g(X = x_device, y = p.ys, w = w_device, b = b_thrust))) << "step " << k;
  }
  EXPECT_TRUE(all_close(theon::to_host(w_device), w_host, runner_tol<double>()));
  EXPECT_TRUE(close(b_thrust, b_host, runner_tol<double>()));
  EXPECT_GT(xt::amax(xt::abs(w_host - p.w0))(), 1e-3);  // the steps moved w
}

TEST(ThrustUpdates, HostStateAndDeviceVectors) {
  const problem p;
  auto f = theon::function(step);
  auto g = theon::on(thrust::device, f);
  static_assert(std::is_void_v<decltype(g(X = p.xs, y = p.ys, w = std::declval<xt::xtensor<double, 1>&>(),
                                          b = std::declval<double&>()))>);
  xt::xtensor<double, 1> w_cpu = p.w0, w_thrust = p.w0;
  thrust::device_vector<double> w_vector(p.w0.begin(), p.w0.end());
  double b_cpu = 0, b_thrust = 0, b_vector = 0;
  for (int k = 0; k < 3; ++k) {
    f(X = p.xs, y = p.ys, w = w_cpu, b = b_cpu);
    g(X = p.xs, y = p.ys, w = w_thrust, b = b_thrust);
    g(X = p.xs, y = p.ys, w = w_vector, b = b_vector);
  }
  EXPECT_TRUE(all_close(w_thrust, w_cpu, runner_tol<double>()));
  const xt::xtensor<double, 1> from_vector = theon::to_host(theon::device_array<double, 1>(w_vector, {5}));
  EXPECT_TRUE(all_close(from_vector, w_cpu, runner_tol<double>()));
  EXPECT_TRUE(close(b_thrust, b_cpu, runner_tol<double>()));
  EXPECT_TRUE(close(b_vector, b_cpu, runner_tol<double>()));
}

// updates(u, v, v, u) swaps, on the device and on the host; a strided host
// view (a column of a matrix) is state too.
TEST(ThrustUpdates, EveryNewValueIsComputedBeforeAnyIsWritten) {
  constexpr theon::vector<"u"> u;
  constexpr theon::vector<"v"> v;
  const auto us = random_vector<double>(7, -1.0, 1.0, 4), vs = random_vector<double>(7, -1.0, 1.0, 5);
  auto g = theon::on(thrust::device, theon::function(theon::updates(u, v, v, u)));
  auto u_device = theon::to_device(us), v_device = theon::to_device(vs);
  g(u = u_device, v = v_device);
  EXPECT_TRUE(all_equal(theon::to_host(u_device), vs));
  EXPECT_TRUE(all_equal(theon::to_host(v_device), us));

  xt::xtensor<double, 2> columns = xt::stack(xt::xtuple(us, vs), 1);  // 7 x 2
  auto first = xt::view(columns, xt::all(), 0);
  auto second = xt::view(columns, xt::all(), 1);
  g(u = first, v = second);
  EXPECT_TRUE(all_equal(xt::xtensor<double, 1>(xt::view(columns, xt::all(), 0)), vs));
  EXPECT_TRUE(all_equal(xt::xtensor<double, 1>(xt::view(columns, xt::all(), 1)), us));
}

TEST(ThrustUpdates, AShapeMismatchThrowsBeforeAnythingIsWritten) {
  constexpr theon::vector<"u"> u;
  const auto us = random_vector<double>(4, -1.0, 1.0, 6);
  auto g = theon::on(thrust::device, theon::function(theon::updates(w, u * 2_c, b, b + 1_c)));
  auto w_device = theon::to_device(random_vector<double>(3, -1.0, 1.0, 7));
  const auto w_before = theon::to_host(w_device);
  double b_state = 1;
  EXPECT_THROW(g(u = us, w = w_device, b = b_state), theon::shape_error);
  EXPECT_TRUE(all_equal(theon::to_host(w_device), w_before));
  EXPECT_EQ(b_state, 1.0);
}

// ---- f.into(...) ----
namespace into {
constexpr theon::vector<"a"> a;
constexpr theon::vector<"b"> b;

TEST(ThrustInto, DeviceAndHostDestinations) {
  const auto as = random_vector<double>(5000, -2, 2, 1), bs = random_vector<double>(5000, -2, 2, 2);
  auto f = theon::function(a * b + theon::sin(a), theon::sum(a * b), theon::flip(a));
  auto g = theon::on(thrust::device, f);
  const auto device_a = theon::to_device(as), device_b = theon::to_device(bs);
  const auto [z, s, reversed] = g(a = device_a, b = device_b);
  theon::device_array<double, 1> into_z(theon::extents<1>{5000});
  double into_s = 0;
  xt::xtensor<double, 1> into_reversed = xt::zeros<double>({5000});  // host memory, copied back
  g.into(into_z, into_s, into_reversed)(a = device_a, b = device_b);
  EXPECT_EQ(theon::to_host(into_z), theon::to_host(z));
  EXPECT_EQ(into_s, s);
  EXPECT_EQ(into_reversed, theon::to_host(reversed));
  EXPECT_TRUE(all_close(into_reversed, xt::xtensor<double, 1>(xt::flip(as, 0)), 0.0));
}

TEST(ThrustInto, AnOutputMayShareMemoryWithADeviceInput) {
  auto f = theon::function(theon::flip(a) * 2_c);
  auto g = theon::on(thrust::device, f);
  auto device_a = theon::to_device(xt::xtensor<double, 1>{1, 2, 3, 4});
  g.into(device_a)(a = device_a);
  EXPECT_EQ(theon::to_host(device_a), (xt::xtensor<double, 1>{8, 6, 4, 2}));
}

}  // namespace into

}  // namespace
