// dot takes operands of rank 1 or 2; stacks of matrices are matmul's.
// expect: theon: dot takes operands of rank 1 or 2 \(matmul takes stacks of matrices\)
// expect: fixed_string<2>{"T"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::tensor<"T", double, 3> T;
  constexpr theon::vector<"x"> x;
  auto e = theon::dot(T, x);
  (void)e;
}
