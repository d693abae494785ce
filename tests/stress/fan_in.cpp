// Wide fan-in: the sum of 100 different terms sin(x + k), k = 1..100, one
// fused loop, against the same sum in a plain loop.
#include <utility>

#include "stress_support.hpp"

namespace {
constexpr theon::vector<"x"> x;
constexpr auto terms = []<std::size_t... K>(std::index_sequence<K...>) {
  return (theon::sin(x + theon::lit<static_cast<std::intmax_t>(K) + 1>{}) + ...);
}(std::make_index_sequence<100>{});
}  // namespace

int main() {
  const auto xs = stress::inputs();
  const xt::xtensor<double, 1> got = theon::function(terms)(x = xs);
  xt::xtensor<double, 1> want = xt::zeros<double>(xs.shape());
  for (int k = 1; k <= 100; ++k) want += xt::sin(xs + double(k));
  return stress::agrees("sum of 100 terms", got, want) ? 0 : 1;
}
