// A float state given a double new value.
// expect: theon::updates: a new value's dtype differs from its variable's; convert it with theon::cast
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"w", float> w;
  constexpr theon::scalar<"lr"> lr;
  auto f = theon::function(theon::sum(w), theon::updates(w, w - lr * w));
  (void)f;
}
