// Options come before the outputs.
// expect: theon::function: options come first
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto f = theon::function(x + x, theon::no_rewrites);
  (void)f;
}
