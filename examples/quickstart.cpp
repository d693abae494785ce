// The README's example: write a model as math, look at its graph and plan, run it.
#include <cstdio>
#include <fstream>

#include <xtensor/xio.hpp>

#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;

  constexpr theon::scalar<"a"> a;
  constexpr theon::vector<"x"> x;

  // The expression's type is the graph; nothing is computed yet.
  constexpr auto cost = theon::sum(theon::exp(a * x) + 2_c * x);
  constexpr auto scaled = a * x;
  std::printf("cost   = %s\n", theon::to_string(cost).c_str());

  // One callable for both outputs: a * x is computed once and shared.
  auto f = theon::function(cost, scaled);
  std::printf("plan:\n%s", f.plan().to_string().c_str());

  xt::xtensor<double, 1> xs = {0.0, 0.5, 1.0, 1.5};
  auto [c, ax] = f(a = 2.0, x = xs);
  std::printf("cost(a=2, x=[0, .5, 1, 1.5]) = %.6f\n", c);
  std::printf("a * x = [%g, %g, %g, %g]\n", ax(0), ax(1), ax(2), ax(3));

  // Graphviz text of the graph, for `dot -Tpng quickstart.dot -o quickstart.png`.
  std::ofstream("quickstart.dot") << theon::to_dot(cost, scaled);
  std::printf("wrote quickstart.dot\n");

  // The same sum by hand, as a check.
  double expected = 0;
  for (double v : xs) expected += std::exp(2.0 * v) + 2.0 * v;
  return std::abs(c - expected) < 1e-12 * expected ? 0 : 1;
}
