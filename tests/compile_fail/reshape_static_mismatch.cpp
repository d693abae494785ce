// 4 x 6 = 24 elements do not fill extents (5, -1): caught while compiling.
// expect: theon::reshape: the new extents cannot hold the elements of the operand's static shape
#include <theon/theon.hpp>

int main() {
  constexpr theon::var<"S", double, theon::shape<4, 6>> S;
  auto e = theon::reshape<5, -1>(S);
  (void)e;
}
