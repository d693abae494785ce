// A plain C++ number cannot be part of an expression: it would have to be
// stored in the (empty) expression object.
// expect: theon: a plain number cannot appear in an expression; write it as an exact literal
// expect: name_chars<'x'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto e = x * 2.0;
  (void)e;
}
