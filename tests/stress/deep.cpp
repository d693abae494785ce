// Deep expressions: y_{k+1} = tanh(y_k) + x, two operations per level, nested
// to depth 64 and 256 (operations on the longest path), each compiled into one
// function and checked against the same recurrence in a plain loop.
#include "stress_support.hpp"

namespace {
constexpr theon::vector<"x"> x;

template <int Depth>
constexpr auto nested(auto y) {
  if constexpr (Depth == 0) return y;
  else return nested<Depth - 2>(theon::tanh(y) + x);
}

template <int Depth>
bool check() {
  const auto xs = stress::inputs();
  const xt::xtensor<double, 1> got = theon::function(nested<Depth>(x))(x = xs);
  xt::xtensor<double, 1> want = xs;
  for (int k = 0; k < Depth / 2; ++k) want = xt::tanh(want) + xs;
  return stress::agrees(Depth == 64 ? "depth 64" : "depth 256", got, want);
}
}  // namespace

int main() { return check<64>() && check<256>() ? 0 : 1; }
