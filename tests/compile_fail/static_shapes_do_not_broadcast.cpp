// Static extents 3 and 4 cannot broadcast together.
// expect: theon: the operands' static shapes do not broadcast together
// expect: fixed_string<2>{"u"}
// expect: fixed_string<2>{"v"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::var<"u", double, theon::shape<3>> u;
  constexpr theon::var<"v", double, theon::shape<4>> v;
  auto e = u + v;
  (void)e;
}
