// A function needs at least one output.
// expect: theon::function: give at least one output expression
#include <theon/theon.hpp>

int main() {
  auto f = theon::function();
  (void)f;
}
