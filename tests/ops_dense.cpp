// Dense linear algebra (ops/dense.hpp): values against mpmath 1.3 at 40
// digits (mp.cholesky, mp.lu_solve, mp.inverse, mp.det on the matrices
// below), identities on random matrices, empty matrices, and the errors:
// a matrix that is not positive definite or is singular is a numeric_error
// naming the expression and the pivot, a non-square one a shape_error; NaNs
// propagate and inputs are never modified. Gradients: ops_dense_grad.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "test_support.hpp"

namespace {

constexpr theon::matrix<"A"> A;
constexpr theon::vector<"b"> b;
constexpr theon::matrix<"B"> B;

// Symmetric positive definite, and a matrix whose first pivot is 0 (solve must pivot).
const xt::xtensor<double, 2> spd{{4, 2, 0.4}, {2, 5, 1}, {0.4, 1, 3}};
const xt::xtensor<double, 2> needs_pivoting{{0, 2, 1}, {1, 3, -1}, {2, -1, 4}};
const xt::xtensor<double, 1> rhs{1, 2, 3};

void expect_near(const xt::xtensor<double, 2>& got, const xt::xtensor<double, 2>& want, double tolerance = 1e-14) {
  ASSERT_EQ(got.shape(), want.shape());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_NEAR(got.flat(i), want.flat(i), tolerance) << "entry " << i;
}

TEST(Dense, ValuesMatchMpmath) {
  auto f = theon::function(theon::cholesky(A), theon::solve(A, b), theon::logdet(A), theon::det(A), theon::inverse(A),
                           theon::solve_triangular(theon::cholesky(A), b), theon::trace(A));
  const auto [chol, x, logdet, det, inverse, y, trace] = f(A = spd, b = rhs);
  expect_near(chol, {{2, 0, 0}, {1, 2, 0}, {0.2, 0.4, 1.673320053068151096}});
  expect_near(xt::xtensor<double, 2>(xt::reshape_view(x, {1, 3})), {{0.0625, 0.18928571428571428571, 0.92857142857142857143}});
  EXPECT_NEAR(logdet, 3.8022081394209394776, 1e-14);
  EXPECT_NEAR(det, 44.8, 1e-13);
  expect_near(inverse, {{0.3125, -0.125, 0}, {-0.125, 0.26428571428571428571, -0.071428571428571428571},
                        {0, -0.071428571428571428571, 0.35714285714285714286}});
  expect_near(xt::xtensor<double, 2>(xt::reshape_view(y, {1, 3})), {{0.5, 0.75, 1.553797192134711732}});
  EXPECT_DOUBLE_EQ(trace, 12);

  auto g = theon::function(theon::solve(A, b), theon::det(A));
  const auto [pivoted, det_pivoted] = g(A = needs_pivoting, b = rhs);
  EXPECT_NEAR(pivoted(0), 1.1578947368421052632, 1e-14);
  EXPECT_NEAR(pivoted(1), 0.36842105263157894737, 1e-14);
  EXPECT_NEAR(pivoted(2), 0.26315789473684210526, 1e-14);
  EXPECT_NEAR(det_pivoted, -19, 1e-13);  // an odd permutation
}

// M M^T + n I for a random n x n M: symmetric positive definite.
xt::xtensor<double, 2> random_spd(std::size_t n, unsigned seed) {
  const auto entries = theon_test::random_vector<double>(n * n, -1, 1, seed);
  xt::xtensor<double, 2> a = xt::zeros<double>({n, n});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      for (std::size_t k = 0; k < n; ++k) a(i, j) += entries(i * n + k) * entries(j * n + k);
      if (i == j) a(i, j) += static_cast<double>(n);
    }
  return a;
}

xt::xtensor<double, 2> product(const xt::xtensor<double, 2>& x, const xt::xtensor<double, 2>& y, bool transpose_y = false) {
  xt::xtensor<double, 2> out = xt::zeros<double>({x.shape(0), transpose_y ? y.shape(0) : y.shape(1)});
  for (std::size_t i = 0; i < out.shape(0); ++i)
    for (std::size_t j = 0; j < out.shape(1); ++j)
      for (std::size_t k = 0; k < x.shape(1); ++k) out(i, j) += x(i, k) * (transpose_y ? y(j, k) : y(k, j));
  return out;
}

