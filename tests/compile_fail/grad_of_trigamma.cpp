// trigamma states no derivative: a third derivative of lgamma is refused,
// naming the op.
// expect: theon: differentiating through an op that has no derivative
// expect: op_without_derivative<theon::trigamma_op>
#include <theon/theon.hpp>

int main() {
  constexpr theon::scalar<"a"> a;
  auto e = theon::grad(theon::trigamma(a), a);
  (void)e;
}
