#pragma once
// Shared helpers for theon's autodiff tests (autodiff_grad.cpp, autodiff_rules.cpp,
// autodiff_stability.cpp): random inputs with fixed seeds, a check_grad wrapper
// that prints the report on failure, and comparisons of computed gradients
// with hand-written values.
//
// Kept light on templates: every check_grad already compiles two functions.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace grad_test {

// Uniform values in [lo, hi].
template <std::size_t R>
xt::xtensor<double, R> uniform(const std::array<std::size_t, R>& shape, double lo, double hi, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> d(lo, hi);
  auto out = xt::xtensor<double, R>::from_shape(shape);
  for (std::size_t i = 0; i < out.size(); ++i) out.flat(i) = d(gen);
  return out;
}

// Values with magnitude in [lo, hi] (0 < lo) and a random sign: away from the
// kinks of abs, sign, ... at 0.
template <std::size_t R>
xt::xtensor<double, R> away_from_zero(const std::array<std::size_t, R>& shape, double lo, double hi, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> d(lo, hi);
  std::bernoulli_distribution coin(0.5);
  auto out = xt::xtensor<double, R>::from_shape(shape);
  for (std::size_t i = 0; i < out.size(); ++i) out.flat(i) = coin(gen) ? d(gen) : -d(gen);
  return out;
}

// base + offset with |offset| in [gap, 2 gap + 1], random sign: two operands
// that never tie (maximum, minimum, comparisons in where/clip).
template <std::size_t R>
xt::xtensor<double, R> apart_from(const xt::xtensor<double, R>& base, double gap, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> d(gap, 2 * gap + 1);
  std::bernoulli_distribution coin(0.5);
  xt::xtensor<double, R> out = base;
  for (std::size_t i = 0; i < out.size(); ++i) out.flat(i) += coin(gen) ? d(gen) : -d(gen);
  return out;
}

// Pairwise distinct values (a random permutation of 0 .. n-1, scaled and
// shifted): max and min pick exactly one element per reduced group.
template <std::size_t R>
xt::xtensor<double, R> distinct(const std::array<std::size_t, R>& shape, unsigned seed) {
  auto out = xt::xtensor<double, R>::from_shape(shape);
  std::vector<std::size_t> order(out.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), std::mt19937(seed));
  for (std::size_t i = 0; i < out.size(); ++i) out.flat(i) = 0.37 * static_cast<double>(order[i]) - 1.1;
  return out;
}

inline std::string values_text(const double* v, std::size_t n) {
  std::ostringstream s;
  s.precision(17);
  s << "[";
  for (std::size_t i = 0; i < n; ++i) s << (i ? ", " : "") << v[i];
  return s.str() + "]";
}

// Flat comparison with |a - e| <= atol + rtol |e|.
inline ::testing::AssertionResult close_values(const double* actual, std::size_t n, const std::vector<double>& expected,
                                               double rtol, double atol) {
  if (n != expected.size())
    return ::testing::AssertionFailure() << "size " << n << " != expected size " << expected.size() << ": "
                                         << values_text(actual, n);
  for (std::size_t i = 0; i < n; ++i) {
    const double a = actual[i], e = expected[i];
    const bool ok = (std::isnan(a) && std::isnan(e)) || a == e || std::abs(a - e) <= atol + rtol * std::abs(e);
    if (!ok)
      return ::testing::AssertionFailure() << "entry " << i << ": got " << a << ", expected " << e << "\n  got      "
                                           << values_text(actual, n) << "\n  expected "
                                           << values_text(expected.data(), expected.size());
  }
  return ::testing::AssertionSuccess();
}

// An xtensor (any rank, double) against flat expected values, with its shape.
template <class C>
::testing::AssertionResult close_to(const C& actual, std::vector<std::size_t> shape, std::vector<double> expected,
                                    double rtol = 1e-12, double atol = 1e-12) {
  const std::vector<std::size_t> got(actual.shape().begin(), actual.shape().end());
  if (got != shape) {
    std::ostringstream s;
    s << "shape [";
    for (std::size_t i = 0; i < got.size(); ++i) s << (i ? ", " : "") << got[i];
    s << "], expected [";
    for (std::size_t i = 0; i < shape.size(); ++i) s << (i ? ", " : "") << shape[i];
    return ::testing::AssertionFailure() << s.str() << "]";
  }
  return close_values(actual.data(), actual.size(), expected, rtol, atol);
}

// Two xtensors of the same shape, elementwise.
template <class A, class B>
::testing::AssertionResult close_to(const A& actual, const B& expected, double rtol = 1e-12, double atol = 1e-12) {
  const std::vector<std::size_t> shape(expected.shape().begin(), expected.shape().end());
  std::vector<double> e(expected.size());
  for (std::size_t i = 0; i < e.size(); ++i) e[i] = static_cast<double>(expected.flat(i));
  return close_to(actual, shape, e, rtol, atol);
}

// Exactly equal (bitwise for finite values), with the same shape.
template <class A, class B>
::testing::AssertionResult exactly(const A& actual, const B& expected) {
  return close_to(actual, expected, 0.0, 0.0);
}

inline ::testing::AssertionResult report_ok(const theon::grad_check_report& r) {
  if (r.ok) return ::testing::AssertionSuccess() << r.to_string();
  return ::testing::AssertionFailure() << r.to_string();
}

}  // namespace grad_test

// EXPECT_GRAD_OK(cost, x, bindings...) / EXPECT_GRAD_OK(options, cost, x, bindings...):
// theon::check_grad must pass; on failure the report is printed.
#define EXPECT_GRAD_OK(...) EXPECT_TRUE(::grad_test::report_ok(::theon::check_grad(__VA_ARGS__)))
