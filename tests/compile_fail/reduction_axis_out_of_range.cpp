// A vector has only axis 0 (or -1).
// expect: theon: a reduction axis is out of range for the rank of its operand
// expect: name_chars<'x'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto e = theon::sum(x, theon::axis<1>);
  (void)e;
}
