// log_softmax needs an axis to normalise along.
// expect: theon::log_softmax: the operand must have at least one axis
// expect: name_chars<'a'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::scalar<"a"> a;
  auto e = theon::log_softmax(a);
  (void)e;
}
