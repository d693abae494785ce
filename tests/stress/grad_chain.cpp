// A long shared chain for reverse mode: y_0 = x, y_{k+1} = sin(y_k) * y_k
// (each step reads y_k twice), 10 steps; the value and d(sum y_10)/dx in one
// function, against the chain rule carried forward in a plain loop.
#include "stress_support.hpp"

namespace {
constexpr theon::vector<"x"> x;

template <int Steps>
constexpr auto chain(auto y) {
  if constexpr (Steps == 0) return y;
  else return chain<Steps - 1>(theon::sin(y) * y);
}
constexpr auto y10 = chain<10>(x);
}  // namespace

int main() {
  const auto xs = stress::inputs();
  const auto [value, slope] = theon::function(y10, theon::grad(theon::sum(y10), x))(x = xs);
  xt::xtensor<double, 1> y = xs, dy = xt::ones<double>(xs.shape());
  for (int k = 0; k < 10; ++k) {
    dy *= xt::cos(y) * y + xt::sin(y);  // d(sin(y) y)/dy
    y = xt::sin(y) * y;
  }
  return stress::agrees("y_10", value, y) && stress::agrees("d y_10 / dx", slope, dy) ? 0 : 1;
}
