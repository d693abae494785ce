// Value tests of theon's float and double math functions against std::
// references on random inputs in each function's domain, their special values
// (NaN, infinities, signed zeros), extremes, and integer inputs. The other
// elementwise ops are in ops_elementwise.cpp; the notes on compile time there
// hold here too.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <type_traits>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon::int32;
using theon::int64;
using theon_test::all_close;
using theon_test::all_equal;
using theon_test::eval;
using theon_test::map;
using theon_test::map2;
using theon_test::random_vector;
using theon_test::tol;

// ------------------------------------------------------ float and double math ----

// Every function in double; float (its own SIMD path) for a representative subset.
template <class T>
class ElementwiseMath : public ::testing::Test {};
using FloatDtypes = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ElementwiseMath, FloatDtypes);

template <class T>
::testing::AssertionResult matches(const xt::xtensor<T, 1>& got, const xt::xtensor<T, 1>& xs,
                                   const std::function<T(T)>& ref, double atol = 0) {
  return all_close(got, map<T>(xs, ref), tol<T>(), atol);
}

// Inputs in each function's domain: exp/expm1/tanh in [-5, 5], log and sqrt
// in [0.05, 20], log1p in [-0.9, 19].
TYPED_TEST(ElementwiseMath, ExpLogFamily) {
  using T = TypeParam;
  constexpr bool full = std::is_same_v<T, double>;
  constexpr theon::vector<"x", T> x;
  const auto xs = random_vector<T>(53, -5, 5, 71);
  const auto ps = random_vector<T>(53, 0.05, 20, 72);
  const auto qs = random_vector<T>(53, -0.9, 19, 73);
  auto e = eval(exp(x), x = xs);
  static_assert(std::is_same_v<decltype(e), xt::xtensor<T, 1>>);
  EXPECT_TRUE(matches<T>(e, xs, [](T v) { return std::exp(v); })) << "exp";
  if constexpr (full) {
    EXPECT_TRUE(matches<T>(eval(log(x), x = ps), ps, [](T v) { return std::log(v); })) << "log";
    EXPECT_TRUE(matches<T>(eval(expm1(x), x = xs), xs, [](T v) { return std::expm1(v); })) << "expm1";
    EXPECT_TRUE(matches<T>(eval(tanh(x), x = xs), xs, [](T v) { return std::tanh(v); })) << "tanh";
    EXPECT_TRUE(matches<T>(eval(erf(x), x = xs), xs, [](T v) { return std::erf(v); })) << "erf";
    EXPECT_TRUE(matches<T>(eval(sqrt(x), x = ps), ps, [](T v) { return std::sqrt(v); })) << "sqrt";
    EXPECT_TRUE(matches<T>(eval(log1p(x), x = qs), qs, [](T v) { return std::log1p(v); })) << "log1p";
  }
}

TYPED_TEST(ElementwiseMath, Trigonometric) {
  using T = TypeParam;
  constexpr theon::vector<"x", T> x;
  const auto xs = random_vector<T>(61, -10, 10, 81);
  const auto ts = random_vector<T>(61, -1.4, 1.4, 82);  // tan away from its poles
  static_assert(std::is_same_v<theon::dtype_t<decltype(sin(x))>, T>);
  if constexpr (std::is_same_v<T, double>) {
    // sin and cos cross zero in the range: an absolute floor as well.
    EXPECT_TRUE(matches<T>(eval(sin(x), x = xs), xs, [](T v) { return std::sin(v); }, tol<T>())) << "sin";
    EXPECT_TRUE(matches<T>(eval(cos(x), x = xs), xs, [](T v) { return std::cos(v); }, tol<T>())) << "cos";
    EXPECT_TRUE(matches<T>(eval(tan(x), x = ts), ts, [](T v) { return std::tan(v); })) << "tan";
  }
}

TYPED_TEST(ElementwiseMath, SigmoidSoftplusPow) {
  using T = TypeParam;
  constexpr theon::vector<"x", T> x;
  constexpr theon::vector<"b", T> b;
  const auto xs = random_vector<T>(57, -20, 20, 91);
  const auto bs = random_vector<T>(57, 0.5, 3, 92);
  const auto es = random_vector<T>(57, -2, 2, 93);
  auto sg = eval(sigmoid(x), x = xs);
  auto sp = eval(softplus(x), x = xs);
  static_assert(std::is_same_v<decltype(sg), xt::xtensor<T, 1>>);
  static_assert(std::is_same_v<decltype(sp), xt::xtensor<T, 1>>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(pow(b, x))>, T>);
  EXPECT_TRUE(matches<T>(sg, xs, [](T v) { return T(1) / (T(1) + std::exp(-v)); })) << "sigmoid";
  // A plain log(1 + exp(x)) is accurate for |x| <= 20.
  EXPECT_TRUE(matches<T>(sp, xs, [](T v) { return std::log1p(std::exp(v)); })) << "softplus";
  if constexpr (std::is_same_v<T, double>) {
    auto pw = eval(pow(b, x), b = bs, x = es);
    EXPECT_TRUE(all_close(pw, map2<T>(bs, es, [](T a, T e) { return std::pow(a, e); }), tol<T>())) << "pow";
  }
}

