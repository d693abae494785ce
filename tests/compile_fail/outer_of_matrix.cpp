// outer takes two vectors.
// expect: theon::outer: both operands must be vectors \(rank 1\)
// expect: fixed_string<2>{"A"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  constexpr theon::vector<"v"> v;
  auto e = theon::outer(A, v);
  (void)e;
}
