// theon::lit<N, D> spelled by hand must be in lowest terms (1/2, not 2/4).
// expect: theon::lit: a literal is stored in lowest terms with a positive denominator
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"x"> x;
  auto e = x * theon::lit<2, 4>{};
  (void)e;
}