// On a random symmetric positive definite matrix: L L^T = A with L lower
// triangular, A X = B, A A^-1 = I, logdet = 2 sum(log(diagonal(L))),
// det = exp(logdet); diag, diagonal, tril and eye_like by their definitions.
TEST(Dense, IdentitiesOnARandomMatrix) {
  constexpr std::size_t n = 7;
  const auto a = random_spd(n, 1);
  const auto entries = theon_test::random_vector<double>(n * 3, -2, 2, 2);
  xt::xtensor<double, 2> bs = xt::xtensor<double, 2>::from_shape({n, 3});
  std::copy(entries.begin(), entries.end(), bs.begin());
  auto f = theon::function(theon::cholesky(A), theon::solve(A, B), theon::inverse(A), theon::logdet(A), theon::det(A),
                           theon::sum(theon::log(theon::diagonal(theon::cholesky(A)))), theon::tril(B),
                           theon::diag(theon::diagonal(A)), theon::eye_like(A), A - theon::eye<n>() * theon::lit<2>{});
  const auto [l, x, inverse, logdet, det, half_logdet, lower, diagonal_part, identity, shifted] = f(A = a, B = bs);
  const xt::xtensor<double, 2> eye = xt::eye<double>(n);
  expect_near(product(l, l, true), a, 1e-12);
  expect_near(l, xt::tril(l), 0);
  expect_near(product(a, x), bs, 1e-12);
  expect_near(product(a, inverse), eye, 1e-12);
  EXPECT_NEAR(logdet, 2 * half_logdet, 1e-12);
  EXPECT_NEAR(det, std::exp(logdet), 1e-12 * det);
  expect_near(lower, xt::tril(bs), 0);
  expect_near(diagonal_part, a * eye, 0);
  expect_near(identity, eye, 0);
  expect_near(shifted, a - 2.0 * eye, 0);
  static_assert(std::is_same_v<decltype(theon::eye<n>()), theon::node<theon::eye_op<n, double>>>);
  static_assert(theon::static_shape_t<decltype(theon::eye<4, float>())>::extents[0] == 4);
  // A constant: its derivative is zero, and what is multiplied by it keeps only its diagonal.
  const xt::xtensor<double, 2> g = theon_test::eval(theon::grad(theon::sum(A * theon::eye<n>()), A), A = a);
  expect_near(g, eye, 0);
}

// From order 32, cholesky and the triangular solves run on LAPACK and BLAS
// where the build has them (backend/cpu/dense_blas.hpp): the same factors and
// solutions as the op's own loops, and the same errors.
TEST(Dense, LargeMatricesAgreeWithTheOwnRoutines) {
  constexpr std::size_t n = 48;
  const auto a = random_spd(n, 3);
  xt::xtensor<double, 2> lopsided = a;
  lopsided(3, 1) += 0.5;  // the symmetric part is factored, whichever triangle the data is in
  const auto entries = theon_test::random_vector<double>(n * 5, -2, 2, 4);
  xt::xtensor<double, 2> bs = xt::xtensor<double, 2>::from_shape({n, 5});
  std::copy(entries.begin(), entries.end(), bs.begin());
  const auto L = theon::cholesky(A);
  auto f = theon::function(L, theon::solve_triangular(L, B), theon::solve_triangular(L, theon::transpose(B)(theon::index<0>)));
  const auto [l, x, x_vector] = f(A = lopsided, B = bs);
  xt::xtensor<double, 2> own = xt::xtensor<double, 2>::from_shape({n, n});
  const theon::strided<const double, 2> view{lopsided.data(), {n, n}, {static_cast<std::ptrdiff_t>(n), 1}};
  theon::cholesky_op::compute(own.data(), view);
  expect_near(l, own, 1e-12);
  expect_near(product(l, x), bs, 1e-12);
  for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(x_vector(i), x(i, 0), 1e-12);
  xt::xtensor<double, 2> indefinite = a;
  indefinite(40, 40) = -1;
  try {
    theon_test::eval(theon::cholesky(A), A = indefinite);
    ADD_FAILURE() << "no numeric_error";
  } catch (const theon::numeric_error& e) {
    EXPECT_NE(std::string(e.what()).find("not positive definite (pivot 40 of 48"), std::string::npos) << e.what();
  }
  xt::xtensor<double, 2> zero_pivot = l;
  zero_pivot(20, 20) = 0;
  try {
    theon_test::eval(theon::solve_triangular(A, B), A = zero_pivot, B = bs);
    ADD_FAILURE() << "no numeric_error";
  } catch (const theon::numeric_error& e) {
    EXPECT_NE(std::string(e.what()).find("singular (pivot 20 of 48 is 0)"), std::string::npos) << e.what();
  }
}

