// dot does not promote: float . double is refused.
// expect: theon: dot and matmul need two operands of the same numeric dtype
// expect: fixed_string<2>{"u"}
// expect: fixed_string<2>{"v"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"u", float> u;
  constexpr theon::vector<"v", double> v;
  auto e = theon::dot(u, v);
  (void)e;
}
