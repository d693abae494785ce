// Reverse-mode derivatives of the dense linear algebra (ops/dense.hpp) in
// every operand, against finite differences. The matrix entries are perturbed
// one at a time, so the matrices are not kept symmetric: cholesky factors the
// symmetric part, and its gradient is symmetric.
#include "dense_grad_support.hpp"

namespace {
using namespace dense_grad_test;

TEST(DenseGradient, EveryOpInEveryOperand) {
  EXPECT_GRADIENT(theon::logdet(A), A, A = as);
  EXPECT_GRADIENT(theon::det(A), A, A = as);
  EXPECT_GRADIENT(theon::sum(W * theon::inverse(A)), A, A = as, W = ws);
  EXPECT_GRADIENT(theon::sum(W * theon::cholesky(A)), A, A = as, W = ws);
  EXPECT_GRADIENT(theon::sum(w * theon::solve(A, b)), A, A = as, b = b_values, w = w_values);
  EXPECT_GRADIENT(theon::sum(w * theon::solve(A, b)), b, A = as, b = b_values, w = w_values);
  EXPECT_GRADIENT(theon::sum(theon::solve(A, B) * B), A, A = as, B = bs);
  EXPECT_GRADIENT(theon::sum(theon::solve(A, B) * B), B, A = as, B = bs);
  // L's upper triangle is not read: its gradient there is 0, as the differences show.
  EXPECT_GRADIENT(theon::sum(w * theon::solve_triangular(A, b)), A, A = as, b = b_values, w = w_values);
  EXPECT_GRADIENT(theon::sum(w * theon::solve_triangular(A, b)), b, A = as, b = b_values, w = w_values);
  EXPECT_GRADIENT(theon::sum(W * theon::tril(A)) + theon::trace(A * A), A, A = as, W = ws);
  EXPECT_GRADIENT(theon::sum(W * theon::diag(w)), w, W = ws, w = w_values);
}

}  // namespace
