// Value tests of theon's elementwise ops against std:: references on random
// inputs: arithmetic, comparisons, choices, casts, literals, dtype promotion
// and broadcasting (with run-time shape errors). The float and double math
// functions are in ops_elementwise_math.cpp (a file each keeps either under
// the compile budget).
//
// Each distinct expression instantiates a kernel, so each test compiles one
// output per function (theon_test::eval) and the expressions are chosen to
// cover every op and dtype with as few kernels as possible.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon::int32;
using theon::int64;
using theon_test::all_close;
using theon_test::all_equal;
using theon_test::arith_t;
using theon_test::eval;
using theon_test::floating_t;
using theon_test::map;
using theon_test::map2;
using theon_test::random;
using theon_test::random_vector;
using theon_test::tol;

// ------------------------------------------------------------- every dtype ----

template <class T>
class ElementwiseDtype : public ::testing::Test {};
using AllDtypes = ::testing::Types<float, double, int32, int64, bool>;
TYPED_TEST_SUITE(ElementwiseDtype, AllDtypes);

// + - * and unary - (and square): bool operands count in int32. The dtype of
// every subexpression is checked statically, the values through one kernel.
TYPED_TEST(ElementwiseDtype, AddSubMulNegSquare) {
  using T = TypeParam;
  using A = arith_t<T>;
  constexpr theon::vector<"x", T> x;
  constexpr theon::vector<"y", T> y;
  static_assert(std::is_same_v<theon::dtype_t<decltype(x - y)>, A>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(x * y)>, A>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(-x)>, A>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(square(x))>, A>);
  const auto xs = random_vector<T>(37, -1000, 1000, 11);
  const auto ys = random_vector<T>(37, -1000, 1000, 12);
  static_assert(std::is_same_v<theon::dtype_t<decltype(x + y)>, A>);
  auto m = eval((x - y) * x - square(-y) + x, x = xs, y = ys);
  static_assert(std::is_same_v<decltype(m), xt::xtensor<A, 1>>);
  EXPECT_TRUE(all_close(m, map2<A>(xs, ys, [](T a, T b) {
                          const A d = A(A(a) - A(b)), p = A(d * A(a)), n = A(-A(b));
                          return A(A(p - A(n * n)) + A(a));
                        }),
                        tol<A>()));
}

// True division: integers and bools divide in double.
TYPED_TEST(ElementwiseDtype, TrueDivision) {
  using T = TypeParam;
  using F = floating_t<T>;
  constexpr theon::vector<"x", T> x;
  constexpr theon::vector<"y", T> y;
  const auto xs = random_vector<T>(41, -100, 100, 21);
  // bool divisors may be false: x / 0 gives inf or NaN, as IEEE division does.
  xt::xtensor<T, 1> ys;
  if constexpr (std::is_same_v<T, bool>) ys = random_vector<T>(41, 0, 1, 22);
  else ys = theon_test::random_nonzero<T, 1>({41}, 1, 100, 22);
  auto q = eval(x / y, x = xs, y = ys);
  static_assert(std::is_same_v<decltype(q), xt::xtensor<F, 1>>);
  EXPECT_TRUE(all_close(q, map2<F>(xs, ys, [](T a, T b) { return F(a) / F(b); }), tol<F>()));
}

// Comparisons give bool in every dtype: < everywhere, all six for double
// (SIMD masks; the scalar path is the same template), to keep the kernel count down.
TYPED_TEST(ElementwiseDtype, Comparisons) {
  using T = TypeParam;
  constexpr theon::vector<"x", T> x;
  constexpr theon::vector<"y", T> y;
  // Small integral values, so that ties (== and the <= / >= edges) occur.
  const xt::xtensor<T, 1> xs = xt::cast<T>(random_vector<int32>(50, -2, 2, 31));
  const xt::xtensor<T, 1> ys = xt::cast<T>(random_vector<int32>(50, -2, 2, 32));
  static_assert(std::is_same_v<theon::dtype_t<decltype(x == y)>, bool>);
  auto lt = eval(x < y, x = xs, y = ys);
  static_assert(std::is_same_v<decltype(lt), xt::xtensor<bool, 1>>);
  EXPECT_TRUE(all_equal(lt, map2<bool>(xs, ys, [](T a, T b) { return a < b; })));
  if constexpr (std::is_same_v<T, double>) {
    EXPECT_TRUE(all_equal(eval(x == y, x = xs, y = ys), map2<bool>(xs, ys, [](T a, T b) { return a == b; })));
    EXPECT_TRUE(all_equal(eval(x <= y, x = xs, y = ys), map2<bool>(xs, ys, [](T a, T b) { return a <= b; })));
    EXPECT_TRUE(all_equal(eval(x > y, x = xs, y = ys), map2<bool>(xs, ys, [](T a, T b) { return a > b; })));
    EXPECT_TRUE(all_equal(eval(x >= y, x = xs, y = ys), map2<bool>(xs, ys, [](T a, T b) { return a >= b; })));
    EXPECT_TRUE(all_equal(eval(x != y, x = xs, y = ys), map2<bool>(xs, ys, [](T a, T b) { return a != b; })));
  }
}

