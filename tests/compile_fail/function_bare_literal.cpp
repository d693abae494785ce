// A literal alone is not worth a function.
// expect: theon::function: an output is a bare literal; it needs no function
#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  auto f = theon::function(2_c);
  (void)f;
}
