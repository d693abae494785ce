// pad's widths are counts of steps added: a negative width is caught while compiling.
// expect: theon::pad: the widths must not be negative
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto e = theon::pad<-1, 2>(x);
  (void)e;
}
