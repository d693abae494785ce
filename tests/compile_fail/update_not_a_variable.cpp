// updates pairs a variable with its new value; an expression is no state.
// expect: theon::updates: the first of each pair is the variable
#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"w"> w;
  auto f = theon::function(theon::sum(w), theon::updates(2_c * w, w));
  (void)f;
}