TYPED_TEST(ElementwiseDtype, MaximumMinimumWhere) {
  using T = TypeParam;
  constexpr theon::vector<"x", T> x;
  constexpr theon::vector<"y", T> y;
  constexpr theon::vector<"c", bool> c;
  static_assert(std::is_same_v<theon::dtype_t<decltype(maximum(x, y))>, T>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(minimum(x, y))>, T>);
  const auto xs = random_vector<T>(37, -100, 100, 41);
  const auto ys = random_vector<T>(37, -100, 100, 42);
  const auto cs = random_vector<bool>(37, 0, 1, 43);
  auto w = eval(where(c, maximum(x, y), minimum(x, y)), x = xs, y = ys, c = cs);
  static_assert(std::is_same_v<decltype(w), xt::xtensor<T, 1>>);
  auto want = map2<T>(xs, ys, [](T a, T b) { return std::max(a, b); });
  for (std::size_t i = 0; i < want.size(); ++i)
    if (!cs(i)) want[i] = std::min(xs(i), ys(i));
  EXPECT_TRUE(all_equal(w, want));
}

// Casts follow C++ conversions: truncation toward zero, nonzero -> true. Six
// casts: every dtype as a target; float, double, int64 and bool as sources
// (int32 operands are converted by the promotion tests below).
TEST(ElementwiseCast, EveryDtype) {
  constexpr theon::vector<"x"> x;
  constexpr theon::vector<"f", float> f;
  constexpr theon::vector<"k", int64> k;
  constexpr theon::vector<"b", bool> b;
  auto xs = random_vector<double>(33, -3e9, 3e9, 65);
  xs(0) = 0.0;
  xs(1) = 0.25;
  xs(2) = -2.75;
  auto fs = random_vector<float>(33, -1000, 1000, 66);
  fs(0) = -2.75f;
  fs(1) = 2.75f;
  auto ks = random_vector<int64>(33, -(int64(1) << 60), int64(1) << 60, 67);
  const auto bs = random_vector<bool>(33, 0, 1, 68);
  auto xf = eval(theon::cast<float>(x), x = xs);
  auto xl = eval(theon::cast<int64>(x), x = xs);
  auto xb = eval(theon::cast<bool>(x), x = xs);
  auto fi = eval(theon::cast<int32>(f), f = fs);
  auto kd = eval(theon::cast<double>(k), k = ks);
  auto bi = eval(theon::cast<int32>(b), b = bs);
  static_assert(std::is_same_v<decltype(xf), xt::xtensor<float, 1>>);
  static_assert(std::is_same_v<decltype(xl), xt::xtensor<int64, 1>>);
  static_assert(std::is_same_v<decltype(xb), xt::xtensor<bool, 1>>);
  static_assert(std::is_same_v<decltype(fi), xt::xtensor<int32, 1>>);
  static_assert(std::is_same_v<decltype(kd), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(bi), xt::xtensor<int32, 1>>);
  EXPECT_TRUE(all_equal(xf, map<float>(xs, [](double a) { return static_cast<float>(a); })));
  EXPECT_TRUE(all_equal(xl, map<int64>(xs, [](double a) { return static_cast<int64>(a); })));
  EXPECT_TRUE(all_equal(xb, map<bool>(xs, [](double a) { return a != 0; })));
  EXPECT_TRUE(all_equal(fi, map<int32>(fs, [](float a) { return static_cast<int32>(a); })));
  EXPECT_TRUE(all_equal(kd, map<double>(ks, [](int64 a) { return static_cast<double>(a); })));
  EXPECT_TRUE(all_equal(bi, map<int32>(bs, [](bool a) { return a ? 1 : 0; })));
  EXPECT_EQ(xl(2), -2);
  EXPECT_FALSE(xb(0));
  EXPECT_TRUE(xb(1));
  EXPECT_EQ(fi(0), -2);
  EXPECT_EQ(fi(1), 2);
}

