// softmax needs an axis to normalise along.
// expect: theon::softmax: the operand must have at least one axis
// expect: name_chars<'a'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::scalar<"a"> a;
  auto e = theon::softmax(a);
  (void)e;
}
