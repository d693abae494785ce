// A matrix has axes 0 and 1 (or -1, -2): argmax along axis -3 is caught while compiling.
// expect: theon::argmax: the axis is out of range for the rank of its operand
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  auto e = theon::argmax(A, theon::axis<-3>);
  (void)e;
}