TYPED_TEST(ElementwiseMath, MaximumMinimumClipPropagateNaN) {
  using T = TypeParam;
  constexpr theon::vector<"x", T> x;
  constexpr theon::vector<"y", T> y;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  auto xs = random_vector<T>(37, -2, 2, 101);
  auto ys = random_vector<T>(37, -2, 2, 102);
  for (std::size_t i : {0u, 5u, 17u, 33u}) xs(i) = nan;  // NaN on the left (SIMD body and tail)
  for (std::size_t i : {2u, 9u, 17u, 36u}) ys(i) = nan;  // NaN on the right
  auto mx = eval(maximum(x, y), x = xs, y = ys);
  auto nan_or = [](T a, T b, T v) { return std::isnan(a) || std::isnan(b) ? std::numeric_limits<T>::quiet_NaN() : v; };
  EXPECT_TRUE(all_equal(mx, map2<T>(xs, ys, [&](T a, T b) { return nan_or(a, b, std::max(a, b)); })));
  if constexpr (std::is_same_v<T, double>) {
    auto mn = eval(minimum(x, y), x = xs, y = ys);
    EXPECT_TRUE(all_equal(mn, map2<T>(xs, ys, [&](T a, T b) { return nan_or(a, b, std::min(a, b)); })));
    // clip = minimum(maximum(x, lo), hi): NaN in x or in a bound gives NaN.
    constexpr theon::scalar<"lo", T> lo;
    constexpr theon::scalar<"hi", T> hi;
    auto cl = eval(clip(x, lo, hi), x = xs, lo = T(-1), hi = T(1));
    EXPECT_TRUE(all_equal(cl, map<T>(xs, [](T a) { return std::isnan(a) ? a : std::clamp(a, T(-1), T(1)); })));
    auto cl_nan = eval(clip(x, lo, hi), x = ys, lo = nan, hi = T(1));
    EXPECT_TRUE(std::all_of(cl_nan.begin(), cl_nan.end(), [](T v) { return std::isnan(v); }));
  }
}

TYPED_TEST(ElementwiseMath, SignOfSpecialValues) {
  using T = TypeParam;
  constexpr theon::vector<"x", T> x;
  const T nan = std::numeric_limits<T>::quiet_NaN();
  const T inf = std::numeric_limits<T>::infinity();
  xt::xtensor<T, 1> xs = {T(-2.5), T(0), T(-0.0), T(3), nan, T(-1e-30), T(1e-30), inf, -inf, nan, T(1), T(-1)};
  auto sg = eval(sign(x), x = xs);
  xt::xtensor<T, 1> want = {T(-1), T(0), T(0), T(1), nan, T(-1), T(1), T(1), T(-1), nan, T(1), T(-1)};
  EXPECT_TRUE(all_equal(sg, want));
  if constexpr (std::is_same_v<T, double>) {
    auto ab = eval(abs(x), x = xs);
    EXPECT_TRUE(all_equal(ab, map<T>(xs, [](T a) { return std::fabs(a); })));
  }
}

// Overflowing intermediates give the right limits.
TEST(ElementwiseMath, SigmoidSoftplusExtremes) {
  constexpr theon::vector<"x"> x;
  xt::xtensor<double, 1> xs = {-1000, -745, -40, 0, 40, 710, 1000, 1e300};
  auto sg = eval(sigmoid(x), x = xs);
  auto sp = eval(softplus(x), x = xs);
  EXPECT_EQ(sg(0), 0.0);
  EXPECT_EQ(sg(3), 0.5);
  EXPECT_EQ(sg(6), 1.0);
  EXPECT_EQ(sg(7), 1.0);
  EXPECT_EQ(sp(0), 0.0);
  EXPECT_TRUE(theon_test::close(sp(2), std::exp(-40.0), 1e-12, 0));
  EXPECT_TRUE(theon_test::close(sp(3), std::log(2.0), 1e-15));
  EXPECT_EQ(sp(4), 40.0);
  EXPECT_EQ(sp(5), 710.0);
  EXPECT_EQ(sp(6), 1000.0);
  EXPECT_EQ(sp(7), 1e300);
}

// log1p and expm1 keep their relative accuracy for tiny arguments.
TEST(ElementwiseMath, Log1pExpm1Tiny) {
  constexpr theon::vector<"x"> x;
  const auto xs = random_vector<double>(40, 1e-12, 1e-8, 111);
  auto l = eval(log1p(x), x = xs);
  auto e = eval(expm1(x), x = xs);
  EXPECT_TRUE(all_close(l, map<double>(xs, [](double v) { return std::log1p(v); }), 1e-12, 0));
  EXPECT_TRUE(all_close(e, map<double>(xs, [](double v) { return std::expm1(v); }), 1e-12, 0));
}

// Integer operands of transcendental functions compute in double.
TEST(ElementwiseMath, IntegerInputsGiveDouble) {
  constexpr theon::vector<"i", int32> i;
  constexpr theon::vector<"k", int64> k;
  const auto is = random_vector<int32>(33, -10, 10, 121);
  const auto ks = random_vector<int64>(33, 1, 1000000, 122);
  auto e = eval(exp(i), i = is);
  static_assert(std::is_same_v<decltype(e), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(sqrt(k))>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(log(k))>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(sigmoid(i))>, double>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(tanh(i) + softplus(k))>, double>);
  EXPECT_TRUE(all_close(e, map<double>(is, [](int32 v) { return std::exp(double(v)); }), 1e-12));
}

TEST(ElementwiseMath, IntegerPowIsExact) {
  constexpr theon::vector<"i", int32> i;
  constexpr theon::vector<"k", int64> k;
  const auto is = random_vector<int32>(29, -100, 100, 131);
  const auto ks = random_vector<int64>(29, 1, 3000000, 132);
  auto p3 = eval(pow(i, 3_c), i = is);
  static_assert(std::is_same_v<decltype(p3), xt::xtensor<int32, 1>>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(pow(k, 2_c))>, int64>);
  EXPECT_TRUE(all_equal(p3, map<int32>(is, [](int32 v) { return v * v * v; })));
}

}  // namespace
