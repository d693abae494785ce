// A chain of shared steps, y_{k+1} = sin(y_k) * y_k: every step uses y_k
// twice, so the expression's tree is exponential in the number of steps while
// its graph, and its gradient's graph, are linear.
#include <cmath>

#include "grad_support.hpp"

namespace {

constexpr theon::scalar<"a"> a;

template <int K, class E>
constexpr auto chain(E y0) {
  if constexpr (K == 0) return y0;
  else return chain<K - 1>(theon::sin(y0) * y0);
}
// Evaluated chains compile in time growing with the number of fused nodes
// (about 1 s per 30 gradient nodes with g++ -O2); 20 steps keep this file
// near 30 s.
constexpr int CHAIN_EVAL_STEPS = 10;

template <int K>
constexpr std::size_t grad_nodes = theon::unique_nodes_t<decltype(theon::grad(chain<K>(a), a))>::size;

// Each step adds seven nodes to the gradient, at any depth (no run-time shape
// guards: the chain is of scalars, whose shapes are known).
TEST(AutodiffGrad, ChainOfFiftySharedStepsHasALinearGradient) {
  static_assert(theon::unique_nodes_t<decltype(chain<50>(a))>::size == 2 * 50 + 1);
  static_assert(grad_nodes<10> == 7 * 10 - 2);
  static_assert(grad_nodes<50> == 7 * 50 - 2);
}

TEST(AutodiffGrad, ChainGradientMatchesTheHandDerivedLoop) {
  constexpr auto y = chain<CHAIN_EVAL_STEPS>(a);
  const auto r = theon::check_grad(y, a, a = 1.3);
  EXPECT_TRUE(r.ok) << r.to_string();
  // d y_{k+1} = (cos(y_k) y_k + sin(y_k)) d y_k, multiplied along the chain.
  double value = 1.3, derivative = 1;
  for (int k = 0; k < CHAIN_EVAL_STEPS; ++k) {
    derivative *= std::cos(value) * value + std::sin(value);
    value = std::sin(value) * value;
  }
  auto f = theon::function(y, theon::grad(y, a));
  const auto [v, g] = f(a = 1.3);
  // Rewriting reorders products, so the value rounds differently in the last bits.
  EXPECT_NEAR(v, value, 1e-13 * std::abs(value));
  EXPECT_NEAR(g, derivative, 1e-12 * std::abs(derivative));
}

}  // namespace
