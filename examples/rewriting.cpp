// Graph rewriting at compile time: a model written the obvious way, the graph
// theon actually runs, and a user rule in the model's own syntax.
//
// Writes rewriting_before.dot and rewriting_after.dot (Graphviz):
//   dot -Tpng rewriting_before.dot -o before.png
#include <cmath>
#include <cstdio>
#include <fstream>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::vector<"x"> x;
  constexpr theon::vector<"y"> y;

  // log(1 + e^t) overflows for t > 709; log(exp(y)) and the scaling by 1 are waste.
  constexpr auto loss = theon::sum(theon::log(1_c + theon::exp(2_c * x + x)) - theon::log(theon::exp(y)) * 1_c);
  constexpr auto simplified = theon::simplify(loss);
  static_assert(std::is_same_v<std::remove_const_t<decltype(simplified)>, decltype(theon::sum(theon::softplus(3_c * x) - y))>);
  std::printf("written:    %s\nsimplified: %s\n", theon::to_string(loss).c_str(), theon::to_string(simplified).c_str());
  std::ofstream("rewriting_before.dot") << theon::to_dot(loss);
  std::ofstream("rewriting_after.dot") << theon::to_dot(simplified);

  // function() runs the same phases: at x = 300 the written form would give inf.
  const xt::xtensor<double, 1> xs = {300, -1, 0}, ys = {1, 2, 3};
  const double value = theon::function(loss)(x = xs, y = ys);
  const double as_written = theon::function(theon::no_rewrites, loss)(x = xs, y = ys);
  const double expected = 900 + std::log1p(std::exp(-3.0)) + std::log(2.0) - 6;
  std::printf("value at x = [300, -1, 0]: %.6f (as written: %f)\n", value, as_written);

  // A user rule: tanh written through the logistic function becomes tanh again.
  using theon::_a;
  constexpr auto tanh_rules = theon::rules(theon::rule(2_c * theon::sigmoid(2_c * _a) - 1_c, theon::tanh(_a)));
  constexpr auto t = theon::simplify(2_c * theon::sigmoid(2_c * x) - 1_c, tanh_rules);
  std::printf("with a user rule: %s\n", theon::to_string(t).c_str());
  return std::abs(value - expected) < 1e-9 && std::isinf(as_written) ? 0 : 1;
}
