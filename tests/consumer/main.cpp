#include <theon/theon.hpp>
#include <cstdio>
int main() {
  using namespace theon::literals;
  constexpr theon::vector<"x"> x;
  auto f = theon::function(theon::sum(x * 2_c));
  xt::xtensor<double, 1> xs = {1.0, 2.0, 3.0};
  double s = f(x = xs);
  std::printf("%g\n", s);
  return s == 12.0 ? 0 : 1;
}
