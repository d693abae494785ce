// where's condition must be a bool expression.
// expect: theon::where: the condition must be a boolean expression
// expect: fixed_string<2>{"c"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"c"> c;
  constexpr theon::vector<"x"> x;
  constexpr theon::vector<"y"> y;
  auto e = theon::where(c, x, y);
  (void)e;
}
