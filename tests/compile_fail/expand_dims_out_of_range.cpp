// A vector's new axis can go at position 0 or 1 only.
// expect: theon::expand_dims: the new axis is out of range
// expect: fixed_string<2>{"x"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto e = theon::expand_dims<3>(x);
  (void)e;
}
