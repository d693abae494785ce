// State on the Thrust runner bound as a theon::device_ref: that memory is only
// ever read, so the runner refuses to write the update into it.
// expect: theon::on: an updated variable is bound to a theon::device_ref, which is read-only
#include <theon/thrust.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"w"> w;
  auto g = theon::on(thrust::device, theon::function(theon::updates(w, 2_c * w)));
  theon::device_array<double, 1> ws = theon::to_device(xt::xtensor<double, 1>{1.0, 2.0});
  auto state = theon::device_ref(ws.data(), {2});
  g(w = state);
}
