// The dense linear algebra's derivatives composed: a Gaussian log likelihood
// through the Cholesky factor, and second derivatives (the adjoints are
// written with the same ops, so they differentiate again).
#include "dense_grad_support.hpp"

namespace {
using namespace dense_grad_test;

// The Gaussian process negative log marginal likelihood written with a
// Cholesky factor: 1/2 |L^-1 y|^2 + sum(log(diag(L))).
TEST(DenseGradient, GaussianLogLikelihoodThroughCholesky) {
  const auto alpha = theon::solve_triangular(theon::cholesky(A), b);
  const auto nll = 0.5_c * theon::sum(alpha * alpha) + theon::sum(theon::log(theon::diagonal(theon::cholesky(A))));
  EXPECT_GRADIENT(nll, A, A = as, b = b_values);
  EXPECT_GRADIENT(nll, b, A = as, b = b_values);
  // The same value as the textbook 1/2 y^T A^-1 y + 1/2 log det A.
  auto f = theon::function(nll, 0.5_c * theon::dot(b, theon::solve(A, b)) + 0.5_c * theon::logdet(A));
  const auto [with_cholesky, textbook] = f(A = as, b = b_values);
  EXPECT_NEAR(with_cholesky, textbook, 1e-12);
}

// d/dA of sum(W * d/dA sum(log(diag(cholesky(A))))): the Cholesky adjoint
// differentiated again.
TEST(DenseGradient, SecondDerivativeThroughCholesky) {
  const auto half_logdet = theon::sum(theon::log(theon::diagonal(theon::cholesky(A))));
  EXPECT_GRADIENT(theon::sum(W * theon::grad(half_logdet, A)), A, A = as, W = ws);
  EXPECT_GRADIENT(theon::sum(W * theon::grad(theon::logdet(A), A)), A, A = as, W = ws);
}

}  // namespace
