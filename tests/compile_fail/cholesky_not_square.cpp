// A (2, 3) matrix has no Cholesky factor: its static shape is not square.
// expect: theon: the matrix must be square
// expect: fixed_string<2>{"A"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::var<"A", double, theon::shape<2, 3>> A;
  auto e = theon::cholesky(A);
  (void)e;
}
