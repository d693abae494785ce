// (2, 3) . (4): the static inner extents 3 and 4 differ.
// expect: theon: dot and matmul need the inner extents of their operands to agree
// expect: fixed_string<2>{"A"}
// expect: fixed_string<2>{"b"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::var<"A", double, theon::shape<2, 3>> A;
  constexpr theon::var<"b", double, theon::shape<4>> b;
  auto e = theon::dot(A, b);
  (void)e;
}
