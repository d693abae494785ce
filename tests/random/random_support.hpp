#pragma once
// What every generated random expression test checks (tests/random/generate.cpp
// writes the tests):
//   (a) theon::function(e), simplified, planned and fused, against the naive
//       long double reference written beside it;
//   (b) the simplified function against function(no_rewrites, e): simplify(e)
//       agrees with e;
//   (c) every gradient of sum(e) against central finite differences;
//   (d) where the test is built with Thrust (THEON_RANDOM_THRUST, on Thrust's
//       OMP system), e and its gradients through theon::on(thrust::device, f)
//       against the CPU runner.
// Tolerances (docs/testing.md): (a) and (b) |got - want| <= 1e-9 (1 + |want|);
// (c) |symbolic - numeric| <= 1e-5 max(1, |numeric|) + 1e-13 max(1, |cost|) / h
// with h = 1e-6 max(1, |x_i|), the second term the rounding error of the
// difference quotient; (d) |thrust - cpu| <= 1e-11 (1 + |cpu|). Every failure
// prints the expression.
#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>
#ifdef THEON_RANDOM_THRUST
#include "../thrust/thrust_support.hpp"
#endif

#include "reference.hpp"

namespace random_test {

// The variables every generated expression draws from: m = 3, n = 4.
inline constexpr theon::scalar<"a"> a;
inline constexpr theon::vector<"x"> x;  // n
inline constexpr theon::vector<"y"> y;  // m
inline constexpr theon::matrix<"A"> A;  // m x n

// Their values for one test, uniform in [-1.5, 1.5], and the same values for the reference.
struct values {
  double av = 0;
  xt::xtensor<double, 1> xv, yv;
  xt::xtensor<double, 2> Av;

  explicit values(unsigned seed) : xv(xt::xtensor<double, 1>::from_shape({4})), yv(xt::xtensor<double, 1>::from_shape({3})),
                                   Av(xt::xtensor<double, 2>::from_shape({3, 4})) {
    std::mt19937 gen(seed);
    std::uniform_real_distribution<double> d(-1.5, 1.5);
    av = d(gen);
    for (auto& v : xv) v = d(gen);
    for (auto& v : yv) v = d(gen);
    for (auto& v : Av) v = d(gen);
  }
  reference::array ra() const { return reference::constant(av); }
  reference::array rx() const { return reference::from(xv); }
  reference::array ry() const { return reference::from(yv); }
  reference::array rA() const { return reference::from(Av); }

  auto bind(decltype(a)) const { return a = av; }
  auto bind(decltype(x)) const { return x = xv; }
  auto bind(decltype(y)) const { return y = yv; }
  auto bind(decltype(A)) const { return A = Av; }
  double& element(decltype(a), std::size_t) { return av; }
  double& element(decltype(x), std::size_t i) { return xv.flat(i); }
  double& element(decltype(y), std::size_t i) { return yv.flat(i); }
  double& element(decltype(A), std::size_t i) { return Av.flat(i); }
  std::size_t size(decltype(a)) const { return 1; }
  std::size_t size(decltype(x)) const { return xv.size(); }
  std::size_t size(decltype(y)) const { return yv.size(); }
  std::size_t size(decltype(A)) const { return Av.size(); }
};

template <class R>
std::vector<double> flat(const R& r) {
  if constexpr (std::is_arithmetic_v<R>) return {static_cast<double>(r)};
  else return std::vector<double>(r.begin(), r.end());
}

template <class Want>
::testing::AssertionResult agree(const std::vector<double>& got, const std::vector<Want>& want) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << got.size() << " elements, the reference has " << want.size();
  for (std::size_t i = 0; i < got.size(); ++i) {
    const long double g = got[i], w = want[i];
    const bool same = (std::isnan(g) && std::isnan(w)) || g == w || std::fabs(g - w) <= 1e-9L * (1 + std::fabs(w));
    if (!same) return ::testing::AssertionFailure() << "element " << i << ": " << static_cast<double>(g) << " against " << static_cast<double>(w);
  }
  return ::testing::AssertionSuccess();
}

template <theon::expression E, class... Vars>
void check(E e, const std::string& text, const reference::array& want, values v, Vars... vars) {
  SCOPED_TRACE("expression: " + text);
  auto simplified = theon::function(e);
  auto as_written = theon::function(theon::no_rewrites, e);
  simplified.threads(1);
  as_written.threads(1);
  const auto got = flat(simplified(v.bind(vars)...));
  EXPECT_TRUE(agree(got, want.values)) << "(a) the compiled function against the long double reference";
  const auto raw = flat(as_written(v.bind(vars)...));
  EXPECT_TRUE(agree(got, raw)) << "(b) simplify(e) against e as written";

  // (c) the gradients of sum(e) with respect to every variable in it.
  constexpr auto cost = [] {
    if constexpr (theon::rank_v<E> == 0) return E{};
    else return theon::sum(E{});
  }();
  auto with_gradients = theon::function(cost, theon::grad(cost, vars)...);
  with_gradients.threads(1);
  const auto symbolic = with_gradients(v.bind(vars)...);
  const double at = static_cast<double>(std::get<0>(symbolic));
  if (!std::isfinite(at)) return;  // nothing to difference
  auto check_variable = [&]<std::size_t J, class Var>(std::integral_constant<std::size_t, J>, Var var) {
    const auto exact = flat(std::get<J + 1>(symbolic));
    for (std::size_t i = 0; i < v.size(var); ++i) {
      values moved = v;
      const double point = v.element(var, i), h = 1e-6 * std::max(1.0, std::abs(point));
      moved.element(var, i) = point + h;
      const double up = std::get<0>(with_gradients(moved.bind(vars)...));
      moved.element(var, i) = point - h;
      const double down = std::get<0>(with_gradients(moved.bind(vars)...));
      const double numeric = (up - down) / (2 * h);
      const double allowed = 1e-5 * std::max(1.0, std::abs(numeric)) + 1e-13 * std::max(1.0, std::abs(at)) / h;
      EXPECT_LE(std::abs(exact[i] - numeric), allowed)
          << "(c) d/d" << Var::name.view() << " element " << i << ": symbolic " << exact[i] << ", numeric " << numeric;
    }
  };
  [&]<std::size_t... J>(std::index_sequence<J...>) {
    (check_variable(std::integral_constant<std::size_t, J>{}, vars), ...);
  }(std::index_sequence_for<Vars...>{});

#ifdef THEON_RANDOM_THRUST
  // (d) the same two functions through Thrust, output by output (tests/thrust/thrust_support.hpp).
  SCOPED_TRACE("(d) the Thrust runner against the CPU runner");
  theon_thrust_test::expect_runners_agree(simplified, v.bind(vars)...);
  theon_thrust_test::expect_runners_agree(with_gradients, v.bind(vars)...);
#endif
}

}  // namespace random_test
