// x is bound twice.
// expect: theon::function: an input variable is bound more than once
// expect: fixed_string<2>{"x"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto f = theon::function(x + x);
  xt::xtensor<double, 1> xs = {1.0, 2.0};
  auto r = f(x = xs, x = xs);
  (void)r;
}
