// Forward mode (jvp) of the dense linear algebra (ops/dense.hpp): each op's
// directional derivative against the difference quotient of its values.
#include "dense_grad_support.hpp"

namespace {
using namespace dense_grad_test;

// jvp(e, A, V) against (e(A + hV) - e(A - hV)) / 2h, entry by entry.
template <class E, class... Bindings>
void expect_directional_derivative(E e, const char* text, const Bindings&... bindings) {
  constexpr theon::matrix<"V"> V;
  const auto direction = random_matrix(n, n, -1, 1, 6);
  const double h = 1e-6;
  const xt::xtensor<double, 2> up = as + h * direction, down = as - h * direction;
  auto tangent = theon::function(theon::jvp(e, A, V));
  auto value = theon::function(e);
  const xt::xarray<double> exact = tangent(A = as, V = direction, bindings...);
  const xt::xarray<double> numeric = (value(A = up, bindings...) - value(A = down, bindings...)) / (2 * h);
  ASSERT_EQ(exact.size(), numeric.size());
  for (std::size_t i = 0; i < exact.size(); ++i)
    EXPECT_NEAR(exact.flat(i), numeric.flat(i), 1e-7 * std::max(1.0, std::abs(numeric.flat(i)))) << text << ", entry " << i;
}

TEST(DenseGradient, ForwardModeMatchesDifferences) {
  expect_directional_derivative(theon::cholesky(A), "cholesky");
  expect_directional_derivative(theon::inverse(A), "inverse");
  expect_directional_derivative(theon::solve(A, b), "solve", b = b_values);
  expect_directional_derivative(theon::solve_triangular(theon::cholesky(A), b), "solve_triangular", b = b_values);
  expect_directional_derivative(theon::diag(theon::diagonal(A)) + theon::tril(A), "diag, diagonal, tril");
  expect_directional_derivative(theon::logdet(A) * theon::det(A), "logdet, det");
}

}  // namespace
