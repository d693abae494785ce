// A matrix has axes 0 and 1 (or -1, -2).
// expect: theon: softmax axis is out of range for the rank of its operand
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  auto e = theon::softmax(A, theon::axis<2>);
  (void)e;
}
