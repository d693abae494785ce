// axes<0, -2> names axis 0 twice on a matrix.
// expect: theon: a reduction names the same axis twice
// expect: name_chars<'A'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  auto e = theon::sum(A, theon::axes<0, -2>);
  (void)e;
}
