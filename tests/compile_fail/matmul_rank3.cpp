// matmul takes operands of rank 1 or 2.
// expect: theon: dot and matmul take operands of rank 1 or 2
// expect: fixed_string<2>{"T"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  constexpr theon::tensor<"T", double, 3> T;
  auto e = theon::matmul(A, T);
  (void)e;
}
