// The README's example: write a model as math, look at its graph before and
// after simplify, its gradient and its plan, run it, and write Graphviz files
// (`dot -Tsvg quickstart.dot -o quickstart.svg`).
#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

#include <theon/theon.hpp>

namespace {
void write_dot(const std::string& file, const std::string& dot) {
  std::ofstream(file) << dot;
  std::printf("wrote %s\n", file.c_str());
}
}  // namespace

int main() {
  using namespace theon::literals;

  constexpr theon::scalar<"a"> a;
  constexpr theon::vector<"x"> x;

  // The expression's type is the graph; nothing is computed yet.
  constexpr auto cost = theon::sum(theon::exp(a * x) + 2_c * x);
  std::printf("cost            = %s\n", theon::to_string(cost).c_str());
  std::printf("simplified      = %s\n", theon::to_string(theon::simplify(cost)).c_str());

  // Rewrites run while compiling: the naive form becomes the stable one.
  constexpr auto naive = theon::log(1_c + theon::exp(x));
  std::printf("%-15s = %s\n", theon::to_string(naive).c_str(), theon::to_string(theon::simplify(naive)).c_str());

  // Derivatives are expressions too.
  const auto [ga, gx] = theon::grad(cost, a, x);
  std::printf("d cost / d a    = %s\n", theon::to_string(ga).c_str());
  std::printf("  simplified    = %s\n", theon::to_string(theon::simplify(ga)).c_str());
  std::printf("d cost / d x    = %s\n\n", theon::to_string(theon::simplify(gx)).c_str());

  // One callable for the value, a * x and both gradients: shared work is
  // computed once and elementwise chains fuse into one loop each.
  auto f = theon::function(cost, a * x, ga, gx);
  std::printf("plan:\n%s\n", f.plan().to_string().c_str());

  xt::xtensor<double, 1> xs = {0.0, 0.5, 1.0, 1.5};
  const auto [c, ax, dc_da, dc_dx] = f(a = 2.0, x = xs);
  std::printf("at a = 2, x = [0, 0.5, 1, 1.5]:\n");
  std::printf("  cost = %.6f, a * x = [%g, %g, %g, %g]\n", c, ax(0), ax(1), ax(2), ax(3));
  std::printf("  d/da = %.6f, d/dx = [%.4f, %.4f, %.4f, %.4f]\n\n", dc_da, dc_dx(0), dc_dx(1), dc_dx(2), dc_dx(3));

  write_dot("quickstart.dot", theon::to_dot(cost));
  write_dot("quickstart_gradient.dot", theon::to_dot(ga, gx));
  write_dot("quickstart_gradient_simplified.dot", theon::to_dot(theon::simplify(ga), theon::simplify(gx)));

  // The same numbers by hand, as a check.
  double want_c = 0, want_da = 0;
  for (double v : xs) want_c += std::exp(2.0 * v) + 2.0 * v, want_da += v * std::exp(2.0 * v);
  bool ok = std::abs(c - want_c) < 1e-12 * want_c && std::abs(dc_da - want_da) < 1e-12 * want_da;
  for (std::size_t i = 0; i < xs.size(); ++i) ok = ok && std::abs(dc_dx(i) - (2.0 * std::exp(2.0 * xs(i)) + 2.0)) < 1e-12 * dc_dx(i);
  return ok ? 0 : 1;
}
