// An xt::xtensor's rank is part of its type, so binding one of the wrong rank is caught at compile time.
// expect: the bound array's rank differs from the variable's rank
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  xt::xtensor<double, 2> m = {{1.0, 2.0}};
  auto f = theon::function(theon::sum(x));
  return static_cast<int>(f(x = m));
}
