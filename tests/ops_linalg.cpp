// Value tests of theon's linear algebra against a plain triple loop: dot and
// matmul for every rank combination (vector-vector, matrix-vector,
// vector-matrix, matrix-matrix) in float, double, int32 and int64, with
// transposed operands (theon::transpose and transposed inputs), outer,
// transpose with a permutation, and inner-extent mismatches (stacks of
// matrices: ops_linalg_stacks.cpp).
#include <gtest/gtest.h>

#include <type_traits>

#include <xtensor/xmanipulation.hpp>
#include <xtensor/xview.hpp>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon::int32;
using theon::int64;
using theon_test::all_close;
using theon_test::all_equal;
using theon_test::eval;
using theon_test::random;
using theon_test::random_matrix;
using theon_test::random_vector;
using theon_test::ref_array;

// NumPy's matmul for ranks 1 and 2, in long double: a vector is a row on the
// left and a column on the right, and its axis is dropped from the result.
template <class A, class B>
ref_array<long double> matmul_ref(const A& a, const B& b) {
  const auto sa = theon_test::shape_of(a), sb = theon_test::shape_of(b);
  const auto va = theon_test::long_values(a), vb = theon_test::long_values(b);
  const std::size_t m = sa.size() == 2 ? sa[0] : 1, n = sa.back();
  const std::size_t p = sb.size() == 2 ? sb[1] : 1;
  EXPECT_EQ(n, sb[0]) << "reference: inner extents differ";
  ref_array<long double> out;
  if (sa.size() == 2) out.shape.push_back(m);
  if (sb.size() == 2) out.shape.push_back(p);
  out.values.assign(m * p, 0.0L);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t k = 0; k < n; ++k) out.values[i * p + j] += va[i * n + k] * vb[k * p + j];
  return out;
}

// A copy of a matrix, transposed.
template <class T>
xt::xtensor<T, 2> transposed(const xt::xtensor<T, 2>& a) {
  return xt::transpose(a);
}

// Tolerance for a product with inner extent n of values in [-1, 1].
template <class T>
double ptol(std::size_t n) {
  return theon_test::tol<T>() * static_cast<double>(n + 1);
}

// --------------------------------------------------------- every rank pair ----

template <class T>
class Linalg : public ::testing::Test {};
using LinalgDtypes = ::testing::Types<float, double, int32, int64>;
TYPED_TEST_SUITE(Linalg, LinalgDtypes);

template <class T>
xt::xtensor<T, 2> values2(std::size_t n, std::size_t m, unsigned seed) {
  return std::is_integral_v<T> ? random_matrix<T>(n, m, -100, 100, seed) : random_matrix<T>(n, m, -1, 1, seed);
}
template <class T>
xt::xtensor<T, 1> values1(std::size_t n, unsigned seed) {
  return std::is_integral_v<T> ? random_vector<T>(n, -100, 100, seed) : random_vector<T>(n, -1, 1, seed);
}

