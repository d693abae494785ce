// dot and matmul do not take bool operands.
// expect: theon: dot and matmul need two operands of the same numeric dtype
// expect: fixed_string<2>{"b"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"b", bool> b;
  auto e = theon::dot(b, b);
  (void)e;
}