// abs, sign and clip keep the dtype; double takes the SIMD path, int32 the scalar one.
template <class T>
class ElementwiseNumeric : public ::testing::Test {};
using NumericDtypes = ::testing::Types<double, int32>;
TYPED_TEST_SUITE(ElementwiseNumeric, NumericDtypes);

TYPED_TEST(ElementwiseNumeric, AbsSignClip) {
  using T = TypeParam;
  constexpr theon::vector<"x", T> x;
  constexpr theon::scalar<"lo", T> lo;
  constexpr theon::scalar<"hi", T> hi;
  auto xs = random_vector<T>(45, -20, 20, 51);
  xs(0) = T(0);
  xs(1) = T(-3);
  auto ab = eval(abs(x), x = xs);
  auto sg = eval(sign(x), x = xs);
  auto cl = eval(clip(x, lo, hi), x = xs, lo = T(-8), hi = T(3));
  static_assert(std::is_same_v<decltype(ab), xt::xtensor<T, 1>>);
  static_assert(std::is_same_v<decltype(sg), xt::xtensor<T, 1>>);
  static_assert(std::is_same_v<decltype(cl), xt::xtensor<T, 1>>);
  EXPECT_TRUE(all_equal(ab, map<T>(xs, [](T a) { return a < 0 ? T(-a) : a; })));
  EXPECT_TRUE(all_equal(sg, map<T>(xs, [](T a) { return T(a > 0 ? 1 : a < 0 ? -1 : 0); })));
  EXPECT_TRUE(all_equal(cl, map<T>(xs, [](T a) { return std::clamp(a, T(-8), T(3)); })));
}

// --------------------------------------------------------------- literals ----

TEST(ElementwiseLiterals, DoubleOperand) {
  constexpr theon::vector<"x"> x;
  const auto xs = theon_test::random_nonzero<double, 1>({35}, 0.1, 10, 141);
  auto a = eval(x * 2_c + 0.5_c - 1e-3_c, x = xs);
  auto b = eval((2_c - x) * -3_c + 1_c / x, x = xs);
  static_assert(std::is_same_v<decltype(a), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(b), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_close(a, map<double>(xs, [](double v) { return v * 2 + 0.5 - 0.001; }), 1e-15));
  EXPECT_TRUE(all_close(b, map<double>(xs, [](double v) { return (2 - v) * -3 + 1 / v; }), 1e-15));
}

// A literal takes a float operand's dtype: 0.1_c becomes the float nearest 1/10.
TEST(ElementwiseLiterals, FloatOperandStaysFloat) {
  constexpr theon::vector<"x", float> x;
  static_assert(std::is_same_v<theon::dtype_t<decltype(x / 4_c + 2_c)>, float>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(x * 1e-3_c)>, float>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(x > 0.5_c)>, bool>);
  const auto xs = random_vector<float>(35, -10, 10, 151);
  auto a = eval(x * 0.1_c, x = xs);
  static_assert(std::is_same_v<decltype(a), xt::xtensor<float, 1>>);
  EXPECT_TRUE(all_equal(a, map<float>(xs, [](float v) { return v * (1.0f / 10.0f); })));
}

// Integer literals keep integer dtypes; fractional literals and division make double.
TEST(ElementwiseLiterals, IntegerOperands) {
  constexpr theon::vector<"i", int32> i;
  constexpr theon::vector<"k", int64> k;
  constexpr theon::vector<"b", bool> b;
  static_assert(std::is_same_v<theon::dtype_t<decltype(i < 0.5_c)>, bool>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(-2_c * k)>, int64>);
  const auto is = random_vector<int32>(31, -1000, 1000, 161);
  const auto ks = random_vector<int64>(31, -4000000000LL, 4000000000LL, 162);
  const auto bs = random_vector<bool>(31, 0, 1, 163);
  auto a = eval(i * 2_c + 1_c, i = is);
  auto h = eval(i * 0.5_c + 1e-3_c, i = is);
  auto kk = eval(k * 3_c - 1_c, k = ks);
  auto bb = eval(b + 1_c, b = bs);
  static_assert(std::is_same_v<decltype(a), xt::xtensor<int32, 1>>);
  static_assert(std::is_same_v<decltype(h), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(i / 2_c)>, double>);
  static_assert(std::is_same_v<decltype(kk), xt::xtensor<int64, 1>>);
  static_assert(std::is_same_v<decltype(bb), xt::xtensor<int32, 1>>);
  EXPECT_TRUE(all_equal(a, map<int32>(is, [](int32 v) { return v * 2 + 1; })));
  EXPECT_TRUE(all_close(h, map<double>(is, [](int32 v) { return v * 0.5 + 0.001; }), 1e-15));
  EXPECT_TRUE(all_equal(kk, map<int64>(ks, [](int64 v) { return v * 3 - 1; })));
  EXPECT_TRUE(all_equal(bb, map<int32>(bs, [](bool v) { return int32(v) + 1; })));
}

