// A number can only be bound to a rank-0 variable.
// expect: theon::function: a number can only be bound to a rank-0 \(scalar\) variable
// expect: name_chars<'x'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto f = theon::function(x + x);
  auto r = f(x = 1.5);
  (void)r;
}