// (n)(n) -> (), (m, n)(n) -> (m), (n)(n, p) -> (p), (m, n)(n, p) -> (m, p); sizes
// not multiples of the SIMD width, so vector bodies and scalar tails both run.
TYPED_TEST(Linalg, MatmulEveryRankPair) {
  using T = TypeParam;
  constexpr theon::vector<"u", T> u;
  constexpr theon::vector<"v", T> v;
  constexpr theon::matrix<"A", T> A;
  constexpr theon::matrix<"B", T> B;
  const std::size_t m = 13, n = 37, p = 19;
  const auto us = values1<T>(n, 1), vs = values1<T>(n, 2);
  const auto As = values2<T>(m, n, 3), Bs = values2<T>(n, p, 4);
  auto uv = eval(dot(u, v), u = us, v = vs);
  auto Av = eval(matmul(A, v), A = As, v = vs);
  auto uB = eval(matmul(u, B), u = us, B = Bs);
  auto AB = eval(matmul(A, B), A = As, B = Bs);
  static_assert(std::is_same_v<decltype(uv), T>);
  static_assert(std::is_same_v<decltype(Av), xt::xtensor<T, 1>>);
  static_assert(std::is_same_v<decltype(uB), xt::xtensor<T, 1>>);
  static_assert(std::is_same_v<decltype(AB), xt::xtensor<T, 2>>);
  const double tol = ptol<T>(n);
  EXPECT_TRUE(theon_test::close(uv, static_cast<double>(matmul_ref(us, vs).values[0]), tol));
  EXPECT_TRUE(all_close(Av, matmul_ref(As, vs), tol));
  EXPECT_TRUE(all_close(uB, matmul_ref(us, Bs), tol));
  EXPECT_TRUE(all_close(AB, matmul_ref(As, Bs), tol));
  // Degenerate extents: 1 (xtensor gives such axes stride 0) and an empty inner extent.
  const auto A1 = values2<T>(1, n, 5), B1 = values2<T>(n, 1, 6);
  EXPECT_TRUE(all_close(eval(matmul(A, B), A = A1, B = B1), matmul_ref(A1, B1), tol));
  EXPECT_TRUE(all_close(eval(matmul(A, B), A = B1, B = A1), matmul_ref(B1, A1), tol));
  const auto u1 = values1<T>(1, 7), v1 = values1<T>(1, 8);
  EXPECT_TRUE(theon_test::close(eval(dot(u, v), u = u1, v = v1), static_cast<double>(u1(0) * v1(0)), tol));
  const xt::xtensor<T, 2> a30 = xt::zeros<T>({3, 0}), b04 = xt::zeros<T>({0, 4});
  EXPECT_TRUE(all_equal(eval(matmul(A, B), A = a30, B = b04), xt::xtensor<T, 2>(xt::zeros<T>({3, 4}))));
}

// matmul of transposed operands: through theon::transpose and through transposed inputs.
TYPED_TEST(Linalg, TransposedOperands) {
  using T = TypeParam;
  constexpr theon::matrix<"A", T> A;
  constexpr theon::matrix<"B", T> B;
  const std::size_t m = 11, n = 29, p = 17;
  const auto As = values2<T>(n, m, 11), Bs = values2<T>(n, p, 12);  // A is stored transposed
  auto AtB = eval(matmul(transpose(A), B), A = As, B = Bs);
  static_assert(std::is_same_v<decltype(AtB), xt::xtensor<T, 2>>);
  EXPECT_TRUE(all_close(AtB, matmul_ref(transposed(As), Bs), ptol<T>(n)));
  // The plain kernel reading a transposed xtensor view in place.
  const auto view = xt::transpose(As);
  EXPECT_TRUE(all_close(eval(matmul(A, B), A = view, B = Bs), matmul_ref(transposed(As), Bs), ptol<T>(n)));
}

// Every transposition of both operands, at a size where float and double
// products go to BLAS (gemm, with THEON_CBLAS): no-transpose and transpose layouts,
// transposed views read in place, and a column slice (leading dimension
// larger than the row).
TYPED_TEST(Linalg, EveryLayoutOfALargeProduct) {
  using T = TypeParam;
  constexpr theon::matrix<"A", T> A;
  constexpr theon::matrix<"B", T> B;
  const std::size_t m = 33, n = 45, p = 27;
  const auto As = values2<T>(m, n, 21), Bs = values2<T>(n, p, 22);
  const auto At = transposed(As), Bt = transposed(Bs);
  const auto want = matmul_ref(As, Bs);
  const double tol = ptol<T>(n);
  EXPECT_TRUE(all_close(eval(matmul(transpose(A), B), A = At, B = Bs), want, tol));
  EXPECT_TRUE(all_close(eval(matmul(A, transpose(B)), A = As, B = Bt), want, tol));
  EXPECT_TRUE(all_close(eval(matmul(transpose(A), transpose(B)), A = At, B = Bt), want, tol));
  EXPECT_TRUE(all_close(eval(matmul(A, B), A = xt::transpose(At), B = xt::transpose(Bt)), want, tol));
  const auto wide = values2<T>(m, n + 7, 23);
  const auto left = xt::view(wide, xt::all(), xt::range(0, n));
  EXPECT_TRUE(all_close(eval(matmul(A, B), A = left, B = Bs), matmul_ref(xt::xtensor<T, 2>(left), Bs), tol));
}

