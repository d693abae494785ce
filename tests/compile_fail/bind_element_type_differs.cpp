// A float array bound to a double variable.
// expect: theon::function: the bound array's element type differs from the variable's dtype
// expect: name_chars<'x'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto f = theon::function(x + x);
  xt::xtensor<float, 1> xs = {1.0f, 2.0f};
  auto r = f(x = xs);
  (void)r;
}
