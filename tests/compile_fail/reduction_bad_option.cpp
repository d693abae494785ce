// A reduction's options are axis<k>, axes<...> and keepdims, not a plain int.
// expect: theon: a reduction takes only axis<k>, axes<i, j, \.\.\.> and keepdims as options
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  auto e = theon::sum(A, 1);
  (void)e;
}