// Matrix-vector and vector-matrix products large enough for BLAS (gemv there):
// both orientations of the matrix and a vector read with a step of 2.
TYPED_TEST(Linalg, LargeMatrixVectorProducts) {
  using T = TypeParam;
  constexpr theon::matrix<"A", T> A;
  constexpr theon::vector<"u", T> u;
  constexpr theon::vector<"v", T> v;
  const std::size_t m = 70, n = 80;
  const auto As = values2<T>(m, n, 31), At = transposed(As);
  const auto us = values1<T>(n, 32), vs = values1<T>(m, 33);
  const double tol = ptol<T>(n);
  const auto Au = matmul_ref(As, us), vA = matmul_ref(vs, As);
  EXPECT_TRUE(all_close(eval(matmul(A, u), A = As, u = us), Au, tol));
  EXPECT_TRUE(all_close(eval(matmul(transpose(A), u), A = At, u = us), Au, tol));
  EXPECT_TRUE(all_close(eval(matmul(v, A), v = vs, A = As), vA, tol));
  EXPECT_TRUE(all_close(eval(matmul(v, transpose(A)), v = vs, A = At), vA, tol));
  const auto spread = values1<T>(2 * n, 34);
  const auto every_other = xt::view(spread, xt::range(0, 2 * n, 2));
  EXPECT_TRUE(all_close(eval(matmul(A, u), A = As, u = every_other), matmul_ref(As, xt::xtensor<T, 1>(every_other)), tol));
}

// ------------------------------------------------------------- double only ----

// dot agrees with matmul on ranks 1 and 2; matmul of two vectors is their dot.
TEST(LinalgDouble, DotEveryRankPair) {
  constexpr theon::vector<"u"> u;
  constexpr theon::vector<"v"> v;
  constexpr theon::matrix<"A"> A;
  constexpr theon::matrix<"B"> B;
  const std::size_t m = 9, n = 21, p = 10;
  const auto us = values1<double>(n, 21), vs = values1<double>(n, 22);
  const auto As = values2<double>(m, n, 23), Bs = values2<double>(n, p, 24);
  auto Av = eval(dot(A, v), A = As, v = vs);
  auto uB = eval(dot(u, B), u = us, B = Bs);
  auto AB = eval(dot(A, B), A = As, B = Bs);
  auto uv = eval(matmul(u, v), u = us, v = vs);
  static_assert(std::is_same_v<decltype(Av), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(AB), xt::xtensor<double, 2>>);
  static_assert(std::is_same_v<decltype(uv), double>);
  const double tol = ptol<double>(n);
  EXPECT_TRUE(all_close(Av, matmul_ref(As, vs), tol));
  EXPECT_TRUE(all_close(uB, matmul_ref(us, Bs), tol));
  EXPECT_TRUE(all_close(AB, matmul_ref(As, Bs), tol));
  EXPECT_TRUE(theon_test::close(uv, static_cast<double>(matmul_ref(us, vs).values[0]), tol));
}

// Every placement of a transpose, and transposed inputs bound to the plain kernels.
TEST(LinalgDouble, TransposePlacements) {
  constexpr theon::vector<"u"> u;
  constexpr theon::vector<"v"> v;
  constexpr theon::matrix<"A"> A;
  constexpr theon::matrix<"B"> B;
  const std::size_t m = 12, n = 33, p = 15;
  const auto Ast = values2<double>(n, m, 31);  // stored transposed: transpose(A) is (m, n)
  const auto Bst = values2<double>(p, n, 32);  // stored transposed: transpose(B) is (n, p)
  const auto As = transposed(Ast), Bs = transposed(Bst);
  const auto us = values1<double>(m, 33), vs = values1<double>(n, 34);
  const double tol = ptol<double>(n);
  EXPECT_TRUE(all_close(eval(matmul(A, transpose(B)), A = As, B = Bst), matmul_ref(As, Bs), tol));
  EXPECT_TRUE(all_close(eval(matmul(transpose(A), transpose(B)), A = Ast, B = Bst), matmul_ref(As, Bs), tol));
  EXPECT_TRUE(all_close(eval(dot(transpose(A), v), A = Ast, v = vs), matmul_ref(As, vs), tol));
  EXPECT_TRUE(all_close(eval(matmul(u, transpose(A)), u = vs, A = As), matmul_ref(vs, Ast), tol));
  // Transposed inputs (strided views) into kernels of the plain products.
  const auto At = xt::transpose(Ast), Bt = xt::transpose(Bst);
  EXPECT_TRUE(all_close(eval(matmul(A, B), A = At, B = Bt), matmul_ref(As, Bs), tol));
  EXPECT_TRUE(all_close(eval(matmul(A, B), A = As, B = Bt), matmul_ref(As, Bs), tol));
  EXPECT_TRUE(all_close(eval(dot(A, v), A = At, v = vs), matmul_ref(As, vs), tol));
  EXPECT_TRUE(all_close(eval(dot(u, B), u = vs, B = Bt), matmul_ref(vs, Bs), tol));
  (void)us;
}

