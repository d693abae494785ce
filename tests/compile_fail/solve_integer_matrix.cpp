// solve works in floating point: an int64 matrix is converted by the user.
// expect: take floating-point operands of one dtype
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A", theon::int64> A;
  constexpr theon::vector<"b"> b;
  auto e = theon::solve(A, b);
  (void)e;
}
