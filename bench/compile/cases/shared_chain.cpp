// Value and gradient of a shared chain y_{k+1} = sin(y_k) * y_k (each step
// reads y_k twice) of STEPS steps, through function(): the graph has about ten
// unique nodes per step and 2^STEPS paths.
#include <cstdio>

#include <theon/theon.hpp>

#ifndef STEPS
#define STEPS 50
#endif

namespace {
constexpr theon::vector<"x"> x;

template <int Steps>
constexpr auto chain(auto y) {
  if constexpr (Steps == 0) return y;
  else return chain<Steps - 1>(theon::sin(y) * y);
}
constexpr auto y = chain<STEPS>(x);
}  // namespace

int main() {
  const xt::xtensor<double, 1> xs = {0.3, 0.5, 0.9};
  const auto [value, slope] = theon::function(y, theon::grad(theon::sum(y), x))(x = xs);
  std::printf("y(0.3) = %.17g, dy/dx(0.3) = %.17g\n", value(0), slope(0));
}
