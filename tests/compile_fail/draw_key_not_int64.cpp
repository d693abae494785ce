// A draw's key is a rank-0 int64: a double key (here a typo for the shape
// operand) is refused with the rule, the draw named in the instantiation.
// expect: theon: a draw's key is a rank-0 int64 expression
// expect: normal_op
#include <theon/theon.hpp>

int main() {
  constexpr theon::scalar<"seed"> seed;  // double
  constexpr theon::vector<"x"> x;
  auto e = theon::normal(seed, x);
  (void)e;
}
