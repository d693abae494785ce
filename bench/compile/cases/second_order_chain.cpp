// The second derivative of a scalar shared chain y_{k+1} = sin(y_k) * y_k of
// STEPS steps: grad of grad, compiled with the value.
#include <cstdio>

#include <theon/theon.hpp>

#ifndef STEPS
#define STEPS 20
#endif

namespace {
constexpr theon::scalar<"a"> a;

template <int Steps>
constexpr auto chain(auto y) {
  if constexpr (Steps == 0) return y;
  else return chain<Steps - 1>(theon::sin(y) * y);
}
constexpr auto y = chain<STEPS>(a);
constexpr auto second = theon::grad(theon::grad(y, a), a);
}  // namespace

int main() {
  const auto [value, curvature] = theon::function(y, second)(a = 0.7);
  std::printf("y(0.7) = %.17g, y''(0.7) = %.17g\n", value, curvature);
}
