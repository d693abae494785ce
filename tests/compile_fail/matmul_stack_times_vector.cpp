// A stack of matrices is multiplied by a stack or by a matrix.
// expect: theon::matmul: a stack of matrices \(rank 3\) is multiplied by a stack or a matrix, not a vector
// expect: fixed_string<2>{"v"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::tensor<"S", double, 3> S;
  constexpr theon::vector<"v"> v;
  auto e = theon::matmul(S, v);
  (void)e;
}
