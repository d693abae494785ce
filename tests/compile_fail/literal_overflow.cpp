// 99999999999999999999 does not fit in 64 bits.
// expect: theon: this _c literal is not a decimal number whose exact fraction fits in 64-bit integers
#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"x"> x;
  auto e = x * 99999999999999999999_c;
  (void)e;
}
