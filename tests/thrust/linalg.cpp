// Thrust runner conformance: dot and matmul for every rank combination (and stacks) and
// transposed (strided) operands, gemm, and gradients through products. Under
// nvcc with THEON_CUBLAS these run on cuBLAS; elsewhere on the element kernel.
// The dense routines (cholesky, solve, ...) run on the host on every system.
#include <xtensor/xbuilder.hpp>

#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

constexpr theon::vector<"u"> u;
constexpr theon::vector<"v"> v;
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"B"> B;

TEST(ThrustLinalg, EveryRankCombination) {
  const auto as = random_matrix<double>(33, 47, -1.0, 1.0, 1);
  const auto bs = random_matrix<double>(47, 29, -1.0, 1.0, 2);
  const auto us = random_vector<double>(47, -1.0, 1.0, 3);
  const auto vs = random_vector<double>(33, -1.0, 1.0, 4);
  auto f = theon::function(theon::matmul(A, B), theon::matmul(A, u), theon::matmul(v, A), theon::dot(u, u),
                           theon::outer(v, u));
  expect_runners_agree(f, A = as, B = bs, u = us, v = vs);
}

TEST(ThrustLinalg, TransposedOperandsAreReadThroughStrides) {
  const auto as = random_matrix<double>(20, 30, -1.0, 1.0, 5);
  const auto bs = random_matrix<double>(40, 30, -1.0, 1.0, 6);
  auto f = theon::function(theon::matmul(A, theon::transpose(B)), theon::matmul(theon::transpose(A), A),
                           theon::matmul(theon::transpose(B), theon::transpose(theon::transpose(B))));
  expect_runners_agree(f, A = as, B = bs);
}

TEST(ThrustLinalg, StacksOfMatrices) {
  constexpr theon::tensor<"S", double, 3> S;
  const auto as = random_matrix<double>(12, 7, -1.0, 1.0, 11);
  const auto bs = random_matrix<double>(7, 9, -1.0, 1.0, 12);
  const xt::xtensor<double, 3> ss = xt::stack(xt::xtuple(as, 2.0 * as, -as));  // 3 x 12 x 7
  auto f = theon::function(theon::matmul(S, B), theon::sum(theon::matmul(theon::transpose(S, theon::axes<0, 2, 1>), S)));
  expect_runners_agree(f, S = ss, B = bs);
}

TEST(ThrustLinalg, FloatProducts) {
  constexpr theon::matrix<"F", float> F;
  const auto fs = random_matrix<float>(64, 48, -1.0, 1.0, 7);
  auto f = theon::function(theon::matmul(F, theon::transpose(F)), theon::matmul(theon::transpose(F), F) * 2_c);
  expect_runners_agree(f, F = fs);
}

TEST(ThrustLinalg, GemmScalesAndAddsABroadcastC) {
  const auto as = random_matrix<double>(16, 24, -1.0, 1.0, 8);
  const auto bs = random_matrix<double>(24, 12, -1.0, 1.0, 9);
  const auto cs = random_vector<double>(12, -1.0, 1.0, 10);
  constexpr theon::vector<"c"> c;
  constexpr theon::scalar<"beta"> beta;
  auto f = theon::function(theon::gemm(2_c, A, B, beta, c));
  expect_runners_agree(f, A = as, B = bs, c = cs, beta = -0.5);
}

TEST(ThrustLinalg, TwoLayerNetworkValueAndGradients) {
  constexpr theon::matrix<"X"> X;
  constexpr theon::matrix<"W1"> W1;
  constexpr theon::matrix<"W2"> W2;
  constexpr theon::vector<"b1"> b1;
  constexpr theon::matrix<"Y"> Y;
  const auto xs = random_matrix<double>(32, 16, -1.0, 1.0, 11);
  const auto w1 = random_matrix<double>(16, 24, -0.5, 0.5, 12);
  const auto w2 = random_matrix<double>(24, 4, -0.5, 0.5, 13);
  const auto bias = random_vector<double>(24, -0.1, 0.1, 14);
  const auto ys = random_matrix<double>(32, 4, -1.0, 1.0, 15);
  const auto error = theon::matmul(theon::tanh(theon::matmul(X, W1) + b1), W2) - Y;
  const auto loss = theon::mean(error * error);
  const auto [g1, gb, g2] = theon::grad(loss, W1, b1, W2);
  auto f = theon::function(loss, g1, gb, g2);
  expect_runners_agree(f, X = xs, W1 = w1, b1 = bias, W2 = w2, Y = ys);
}

TEST(ThrustLinalg, MismatchedInnerExtentsAreTheSameError) {
  const auto as = random_matrix<double>(3, 4, -1.0, 1.0, 16);
  const auto bs = random_matrix<double>(5, 2, -1.0, 1.0, 17);
  auto f = theon::function(theon::matmul(A, B));
  auto g = theon::on(thrust::device, f);
  EXPECT_TRUE(shape_error_says([&] { f(A = as, B = bs); }, {"matmul", "inner extents", "[3, 4]", "[5, 2]"}));
  EXPECT_TRUE(shape_error_says([&] { g(A = as, B = bs); }, {"matmul", "inner extents", "[3, 4]", "[5, 2]"}));
}

// A Gaussian log likelihood through the Cholesky factor, with its gradient,
// and the other dense routines on a transposed (strided) operand.
TEST(ThrustLinalg, DenseRoutinesAndTheirGradients) {
  const auto ms = random_matrix<double>(12, 12, -1.0, 1.0, 11);
  xt::xtensor<double, 2> spd = xt::zeros<double>({12, 12});
  for (std::size_t i = 0; i < 12; ++i)
    for (std::size_t j = 0; j < 12; ++j) {
      for (std::size_t k = 0; k < 12; ++k) spd(i, j) += ms(i, k) * ms(j, k);
      if (i == j) spd(i, j) += 12;
    }
  const auto ys = random_vector<double>(12, -1.0, 1.0, 12);
  const auto alpha = theon::solve_triangular(theon::cholesky(A), u);
  const auto nll = 0.5_c * theon::sum(alpha * alpha) + theon::sum(theon::log(theon::diagonal(theon::cholesky(A))));
  auto f = theon::function(nll, theon::grad(nll, A), theon::solve(theon::transpose(A), u), theon::inverse(A),
                           theon::logdet(A) + theon::det(A * 0.5_c), theon::tril(A) + theon::eye_like(A));
  expect_runners_agree(f, A = spd, u = ys);
}

}  // namespace
