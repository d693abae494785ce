// (2, 3) and (2, 4) cannot be joined along axis 0: their columns differ.
// expect: theon::concatenate: the operands' static extents differ off the joined axis
#include <theon/theon.hpp>

int main() {
  constexpr theon::var<"A", double, theon::shape<2, 3>> A;
  constexpr theon::var<"B", double, theon::shape<2, 4>> B;
  auto e = theon::concatenate<0>(A, B);
  (void)e;
}
