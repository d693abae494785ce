#pragma once
// Shared by the ops_dist_grad_*.cpp tests: the variables and points at which
// theon::dist's densities are differentiated, and a check of one cost's
// gradient with respect to several variables. The densities are split over
// three files to keep each one's compile short.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace dist_grad_test {

namespace dist = theon::dist;

inline constexpr theon::vector<"x"> x;  // in (0, 1): inside every support
inline constexpr theon::vector<"a"> a;  // parameters in (0.5, 3)
inline constexpr theon::vector<"b"> b;
inline constexpr theon::vector<"c"> c;
inline constexpr theon::vector<"k", theon::int64> k;  // counts
inline constexpr theon::vector<"n", theon::int64> n;

inline const auto xs = theon_test::random_vector<double>(7, 0.1, 0.9, 1);
inline const auto as = theon_test::random_vector<double>(7, 0.5, 3, 2);
inline const auto bs = theon_test::random_vector<double>(7, 0.5, 3, 3);
inline const auto cs = theon_test::random_vector<double>(7, 0.5, 3, 4);
inline const xt::xtensor<theon::int64, 1> ks{0, 1, 3, 7, 2, 12, 5};
inline const xt::xtensor<theon::int64, 1> ns{4, 1, 9, 7, 20, 12, 6};

// check_grad of cost with respect to each of wrt, at the bindings.
template <class Cost, class... Wrt, class... Bindings>
void expect_gradients(Cost cost, theon::type_list<Wrt...>, const Bindings&... bindings) {
  for (const auto& report : {theon::check_grad(cost, Wrt{}, bindings...)...}) EXPECT_TRUE(report.ok) << report.to_string();
}

}  // namespace dist_grad_test
