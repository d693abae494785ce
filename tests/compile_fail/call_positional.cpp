// Inputs are bound by name, never by position.
// expect: theon::function: call arguments bind inputs by name, as in f\(x = xs, a = 1\.5\)
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto f = theon::function(x + x);
  xt::xtensor<double, 1> xs = {1.0, 2.0};
  auto r = f(xs);
  (void)r;
}
