// One variable given two new values: which would win is not for the library to guess.
// expect: theon::updates: a variable is given two new values
#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"w"> w;
  auto f = theon::function(theon::sum(w), theon::updates(w, 2_c * w, w, 3_c * w));
  (void)f;
}
