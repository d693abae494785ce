#pragma once
// Helpers for the rewrite tests: the value of an elementwise expression at
// one point (each variable a number), computed by walking the graph with the
// ops' own scalar eval, and a check that a rewrite keeps those values at
// random points of a domain.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>

#include <theon/theon.hpp>

namespace rewrite_test {

using point = std::map<std::string, double>;

template <class E>
double value_at(E, const point& p) {
  if constexpr (theon::is_var_v<E>) return p.at(std::string(E::name.view()));
  else if constexpr (theon::is_lit_v<E>) return E::template value<double>();
  else {
    return []<class Op, class... Args>(theon::node<Op, Args...>*, const point& q) {
      return static_cast<double>(Op::eval(value_at(Args{}, q)...));
    }(static_cast<E*>(nullptr), p);
  }
}

template <class E>
void collect_variables(E, std::set<std::string>& names) {
  if constexpr (theon::is_var_v<E>) names.insert(std::string(E::name.view()));
  else if constexpr (theon::is_node_v<E>) {
    []<class Op, class... Args>(theon::node<Op, Args...>*, std::set<std::string>& n) {
      (collect_variables(Args{}, n), ...);
    }(static_cast<E*>(nullptr), names);
  }
}

inline bool same_value(double a, double b, double rel) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}

// The original and its simplified form agree at 200 random points with every
// variable uniform in [lo, hi] (NaN where the other is NaN).
template <class E>
::testing::AssertionResult agrees_after_simplify(E e, double lo, double hi, double rel = 1e-12) {
  constexpr auto s = theon::simplify(E{});
  std::set<std::string> names;
  collect_variables(e, names);
  std::mt19937 rng(12345);
  std::uniform_real_distribution<double> u(lo, hi);
  for (int i = 0; i < 200; ++i) {
    point p;
    for (const auto& n : names) p[n] = u(rng);
    const double before = value_at(e, p), after = value_at(s, p);
    if (!same_value(before, after, rel)) {
      std::string where;
      for (const auto& [n, v] : p) where += " " + n + "=" + std::to_string(v);
      return ::testing::AssertionFailure() << theon::to_string(e) << " = " << before << " but "
                                           << theon::to_string(s) << " = " << after << " at" << where;
    }
  }
  return ::testing::AssertionSuccess();
}

// Both sides at one point.
template <class E>
std::pair<double, double> both_at(E e, const point& p) {
  return {value_at(e, p), value_at(theon::simplify(e), p)};
}

// static_assert(rewrites_to(e, r)): simplify(e) is exactly the expression r.
template <class E, class R>
constexpr bool rewrites_to(E e, R) {
  return std::is_same_v<decltype(theon::simplify(e)), R>;
}

}  // namespace rewrite_test
