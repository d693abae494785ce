// matmul takes vectors, matrices and stacks of matrices (rank 3), not rank 4.
// expect: theon: dot and matmul take operands of rank 1 or 2, matmul also stacks of matrices \(rank 3\)
// expect: fixed_string<2>{"T"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  constexpr theon::tensor<"T", double, 4> T;
  auto e = theon::matmul(A, T);
  (void)e;
}
