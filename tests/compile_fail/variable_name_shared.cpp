// Two different variables (double and float) are both called "x".
// expect: theon::function: two different variables \(dtype or shape\) share one name
// expect: fixed_string<2>{"x"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  constexpr theon::vector<"x", float> x2;
  auto f = theon::function(x + x2);
  xt::xtensor<double, 1> xs = {1.0, 2.0};
  auto r = f(x = xs);
  (void)r;
}
