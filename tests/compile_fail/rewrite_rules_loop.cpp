// Two rules that undo each other never reach a fixed point: simplify stops
// with a sentence instead of recursing until the compiler gives up.
// expect: did not reach a fixed point
// expect: rule_set
#include <theon/theon.hpp>

int main() {
  using theon::_a;
  using theon::_b;
  constexpr theon::vector<"x"> x;
  constexpr theon::vector<"y"> y;
  constexpr auto swap = theon::rules(theon::rule(_a * _b, _b * _a));
  constexpr auto s = theon::simplify(x * y, swap);
  (void)s;
}
