// A std::list is not contiguous memory theon can read.
// expect: theon::function: an input can be bound to an xtensor container or expression, a std::vector, a std::span, theon::ref
// expect: name_chars<'x'>
#include <list>
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto f = theon::function(x + x);
  std::list<double> data(3);
  auto r = f(x = data);
  (void)r;
}
