// f.into(...) on the Thrust runner: device arrays are computed into in place,
// host arrays and numbers get a copy back; the values are those the call
// returns, and an output may share memory with a device input.
#include <xtensor/xmanipulation.hpp>

#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

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

}  // namespace
