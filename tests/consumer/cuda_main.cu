// The Thrust runner on CUDA through the package's theon::cuda: built by nvcc
// with the flags the target carries (run where a GPU is).
#include <cstdio>

#include <theon/thrust.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"x"> x;
  auto f = theon::function(theon::sum(x * 2_c));
  const xt::xtensor<double, 1> xs = {1.0, 2.0, 3.0};
  const double s = theon::on(thrust::device, f)(x = xs);
  std::printf("%g\n", s);
  return s == 12.0 ? 0 : 1;
}
