// With theon::strict_inputs, y is not an input of f: binding it is an error
// (without the option it is accepted and ignored).
// expect: theon::function: a value is bound to a variable that is not an input of this function
// expect: fixed_string<2>{"y"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  constexpr theon::vector<"y"> y;
  auto f = theon::function(theon::strict_inputs, x + x);
  xt::xtensor<double, 1> xs = {1.0, 2.0};
  auto r = f(x = xs, y = xs);
  (void)r;
}
