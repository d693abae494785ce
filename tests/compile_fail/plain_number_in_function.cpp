// A plain number passed to a function-style op gets the same sentence as one in an operator.
// expect: a plain number cannot appear in an expression
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  constexpr auto e = theon::maximum(x, 0.0);
  (void)e;
}
