#pragma once
// Shared by the ops_dense_*.cpp derivative tests: the variables, a well
// conditioned symmetric positive definite matrix and weights to differentiate
// at, and a check_grad that names the cost. The tests are split over three
// files to keep each one's compile short.
#include <gtest/gtest.h>

#include <xtensor/xarray.hpp>

#include "test_support.hpp"

namespace dense_grad_test {

using namespace theon::literals;

inline constexpr theon::matrix<"A"> A;
inline constexpr theon::matrix<"W"> W;  // weights: each cost is a sum of weighted entries
inline constexpr theon::matrix<"B"> B;
inline constexpr theon::vector<"b"> b;
inline constexpr theon::vector<"w"> w;

inline constexpr std::size_t n = 4;

inline xt::xtensor<double, 2> random_matrix(std::size_t rows, std::size_t cols, double lo, double hi, unsigned seed) {
  const auto entries = theon_test::random_vector<double>(rows * cols, lo, hi, seed);
  xt::xtensor<double, 2> m = xt::xtensor<double, 2>::from_shape({rows, cols});
  std::copy(entries.begin(), entries.end(), m.begin());
  return m;
}

// M M^T + n I: symmetric positive definite and well conditioned.
inline xt::xtensor<double, 2> random_spd(unsigned seed) {
  const auto m = random_matrix(n, n, -1, 1, seed);
  xt::xtensor<double, 2> a = xt::zeros<double>({n, n});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < n; ++k) a(i, j) += m(i, k) * m(j, k);
      if (i == j) a(i, j) += static_cast<double>(n);
    }
  return a;
}

inline const xt::xtensor<double, 2> as = random_spd(1);
inline const xt::xtensor<double, 2> ws = random_matrix(n, n, -1, 1, 2);
inline const xt::xtensor<double, 2> bs = random_matrix(n, 2, -1, 1, 3);
inline const xt::xtensor<double, 1> b_values = theon_test::random_vector<double>(n, -1, 1, 4);
inline const xt::xtensor<double, 1> w_values = theon_test::random_vector<double>(n, -1, 1, 5);

}  // namespace dense_grad_test

// check_grad of cost with respect to x at the bindings; a failure names the cost.
#define EXPECT_GRADIENT(cost, x, ...)                               \
  do {                                                              \
    const auto report = theon::check_grad(cost, x, __VA_ARGS__);    \
    EXPECT_TRUE(report.ok) << #cost << ": " << report.to_string();  \
  } while (false)