// Products inside expressions: an elementwise operand, a bias and tanh after it, a transposed product.
TEST(LinalgDouble, ProductInsideExpressions) {
  constexpr theon::matrix<"X"> X;
  constexpr theon::matrix<"W"> W;
  constexpr theon::vector<"b"> b;
  const auto Xs = values2<double>(16, 24, 41), Ws = values2<double>(24, 10, 42);
  const auto bs = values1<double>(10, 43);
  // (X * 2 is materialised for the contraction to read)
  auto y = eval(tanh(matmul(X * 2_c, W) + b), X = Xs, W = Ws, b = bs);
  const auto XW = matmul_ref(Xs, Ws);
  auto want = theon_test::map2<double>(XW, bs, [](long double s, double c) { return std::tanh(double(2 * s) + c); });
  EXPECT_TRUE(all_close(y, want, 1e-12, 1e-12));
  // transpose of a product: (X W)^T read through a view of the product's memory.
  auto yt = eval(transpose(matmul(X, W)) * 2_c, X = Xs, W = Ws);
  ASSERT_EQ(yt.shape(0), 10u);
  ASSERT_EQ(yt.shape(1), 16u);
  auto want_t = XW;
  want_t.shape = {10, 16};
  for (std::size_t i = 0; i < 16; ++i)
    for (std::size_t j = 0; j < 10; ++j) want_t.values[j * 16 + i] = 2 * XW.values[i * 10 + j];
  EXPECT_TRUE(all_close(yt, want_t, 1e-12, 1e-12));
}

// Large enough for the contraction to split rows over threads; one thread agrees.
TEST(LinalgDouble, LargeMatchesSingleThread) {
  constexpr theon::matrix<"A"> A;
  constexpr theon::matrix<"B"> B;
  const auto As = values2<double>(203, 157, 51), Bs = values2<double>(157, 171, 52);
  auto f = theon::function(matmul(A, B));
  const auto want = matmul_ref(As, Bs);
  EXPECT_TRUE(all_close(f(A = As, B = Bs), want, ptol<double>(157)));
  f.threads(1);
  EXPECT_TRUE(all_close(f(A = As, B = Bs), want, ptol<double>(157)));
  f.threads(3);
  EXPECT_TRUE(all_close(f(A = As, B = Bs), want, ptol<double>(157)));
}

// ---------------------------------------------------------------- outer ----

TEST(LinalgOuter, DoubleAndInt) {
  constexpr theon::vector<"u"> u;
  constexpr theon::vector<"v"> v;
  constexpr theon::vector<"i", int32> i;
  constexpr theon::vector<"j", int32> j;
  const auto us = values1<double>(7, 61), vs = values1<double>(23, 62);
  auto o = eval(outer(u, v), u = us, v = vs);
  static_assert(std::is_same_v<decltype(o), xt::xtensor<double, 2>>);
  ASSERT_EQ(o.shape(0), 7u);
  ASSERT_EQ(o.shape(1), 23u);
  for (std::size_t a = 0; a < 7; ++a)
    for (std::size_t c = 0; c < 23; ++c) EXPECT_EQ(o(a, c), us(a) * vs(c));
  const auto is = values1<int32>(5, 63), js = values1<int32>(3, 64);
  auto oi = eval(outer(i, j), i = is, j = js);
  static_assert(std::is_same_v<decltype(oi), xt::xtensor<int32, 2>>);
  ASSERT_EQ(oi.shape(0), 5u);
  ASSERT_EQ(oi.shape(1), 3u);
  for (std::size_t a = 0; a < 5; ++a)
    for (std::size_t b = 0; b < 3; ++b) EXPECT_EQ(oi(a, b), is(a) * js(b));
}

