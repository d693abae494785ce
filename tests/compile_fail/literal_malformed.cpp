// Only decimal literals are exact rationals: 0x10_c (hexadecimal) is refused.
// (1.5.2_c never reaches theon: the compiler's lexer rejects it first with
// "too many decimal points in number".)
// expect: theon: this _c literal is not a decimal number whose exact fraction fits in 64-bit integers
#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"x"> x;
  auto e = x * 0x10_c;
  (void)e;
}