// cholesky factors the symmetric part: the upper triangle counts as much as the lower.
TEST(Dense, CholeskyFactorsTheSymmetricPart) {
  xt::xtensor<double, 2> lopsided = spd;
  lopsided(0, 1) += 1;
  lopsided(1, 0) -= 1;
  expect_near(theon_test::eval(theon::cholesky(A), A = lopsided), theon_test::eval(theon::cholesky(A), A = spd));
}

TEST(Dense, EmptyMatrices) {
  const xt::xtensor<double, 2> empty = xt::zeros<double>({0, 0});
  auto f = theon::function(theon::cholesky(A), theon::logdet(A), theon::det(A), theon::inverse(A));
  const auto [l, logdet, det, inverse] = f(A = empty);
  EXPECT_EQ(l.size(), 0u);
  EXPECT_EQ(logdet, 0.0);  // the empty product is 1
  EXPECT_EQ(det, 1.0);
  EXPECT_EQ(inverse.size(), 0u);
}

// ------------------------------------------------------------------- errors

TEST(Dense, NotPositiveDefiniteOrSingularIsANumericError) {
  const xt::xtensor<double, 2> indefinite{{1, 2, 0}, {2, 1, 0}, {0, 0, 1}};
  const xt::xtensor<double, 2> singular{{1, 2, 3}, {2, 4, 6}, {1, 0, 1}};
  const xt::xtensor<double, 2> indefinite_before = indefinite, singular_before = singular;
  try {
    theon_test::eval(theon::cholesky(A), A = indefinite);
    ADD_FAILURE() << "no numeric_error";
  } catch (const theon::numeric_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "theon::function: cannot evaluate `cholesky(A)`: theon::cholesky: the matrix is not positive definite "
              "(pivot 1 of 3 is -3)");
  }
  for (auto solve : {+[](const xt::xtensor<double, 2>& m) { theon_test::eval(theon::solve(A, b), A = m, b = rhs); },
                     +[](const xt::xtensor<double, 2>& m) { theon_test::eval(theon::inverse(A), A = m); }}) {
    try {
      solve(singular);
      ADD_FAILURE() << "no numeric_error";
    } catch (const theon::numeric_error& e) {
      EXPECT_NE(std::string(e.what()).find("the matrix is singular (pivot 2 of 3 is 0"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(theon_test::eval(theon::solve_triangular(A, b), A = xt::xtensor<double, 2>{{1, 0, 0}, {1, 0, 0}, {1, 1, 1}},
                                b = rhs),
               theon::numeric_error);
  // A singular matrix has a determinant: 0, and log 0.
  EXPECT_EQ(theon_test::eval(theon::det(A), A = singular), 0.0);
  EXPECT_EQ(theon_test::eval(theon::logdet(A), A = singular), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(indefinite, indefinite_before);
  EXPECT_EQ(singular, singular_before);
}

TEST(Dense, NonSquareIsAShapeError) {
  using theon_test::shape_error_says;
  const xt::xtensor<double, 2> wide = xt::ones<double>({2, 3});
  EXPECT_TRUE(shape_error_says([&] { theon_test::eval(theon::cholesky(A), A = wide); },
                               {"cholesky", "the matrix is not square", "A: [2, 3]"}));
  EXPECT_TRUE(shape_error_says([&] { theon_test::eval(theon::solve(A, b), A = spd, b = xt::xtensor<double, 1>{1, 2}); },
                               {"solve", "B's rows differ from A's", "A: [3, 3]", "b: [2]"}));
}

TEST(Dense, NaNsPropagate) {
  xt::xtensor<double, 2> with_nan = spd;
  with_nan(2, 2) = std::numeric_limits<double>::quiet_NaN();
  auto f = theon::function(theon::cholesky(A), theon::solve(A, b), theon::logdet(A));
  const auto [l, x, logdet] = f(A = with_nan, b = rhs);
  EXPECT_TRUE(std::isnan(l(2, 2)));
  EXPECT_EQ(l(0, 0), 2.0);  // the rows before the NaN are unaffected
  EXPECT_TRUE(std::isnan(x(2)));
  EXPECT_TRUE(std::isnan(logdet));
}

}  // namespace