// ------------------------------------------------------------ transpose ----

// Rank 3 with an explicit permutation: out axis k is in axis perm[k].
TEST(LinalgTranspose, Rank3Permutations) {
  constexpr theon::tensor<"T", double, 3> T;
  constexpr theon::tensor<"S", double, 3> S;
  const auto Ts = random<double, 3>({3, 4, 5}, -1, 1, 71);
  auto check = [&](const auto& got, std::array<std::size_t, 3> perm) {
    const xt::xtensor<double, 3> want = xt::transpose(Ts, {perm[0], perm[1], perm[2]});
    return all_equal(got, want);
  };
  EXPECT_TRUE(check(eval(transpose(T, theon::axes<1, 0, 2>), T = Ts), {1, 0, 2}));
  EXPECT_TRUE(check(eval(transpose(T, theon::axes<2, 0, 1>), T = Ts), {2, 0, 1}));
  EXPECT_TRUE(check(eval(transpose(T, theon::axes<0, 2, 1>), T = Ts), {0, 2, 1}));
  EXPECT_TRUE(check(eval(transpose(T, theon::axes<-1, 0, 1>), T = Ts), {2, 0, 1}));  // negative axes
  EXPECT_TRUE(check(eval(transpose(T), T = Ts), {2, 1, 0}));                         // reversed
  // A permuted view read by an elementwise loop (non-unit strides along its rows).
  const auto Ss = random<double, 3>({5, 3, 4}, -1, 1, 72);
  auto sum = eval(transpose(T, theon::axes<2, 0, 1>) + S, T = Ts, S = Ss);
  const xt::xtensor<double, 3> want = xt::transpose(Ts, {2, 0, 1}) + Ss;
  EXPECT_TRUE(all_equal(sum, want));
  // A larger one, so that the rows are longer than a SIMD batch.
  const auto Tb = random<double, 3>({2, 3, 40}, -1, 1, 73);
  const auto Sb = random<double, 3>({40, 2, 3}, -1, 1, 74);
  const xt::xtensor<double, 3> want_b = xt::transpose(Tb, {2, 0, 1}) + Sb;
  EXPECT_TRUE(all_equal(eval(transpose(T, theon::axes<2, 0, 1>) + S, T = Tb, S = Sb), want_b));
}

TEST(LinalgTranspose, MatrixTransposeIsACopy) {
  constexpr theon::matrix<"A", int64> A;
  const auto As = values2<int64>(6, 11, 81);
  auto t = eval(transpose(A), A = As);
  static_assert(std::is_same_v<decltype(t), xt::xtensor<int64, 2>>);
  EXPECT_TRUE(all_equal(t, transposed(As)));
}

// --------------------------------------------------------------- errors ----

TEST(LinalgErrors, InnerExtentMismatchThrows) {
  constexpr theon::vector<"u"> u;
  constexpr theon::vector<"v"> v;
  constexpr theon::matrix<"A"> A;
  constexpr theon::matrix<"B"> B;
  const xt::xtensor<double, 2> a23 = xt::zeros<double>({2, 3}), b45 = xt::zeros<double>({4, 5});
  const xt::xtensor<double, 1> u3 = xt::zeros<double>({3}), v4 = xt::zeros<double>({4});
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(matmul(A, B), A = a23, B = b45); },
                                           {"matmul", "A: [2, 3]", "B: [4, 5]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(dot(u, v), u = u3, v = v4); }, {"dot", "u: [3]", "v: [4]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(dot(A, v), A = a23, v = v4); }, {"dot", "A: [2, 3]", "v: [4]"}));
  // transpose(A) is (3, 2): the inner extents are 2 and 4.
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(matmul(transpose(A), B), A = a23, B = b45); },
                                           {"matmul", "[3, 2]", "B: [4, 5]"}));
}

}  // namespace
