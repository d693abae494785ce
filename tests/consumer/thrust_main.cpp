// The Thrust runner through the package's theon::thrust_omp: its flags pick
// Thrust's OMP system, and the same function gives the CPU runner's result.
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
