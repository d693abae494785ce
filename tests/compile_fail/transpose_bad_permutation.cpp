// axes<0, 0, 2> is not a permutation of 0, 1, 2.
// expect: theon::transpose: the axes must be a permutation of 0 \.\. rank-1
// expect: fixed_string<2>{"T"}
#include <theon/theon.hpp>

int main() {
  constexpr theon::tensor<"T", double, 3> T;
  auto e = theon::transpose(T, theon::axes<0, 0, 2>);
  (void)e;
}