// Literals are exact rationals: 1e-3_c is 1/1000, 1.5e2_c is 150; rank-0 results are numbers.
TEST(ElementwiseLiterals, ExactRationalValues) {
  constexpr theon::scalar<"a"> a;
  auto m = eval(a * 1e-3_c, a = 3.0);
  auto h = eval(a * 1.5e2_c + 0.125_c + 1'000_c * 2.5e-1_c, a = 3.0);
  static_assert(std::is_same_v<decltype(m), double>);
  EXPECT_EQ(m, 3.0 * (1.0 / 1000.0));
  EXPECT_EQ(h, 700.125);
}

// A literal-only subexpression: computed in double unless it meets an operand.
TEST(ElementwiseLiterals, LiteralOnlySubexpressions) {
  constexpr theon::scalar<"a", int32> a;
  static_assert(std::is_same_v<theon::dtype_t<decltype(2_c * 3_c + a)>, int32>);
  auto third = eval(1_c / 3_c + a * 0_c, a = 4);
  static_assert(std::is_same_v<decltype(third), double>);
  EXPECT_EQ(third, 1.0 / 3.0);
}

// ---------------------------------------------------------- dtype promotion ----

TEST(ElementwisePromotion, MixedDtypes) {
  constexpr theon::vector<"i", int32> i;
  constexpr theon::vector<"k", int64> k;
  constexpr theon::vector<"f", float> f;
  constexpr theon::vector<"d", double> d;
  constexpr theon::vector<"b", bool> b;
  // The rules, statically.
  static_assert(std::is_same_v<theon::dtype_t<decltype(i + k)>, int64>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(i * f)>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(k * f)>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(f - d)>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(b + i)>, int32>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(b * f)>, float>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(b + b)>, int32>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(b + k)>, int64>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(maximum(k, d))>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(minimum(i, b))>, int32>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(where(b, i, f))>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(where(b, i, k))>, int64>);
  // The values, where the conversion happens in the kernel.
  const auto is = random_vector<int32>(33, -100000, 100000, 171);
  const auto ks = random_vector<int64>(33, -5000000000LL, 5000000000LL, 172);
  const auto fs = random_vector<float>(33, -100, 100, 173);
  const auto bs = random_vector<bool>(33, 0, 1, 175);
  auto ik = eval(i + k, i = is, k = ks);
  auto if_ = eval(i * f, i = is, f = fs);
  auto bf = eval(b * f, b = bs, f = fs);
  auto wh = eval(where(b, i, f), b = bs, i = is, f = fs);
  static_assert(std::is_same_v<decltype(ik), xt::xtensor<int64, 1>>);
  static_assert(std::is_same_v<decltype(if_), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(bf), xt::xtensor<float, 1>>);
  static_assert(std::is_same_v<decltype(wh), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_equal(ik, map2<int64>(is, ks, [](int32 a, int64 c) { return int64(a) + c; })));
  EXPECT_TRUE(all_equal(if_, map2<double>(is, fs, [](int32 a, float c) { return double(a) * double(c); })));
  EXPECT_TRUE(all_equal(bf, map2<float>(bs, fs, [](bool a, float c) { return float(a) * c; })));
  xt::xtensor<double, 1> wh_ref = xt::zeros<double>({33});
  for (std::size_t n = 0; n < 33; ++n) wh_ref(n) = bs(n) ? double(is(n)) : double(fs(n));
  EXPECT_TRUE(all_equal(wh, wh_ref));
}

TEST(ElementwisePromotion, IntegerTrueDivision) {
  constexpr theon::vector<"i", int32> i;
  constexpr theon::vector<"j", int32> j;
  constexpr theon::vector<"k", int64> k;
  xt::xtensor<int32, 1> is = {7, -7, 1, -1, 0, 9, 2147483647, 3};
  xt::xtensor<int32, 1> js = {2, 2, 0, 0, 0, 3, 2, -4};
  auto q = eval(i / j, i = is, j = js);
  static_assert(std::is_same_v<decltype(q), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(k / i)>, double>);
  const double inf = std::numeric_limits<double>::infinity();
  xt::xtensor<double, 1> want = {3.5, -3.5, inf, -inf, std::nan(""), 3.0, 1073741823.5, -0.75};
  EXPECT_TRUE(all_equal(q, want));
}

// Comparisons between dtypes work in the promoted dtype (1 < 1.5 holds).
TEST(ElementwisePromotion, MixedComparisons) {
  constexpr theon::vector<"i", int32> i;
  constexpr theon::vector<"d", double> d;
  xt::xtensor<int32, 1> is = {1, 2, 3, -1};
  xt::xtensor<double, 1> ds = {1.5, 2.0, 2.5, -1.25};
  auto lt = eval(i < d, i = is, d = ds);
  static_assert(std::is_same_v<theon::dtype_t<decltype(where(i > d, i, d))>, double>);
  EXPECT_TRUE(all_equal(lt, xt::xtensor<bool, 1>{true, false, false, false}));
}

// ------------------------------------------------------------- broadcasting ----

// (n, m) with (m) and with a scalar variable (exp(a) is computed once, outside the loop).
TEST(ElementwiseBroadcast, MatrixWithVectorAndScalar) {
  constexpr theon::matrix<"A"> A;
  constexpr theon::vector<"v"> v;
  constexpr theon::scalar<"a"> a;
  const auto As = theon_test::random_matrix<double>(13, 17, -5, 5, 181);
  const auto vs = random_vector<double>(17, -5, 5, 182);
  const double av = 1.75;
  auto m = eval(v - A * exp(a), A = As, v = vs, a = av);
  static_assert(std::is_same_v<decltype(m), xt::xtensor<double, 2>>);
  // (the kernel may fuse the multiply and subtract into one rounding: FMA)
  EXPECT_TRUE(all_close(m, map2<double>(As, vs, [&](double p, double q) { return q - p * std::exp(av); }), 1e-12));
}

// (n, 1) * (1, m), and the other way round. The same kernel serves the large test below.
TEST(ElementwiseBroadcast, ColumnTimesRow) {
  constexpr theon::matrix<"A"> A;
  constexpr theon::matrix<"c"> c;
  const auto us = theon_test::random_matrix<double>(9, 1, -2, 2, 191);
  const auto ws = theon_test::random_matrix<double>(1, 23, -2, 2, 192);
  auto ref = [](double a, double b) { return std::exp(a) * b + a; };
  auto p = eval(exp(A) * c + A, A = us, c = ws);
  ASSERT_EQ(p.shape(0), 9u);
  ASSERT_EQ(p.shape(1), 23u);
  EXPECT_TRUE(all_close(p, map2<double>(us, ws, ref), 1e-12));
  auto p2 = eval(exp(A) * c + A, A = ws, c = us);
  ASSERT_EQ(p2.shape(0), 9u);
  ASSERT_EQ(p2.shape(1), 23u);
  EXPECT_TRUE(all_close(p2, map2<double>(ws, us, ref), 1e-12));
  // Extent 1 against extent 1 stays 1.
  const auto one = theon_test::random_matrix<double>(1, 1, -2, 2, 193);
  auto p3 = eval(exp(A) * c + A, A = one, c = one);
  ASSERT_EQ(p3.size(), 1u);
  EXPECT_TRUE(theon_test::close(p3(0, 0), ref(one(0, 0), one(0, 0)), 1e-12));
}

TEST(ElementwiseBroadcast, RankThree) {
  constexpr theon::tensor<"T", double, 3> T;
  constexpr theon::tensor<"S", double, 3> S;
  constexpr theon::matrix<"B"> B;
  constexpr theon::vector<"v"> v;
  const auto Ts = random<double, 3>({4, 5, 6}, -3, 3, 201);
  const auto Ss = random<double, 3>({4, 1, 6}, -3, 3, 202);
  const auto Bs = random<double, 2>({5, 1}, -3, 3, 203);
  const auto vs = random_vector<double>(6, -3, 3, 204);
  auto tb = eval(T * S + B - v, T = Ts, S = Ss, B = Bs, v = vs);
  static_assert(std::is_same_v<decltype(tb), xt::xtensor<double, 3>>);
  auto want = map2<double>(map2<double>(map2<double>(Ts, Ss, std::multiplies<>()), Bs, std::plus<>()), vs, std::minus<>());
  EXPECT_TRUE(all_close(tb, want, 1e-12));
  // (4, 1, 6) * (1, 5, 1): both operands broadcast.
  const auto Ss2 = random<double, 3>({1, 5, 1}, -3, 3, 205);
  auto tb2 = eval(T * S + B - v, T = Ss, S = Ss2, B = Bs, v = vs);
  auto want2 = map2<double>(map2<double>(map2<double>(Ss, Ss2, std::multiplies<>()), Bs, std::plus<>()), vs, std::minus<>());
  EXPECT_TRUE(all_close(tb2, want2, 1e-12));
  ASSERT_EQ(tb2.shape(0), 4u);
  ASSERT_EQ(tb2.shape(1), 5u);
  ASSERT_EQ(tb2.shape(2), 6u);
}

TEST(ElementwiseBroadcast, LargeMatchesSingleThread) {
  constexpr theon::matrix<"A"> A;
  constexpr theon::matrix<"c"> c;
  const auto As = theon_test::random_matrix<double>(300, 700, -1, 1, 211);
  const auto cs = theon_test::random_matrix<double>(300, 1, -1, 1, 212);
  auto f = theon::function(exp(A) * c + A);
  const xt::xtensor<double, 2> many = f(A = As, c = cs);
  f.threads(1);
  const xt::xtensor<double, 2> one = f(A = As, c = cs);
  const auto want = map2<double>(As, cs, [](double a, double b) { return std::exp(a) * b + a; });
  EXPECT_TRUE(all_close(many, want, 1e-12));
  EXPECT_TRUE(all_close(one, want, 1e-12));
  // One long row (1, n) against a (1, 1): the row itself is split over threads.
  const auto Ls = theon_test::random_matrix<double>(1, 300001, -1, 1, 213);
  const auto cs1 = theon_test::random_matrix<double>(1, 1, -1, 1, 214);
  const auto want_l = map2<double>(Ls, cs1, [](double a, double b) { return std::exp(a) * b + a; });
  f.threads(0);
  EXPECT_TRUE(all_close(f(A = Ls, c = cs1), want_l, 1e-12));
  f.threads(1);
  EXPECT_TRUE(all_close(f(A = Ls, c = cs1), want_l, 1e-12));
}

TEST(ElementwiseBroadcast, MismatchThrowsWithOpAndShapes) {
  constexpr theon::vector<"v"> v;
  constexpr theon::vector<"w"> w;
  auto f = theon::function(v + w);
  const xt::xtensor<double, 1> three = {1, 2, 3}, two = {1, 2}, one = {10};
  EXPECT_TRUE(theon_test::shape_error_says([&] { f(v = three, w = two); }, {"add", "v + w", "v: [3]", "w: [2]"}));
  // Extent 1 broadcasts, on either side.
  EXPECT_TRUE(all_equal(f(v = three, w = one), xt::xtensor<double, 1>{11, 12, 13}));
  EXPECT_TRUE(all_equal(f(v = one, w = two), xt::xtensor<double, 1>{11, 12}));

  constexpr theon::tensor<"T", double, 3> T;
  constexpr theon::tensor<"S", double, 3> S;
  constexpr theon::matrix<"B"> B;
  // As written (no rewrites), so the messages quote the user's expression.
  auto g = theon::function(theon::no_rewrites, T * S + B - v);  // the kernel of RankThree
  const xt::xtensor<double, 3> t523 = xt::zeros<double>({5, 2, 3}), s123 = xt::zeros<double>({1, 2, 3});
  const xt::xtensor<double, 2> b43 = xt::zeros<double>({4, 3});
  EXPECT_TRUE(theon_test::shape_error_says([&] { g(T = t523, S = s123, B = b43, v = three); },
                                           {"add", "T * S + B", "T * S: [5, 2, 3]", "B: [4, 3]"}));
  const xt::xtensor<double, 3> s423 = xt::zeros<double>({4, 2, 3});
  EXPECT_TRUE(theon_test::shape_error_says([&] { g(T = t523, S = s423, B = b43, v = three); },
                                           {"mul", "T * S", "T: [5, 2, 3]", "S: [4, 2, 3]"}));
}

}  // namespace
