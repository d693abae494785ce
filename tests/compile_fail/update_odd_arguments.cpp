// updates takes pairs; a lone variable has no new value.
// expect: theon::updates: give pairs of
#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"w"> w;
  constexpr theon::vector<"v"> v;
  auto f = theon::function(theon::sum(w), theon::updates(w, 2_c * w, v));
  (void)f;
}
