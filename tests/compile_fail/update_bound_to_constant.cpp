// An updated variable bound to a const array: the function could not write it.
// expect: theon::function: an updated variable is bound to a constant or temporary value
// expect: fixed_string<2>{"w"}
#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"w"> w;
  auto f = theon::function(theon::sum(w), theon::updates(w, 2_c * w));
  const xt::xtensor<double, 1> ws = {1.0, 2.0};
  (void)f(w = ws);
}
