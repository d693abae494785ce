// The function needs a and x; only x is bound.
// expect: theon::function: an input variable of the function is not bound; pass it as name = value
// expect: fixed_string<2>{"a"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::scalar<"a"> a;
  constexpr theon::vector<"x"> x;
  auto f = theon::function(a * x);
  xt::xtensor<double, 1> xs = {1.0, 2.0};
  auto r = f(x = xs);
  (void)r;
}
