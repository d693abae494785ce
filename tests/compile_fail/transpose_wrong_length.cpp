// A rank-3 operand needs a permutation of three axes.
// expect: theon::transpose: the permutation must name every axis of its operand
// expect: fixed_string<2>{"T"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::tensor<"T", double, 3> T;
  auto e = theon::transpose(T, theon::axes<1, 0>);
  (void)e;
}
