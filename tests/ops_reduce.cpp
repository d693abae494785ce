// Value tests of theon's reductions (sum, mean, prod, max, min) against plain
// references: every dtype, all / single / several / negative axes, keepdims,
// ranks 0 to 3, empty inputs, NaN, non-contiguous inputs and large inputs
// split over threads.
//
// Kernels are reused on purpose: the same expression bound to other shapes
// (empty, transposed, large) compiles once.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <type_traits>

#include <xtensor/xmanipulation.hpp>
#include <xtensor/xstrided_view.hpp>

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
using theon_test::reduce_ref;
using theon_test::ref_array;

constexpr double nan_v = std::numeric_limits<double>::quiet_NaN();

// References in long double, from any container.
template <class C>
ref_array<long double> ref_sum(const C& a, std::vector<int> axes = {}, bool keep = false) {
  return reduce_ref<long double>(a, axes, keep, 0.0L, [](long double s, long double v) { return s + v; });
}
template <class C>
ref_array<long double> ref_prod(const C& a, std::vector<int> axes = {}, bool keep = false) {
  return reduce_ref<long double>(a, axes, keep, 1.0L, [](long double s, long double v) { return s * v; });
}
template <class C>
ref_array<long double> ref_mean(const C& a, std::vector<int> axes = {}, bool keep = false) {
  auto s = ref_sum(a, axes, keep);
  const auto n = static_cast<long double>(theon_test::reduced_count(theon_test::shape_of(a), axes));
  for (auto& v : s.values) v /= n;
  return s;
}
// max and min propagate NaN, as NumPy's do.
template <class C>
ref_array<long double> ref_max(const C& a, std::vector<int> axes = {}, bool keep = false) {
  return reduce_ref<long double>(a, axes, keep, -std::numeric_limits<long double>::infinity(),
                                 [](long double s, long double v) { return std::isnan(s) || std::isnan(v) ? NAN : std::max(s, v); });
}
template <class C>
ref_array<long double> ref_min(const C& a, std::vector<int> axes = {}, bool keep = false) {
  return reduce_ref<long double>(a, axes, keep, std::numeric_limits<long double>::infinity(),
                                 [](long double s, long double v) { return std::isnan(s) || std::isnan(v) ? NAN : std::min(s, v); });
}
// A rank-0 reference as a number.
inline double scalar(const ref_array<long double>& r) { return static_cast<double>(r.values.at(0)); }

// Tolerances: relative 1e-9 for double (float 1e-5), plus an absolute floor
// scaled to the magnitude of the summed terms, for sums that cancel.
template <class T>
double rtol() {
  return theon_test::reduce_tol<T>();
}
template <class T>
double atol(double magnitude) {
  return theon_test::reduce_tol<T>() * magnitude;
}

// ------------------------------------------------------------- every dtype ----

template <class T>
class ReduceDtype : public ::testing::Test {};
using ReduceDtypes = ::testing::Types<float, double, int32, int64>;
TYPED_TEST_SUITE(ReduceDtype, ReduceDtypes);

// sum and prod of integers accumulate in int64, mean is floating, max and min keep the dtype.
TYPED_TEST(ReduceDtype, AllAxes) {
  using T = TypeParam;
  using S = std::conditional_t<std::is_integral_v<T>, int64, T>;
  using M = theon_test::floating_t<T>;
  constexpr double hi = std::is_integral_v<T> ? 1000 : 5;
  constexpr theon::matrix<"A", T> A;
  const auto As = random_matrix<T>(5, 37, -hi, hi, 11);
  auto s = eval(theon::sum(A), A = As);
  auto m = eval(theon::mean(A), A = As);
  auto mx = eval(theon::max(A), A = As);
  auto mn = eval(theon::min(A), A = As);
  static_assert(std::is_same_v<decltype(s), S>);
  static_assert(std::is_same_v<decltype(m), M>);
  static_assert(std::is_same_v<decltype(mx), T>);
  static_assert(std::is_same_v<decltype(mn), T>);
  const double mag = hi * As.size();
  EXPECT_TRUE(theon_test::close(s, scalar(ref_sum(As)), rtol<T>(), atol<T>(mag)));
  EXPECT_TRUE(theon_test::close(m, scalar(ref_mean(As)), rtol<T>(), atol<T>(hi)));
  EXPECT_EQ(mx, static_cast<T>(scalar(ref_max(As))));
  EXPECT_EQ(mn, static_cast<T>(scalar(ref_min(As))));
  // prod over few values that keep it in range: integers in [-3, 3], floats in [0.5, 1.5].
  const auto Ps = std::is_integral_v<T> ? random_matrix<T>(3, 7, -3, 3, 12) : random_matrix<T>(3, 7, 0.5, 1.5, 12);
  auto p = eval(theon::prod(A), A = Ps);
  static_assert(std::is_same_v<decltype(p), S>);
  EXPECT_TRUE(theon_test::close(p, scalar(ref_prod(Ps)), rtol<T>(), 0));
  // All negative: max is not the identity of the accumulator.
  const auto neg = random_matrix<T>(2, 3, -hi, -1, 13);
  EXPECT_EQ(eval(theon::max(A), A = neg), static_cast<T>(scalar(ref_max(neg))));
  EXPECT_EQ(eval(theon::min(A), A = xt::xtensor<T, 2>(-neg)), static_cast<T>(scalar(ref_min(xt::xtensor<T, 2>(-neg)))));
}

TYPED_TEST(ReduceDtype, OneAxis) {
  using T = TypeParam;
  using S = std::conditional_t<std::is_integral_v<T>, int64, T>;
  constexpr double hi = std::is_integral_v<T> ? 1000 : 5;
  constexpr theon::matrix<"A", T> A;
  const auto As = random_matrix<T>(5, 37, -hi, hi, 21);
  auto s0 = eval(theon::sum(A, theon::axis<0>), A = As);
  auto mx1 = eval(theon::max(A, theon::axis<1>), A = As);
  auto mn0 = eval(theon::min(A, theon::axis<-2>), A = As);  // axis 0, counted from the end
  static_assert(std::is_same_v<decltype(s0), xt::xtensor<S, 1>>);
  static_assert(std::is_same_v<decltype(mx1), xt::xtensor<T, 1>>);
  static_assert(std::is_same_v<decltype(mn0), xt::xtensor<T, 1>>);
  EXPECT_TRUE(all_close(s0, ref_sum(As, {0}), rtol<T>(), atol<T>(hi * 5)));
  EXPECT_TRUE(all_equal(mx1, ref_max(As, {1})));
  EXPECT_TRUE(all_equal(mn0, ref_min(As, {0})));
}

// bool: sum counts (int64), mean is the fraction (double).
TEST(ReduceBool, SumMean) {
  constexpr theon::vector<"b", bool> b;
  static_assert(std::is_same_v<theon::dtype_t<decltype(theon::max(b))>, bool>);
  const auto bs = random_vector<bool>(45, 0, 1, 31);
  auto s = eval(theon::sum(b), b = bs);
  auto m = eval(theon::mean(b), b = bs);
  static_assert(std::is_same_v<decltype(s), int64>);
  static_assert(std::is_same_v<decltype(m), double>);
  int64 count = 0;
  for (bool v : bs) count += v;
  EXPECT_EQ(s, count);
  EXPECT_DOUBLE_EQ(m, double(count) / 45.0);
  const xt::xtensor<bool, 1> none = xt::zeros<bool>({9});
  EXPECT_EQ(eval(theon::sum(b), b = none), 0);
}

// max and min of booleans are any and all (per-thread partials must not be a vector<bool>).
TEST(ReduceBool, MaxIsAny) {
  constexpr theon::vector<"b", bool> b;
  const auto bs = random_vector<bool>(45, 0, 1, 31);
  auto mx = eval(theon::max(b), b = bs);
  static_assert(std::is_same_v<decltype(mx), bool>);
  EXPECT_TRUE(mx);
  const xt::xtensor<bool, 1> none = xt::zeros<bool>({9});
  EXPECT_FALSE(eval(theon::max(b), b = none));
}

// ------------------------------------------------------------------ ranks ----

// Rank 1, double: every reduction; keepdims keeps a vector of one element.
TEST(ReduceRank1, EveryReduction) {
  constexpr theon::vector<"v"> v;
  const auto vs = random_vector<double>(23, 0.5, 1.5, 41);
  EXPECT_TRUE(theon_test::close(eval(theon::sum(v), v = vs), scalar(ref_sum(vs)), 1e-9));
  EXPECT_TRUE(theon_test::close(eval(theon::mean(v), v = vs), scalar(ref_mean(vs)), 1e-9));
  EXPECT_TRUE(theon_test::close(eval(theon::prod(v), v = vs), scalar(ref_prod(vs)), 1e-9));
  EXPECT_EQ(eval(theon::max(v), v = vs), scalar(ref_max(vs)));
  EXPECT_EQ(eval(theon::min(v), v = vs), scalar(ref_min(vs)));
  auto k = eval(theon::sum(v, theon::keepdims), v = vs);
  static_assert(std::is_same_v<decltype(k), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_close(k, ref_sum(vs, {}, true), 1e-9));
  // axis<0> of a vector is all of it.
  EXPECT_TRUE(theon_test::close(eval(theon::sum(v, theon::axis<0>), v = vs), scalar(ref_sum(vs)), 1e-9));
}

// Rank 2, double: the axes not covered by the dtype tests, and keepdims.
TEST(ReduceRank2, AxesAndKeepdims) {
  constexpr theon::matrix<"A"> A;
  const auto As = random_matrix<double>(6, 19, -5, 5, 51);
  auto s1 = eval(theon::sum(A, theon::axis<1>), A = As);
  auto m0 = eval(theon::mean(A, theon::axis<0>), A = As);
  auto mn1 = eval(theon::min(A, theon::axis<1>), A = As);
  auto sk = eval(theon::sum(A, theon::axis<-1>, theon::keepdims), A = As);
  auto pk = eval(theon::prod(A, theon::keepdims, theon::axis<0>), A = As);
  static_assert(std::is_same_v<decltype(s1), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(sk), xt::xtensor<double, 2>>);
  static_assert(std::is_same_v<decltype(pk), xt::xtensor<double, 2>>);
  EXPECT_TRUE(all_close(s1, ref_sum(As, {1}), 1e-9, 1e-9 * 100));
  EXPECT_TRUE(all_close(m0, ref_mean(As, {0}), 1e-9, 1e-9 * 5));
  EXPECT_TRUE(all_equal(mn1, ref_min(As, {1})));
  EXPECT_TRUE(all_close(sk, ref_sum(As, {-1}, true), 1e-9, 1e-9 * 100));
  ASSERT_EQ(sk.shape(0), 6u);
  ASSERT_EQ(sk.shape(1), 1u);
  EXPECT_TRUE(all_close(pk, ref_prod(As, {0}, true), 1e-9, 0));
  ASSERT_EQ(pk.shape(0), 1u);
  ASSERT_EQ(pk.shape(1), 19u);
}

// Rank 3, double: each axis, pairs of axes (also written with negative axes), keepdims.
TEST(ReduceRank3, AxesAndKeepdims) {
  constexpr theon::tensor<"T", double, 3> T;
  const auto Ts = random<double, 3>({3, 4, 5}, -5, 5, 61);
  const double a = 1e-9 * 60;  // absolute floor: terms up to 5, at most 60 of them
  EXPECT_TRUE(theon_test::close(eval(theon::sum(T), T = Ts), scalar(ref_sum(Ts)), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(T, theon::axis<0>), T = Ts), ref_sum(Ts, {0}), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(T, theon::axis<1>), T = Ts), ref_sum(Ts, {1}), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(T, theon::axis<2>), T = Ts), ref_sum(Ts, {2}), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(T, theon::axes<0, 2>), T = Ts), ref_sum(Ts, {0, 2}), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(T, theon::axes<-1, -3>), T = Ts), ref_sum(Ts, {0, 2}), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(T, theon::axis<-2>), T = Ts), ref_sum(Ts, {1}), 1e-9, a));
  EXPECT_TRUE(theon_test::close(eval(theon::sum(T, theon::axes<0, 1, 2>), T = Ts), scalar(ref_sum(Ts)), 1e-9, a));
  auto k1 = eval(theon::sum(T, theon::axis<1>, theon::keepdims), T = Ts);
  static_assert(std::is_same_v<decltype(k1), xt::xtensor<double, 3>>);
  EXPECT_TRUE(all_close(k1, ref_sum(Ts, {1}, true), 1e-9, a));
  auto kall = eval(theon::sum(T, theon::keepdims), T = Ts);
  static_assert(std::is_same_v<decltype(kall), xt::xtensor<double, 3>>);
  EXPECT_TRUE(all_close(kall, ref_sum(Ts, {}, true), 1e-9, a));

  auto m12 = eval(theon::mean(T, theon::axes<1, 2>), T = Ts);
  auto p0 = eval(theon::prod(T, theon::axis<0>), T = Ts);
  auto mxk = eval(theon::max(T, theon::axis<-1>, theon::keepdims), T = Ts);
  auto mn01 = eval(theon::min(T, theon::axes<0, 1>), T = Ts);
  static_assert(std::is_same_v<decltype(m12), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(p0), xt::xtensor<double, 2>>);
  static_assert(std::is_same_v<decltype(mxk), xt::xtensor<double, 3>>);
  static_assert(std::is_same_v<decltype(mn01), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_close(m12, ref_mean(Ts, {1, 2}), 1e-9, 1e-9 * 5));
  EXPECT_TRUE(all_close(p0, ref_prod(Ts, {0}), 1e-9, 0));
  EXPECT_TRUE(all_equal(mxk, ref_max(Ts, {-1}, true)));
  EXPECT_TRUE(all_equal(mn01, ref_min(Ts, {0, 1})));
}

// Rank 0: a reduction of a scalar is the scalar (sum of an int32 is an int64).
TEST(ReduceRank0, ScalarInput) {
  constexpr theon::scalar<"a"> a;
  constexpr theon::scalar<"i", int32> i;
  static_assert(std::is_same_v<theon::dtype_t<decltype(theon::prod(i))>, int64>);
  static_assert(std::is_same_v<theon::dtype_t<decltype(theon::min(i))>, int32>);
  EXPECT_EQ(eval(theon::sum(a), a = 2.5), 2.5);
  EXPECT_EQ(eval(theon::mean(a), a = -1.25), -1.25);
  EXPECT_EQ(eval(theon::max(a), a = 7.0), 7.0);
  auto si = eval(theon::sum(i), i = 2147483647);
  static_assert(std::is_same_v<decltype(si), int64>);
  EXPECT_EQ(si, 2147483647);
}

// ------------------------------------------------------------------ empty ----

TEST(ReduceEmpty, SumProdMeanMaxMin) {
  constexpr theon::vector<"v"> v;
  const xt::xtensor<double, 1> empty = xt::zeros<double>({0});
  EXPECT_EQ(eval(theon::sum(v), v = empty), 0.0);
  EXPECT_EQ(eval(theon::prod(v), v = empty), 1.0);
  EXPECT_TRUE(std::isnan(eval(theon::mean(v), v = empty)));
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(theon::max(v), v = empty); }, {"max", "v: [0]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(theon::min(v), v = empty); }, {"min", "v: [0]"}));
  auto k = eval(theon::sum(v, theon::keepdims), v = empty);
  ASSERT_EQ(k.size(), 1u);
  EXPECT_EQ(k(0), 0.0);
}

// Empty axes: a reduction over an axis of extent 0 has values only for sum,
// prod and mean; max and min throw unless the result is empty as well.
TEST(ReduceEmpty, AlongOneAxis) {
  constexpr theon::matrix<"A"> A;
  const xt::xtensor<double, 2> a03 = xt::zeros<double>({0, 3}), a30 = xt::zeros<double>({3, 0});
  auto s0 = eval(theon::sum(A, theon::axis<0>), A = a03);
  EXPECT_TRUE(all_equal(s0, xt::xtensor<double, 1>{0, 0, 0}));
  auto m0 = eval(theon::mean(A, theon::axis<0>), A = a03);
  ASSERT_EQ(m0.size(), 3u);
  EXPECT_TRUE(std::isnan(m0(0)) && std::isnan(m0(2)));
  EXPECT_TRUE(std::isnan(eval(theon::mean(A), A = a03)));
  EXPECT_EQ(eval(theon::sum(A), A = a30), 0.0);
  EXPECT_EQ(eval(theon::prod(A), A = a30), 1.0);
  // max over axis 1 of (0, 3) has no results to compute: empty, no error.
  auto mx = eval(theon::max(A, theon::axis<1>), A = a03);
  EXPECT_EQ(mx.size(), 0u);
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(theon::max(A, theon::axis<1>), A = a30); }, {"max", "A: [3, 0]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(theon::min(A, theon::axis<1>), A = a30); }, {"min", "A: [3, 0]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(theon::max(A), A = a03); }, {"max", "A: [0, 3]"}));
}

// -------------------------------------------------------------------- NaN ----

TEST(ReduceNaN, MaxMinSumPropagate) {
  constexpr theon::vector<"v"> v;
  constexpr theon::matrix<"A"> A;
  for (std::size_t at : {0u, 3u, 17u, 36u}) {  // SIMD body and scalar tail
    auto vs = random_vector<double>(37, -1, 1, 71);
    vs(at) = nan_v;
    EXPECT_TRUE(std::isnan(eval(theon::max(v), v = vs))) << "max, NaN at " << at;
    EXPECT_TRUE(std::isnan(eval(theon::min(v), v = vs))) << "min, NaN at " << at;
    EXPECT_TRUE(std::isnan(eval(theon::sum(v), v = vs))) << "sum, NaN at " << at;
  }
  auto As = random_matrix<double>(4, 37, -1, 1, 72);
  As(1, 2) = nan_v;
  As(3, 35) = nan_v;
  EXPECT_TRUE(all_equal(eval(theon::max(A, theon::axis<1>), A = As), ref_max(As, {1})));
  EXPECT_TRUE(all_equal(eval(theon::min(A, theon::axis<1>), A = As), ref_min(As, {1})));
  EXPECT_TRUE(all_equal(eval(theon::min(A, theon::axis<-2>), A = As), ref_min(As, {0})));
}

// ---------------------------------------------------- non-contiguous inputs ----

// Transposed and strided views are read in place with their strides.
TEST(ReduceStrided, TransposeAndStridedViews) {
  constexpr theon::matrix<"A"> A;
  const auto Ms = random_matrix<double>(9, 14, -5, 5, 81);
  const auto Mt = xt::transpose(Ms);  // (14, 9), strides (1, 14)
  const xt::xtensor<double, 2> Mt_copy = Mt;
  const double a = 1e-9 * 5 * 14;
  EXPECT_TRUE(theon_test::close(eval(theon::sum(A), A = Mt), scalar(ref_sum(Mt_copy)), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(A, theon::axis<0>), A = Mt), ref_sum(Mt_copy, {0}), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::sum(A, theon::axis<1>), A = Mt), ref_sum(Mt_copy, {1}), 1e-9, a));
  EXPECT_TRUE(all_equal(eval(theon::max(A, theon::axis<1>), A = Mt), ref_max(Mt_copy, {1})));
  EXPECT_TRUE(all_equal(eval(theon::min(A, theon::axis<-2>), A = Mt), ref_min(Mt_copy, {0})));

  // (xt::strided_view: binding an xt::view does not compile, see api_inputs.cpp)
  const auto every_other = xt::strided_view(Ms, {xt::range(1, 9, 2), xt::range(0, 14, 3)});  // (4, 5)
  const xt::xtensor<double, 2> eo_copy = every_other;
  ASSERT_EQ(eo_copy.shape(0), 4u);
  ASSERT_EQ(eo_copy.shape(1), 5u);
  EXPECT_TRUE(all_close(eval(theon::sum(A, theon::axis<1>), A = every_other), ref_sum(eo_copy, {1}), 1e-9, a));
  EXPECT_TRUE(all_close(eval(theon::mean(A, theon::axis<0>), A = every_other), ref_mean(eo_copy, {0}), 1e-9, a));

  constexpr theon::tensor<"T", double, 3> T;
  const auto Ts = random<double, 3>({3, 4, 5}, -5, 5, 82);
  const auto Tp = xt::transpose(Ts, {2, 0, 1});  // (5, 3, 4)
  const xt::xtensor<double, 3> Tp_copy = Tp;
  EXPECT_TRUE(all_close(eval(theon::sum(T, theon::axes<0, 2>), T = Tp), ref_sum(Tp_copy, {0, 2}), 1e-9, 1e-9 * 100));
  EXPECT_TRUE(all_equal(eval(theon::max(T, theon::axis<-1>, theon::keepdims), T = Tp), ref_max(Tp_copy, {2}, true)));
  EXPECT_TRUE(all_close(eval(theon::mean(T, theon::axes<1, 2>), T = Tp), ref_mean(Tp_copy, {1, 2}), 1e-9, 1e-9 * 5));
}

// ------------------------------------------------------------------ fused ----

// A reduction computes its elementwise operand inside its own loop.
TEST(ReduceFused, ElementwiseOperands) {
  constexpr theon::matrix<"A"> A;
  constexpr theon::matrix<"B"> B;
  constexpr theon::vector<"v"> v;
  const auto As = random_matrix<double>(7, 12, -2, 2, 91);
  const auto Bs = random_matrix<double>(7, 12, -2, 2, 92);
  const auto vs = random_vector<double>(12, -2, 2, 93);
  auto m = eval(theon::mean(A * B + v, theon::axis<0>), A = As, B = Bs, v = vs);
  auto want = theon_test::map2<double>(theon_test::map2<double>(As, Bs, std::multiplies<>()), vs, std::plus<>());
  EXPECT_TRUE(all_close(m, ref_mean(want, {0}), 1e-9, 1e-9 * 10));
  auto count = eval(theon::sum(v > 0_c), v = vs);
  static_assert(std::is_same_v<decltype(count), int64>);
  int64 positive = 0;
  for (double x : vs) positive += x > 0;
  EXPECT_EQ(count, positive);
  auto mx = eval(theon::max(exp(A), theon::axis<1>, theon::keepdims), A = As);
  EXPECT_TRUE(all_close(mx, ref_max(theon_test::map<double>(As, [](double x) { return std::exp(x); }), {1}, true), 1e-12));
}

// ------------------------------------------------------------------ large ----

// 300 x 700: the default thread count splits the loops; one thread must agree.
TEST(ReduceLarge, ThreadsAgree) {
  constexpr theon::matrix<"A"> A;
  const auto As = random_matrix<double>(300, 700, -1, 1, 101);
  auto total = theon::function(theon::sum(A));
  auto rows = theon::function(theon::sum(A, theon::axis<1>));
  auto cols = theon::function(theon::sum(A, theon::axis<0>));
  auto avg = theon::function(theon::mean(A));
  auto top = theon::function(theon::max(A, theon::axis<1>));
  const auto want_total = scalar(ref_sum(As));
  const auto want_rows = ref_sum(As, {1});
  const auto want_cols = ref_sum(As, {0});
  const auto want_top = ref_max(As, {1});
  for (std::size_t threads : {0u, 1u, 3u}) {
    total.threads(threads);
    rows.threads(threads);
    cols.threads(threads);
    avg.threads(threads);
    top.threads(threads);
    EXPECT_TRUE(theon_test::close(total(A = As), want_total, 1e-9, 1e-9 * 1000)) << threads << " threads";
    EXPECT_TRUE(all_close(rows(A = As), want_rows, 1e-9, 1e-9 * 100)) << threads << " threads";
    EXPECT_TRUE(all_close(cols(A = As), want_cols, 1e-9, 1e-9 * 100)) << threads << " threads";
    EXPECT_TRUE(theon_test::close(avg(A = As), want_total / As.size(), 1e-9, 1e-12)) << threads << " threads";
    EXPECT_TRUE(all_equal(top(A = As), want_top)) << threads << " threads";
  }
  // A long vector: one row split across threads.
  constexpr theon::vector<"v"> v;
  const auto vs = random_vector<double>(1 << 20, -1, 1, 102);
  auto vsum = theon::function(theon::sum(v));
  const double want_v = scalar(ref_sum(vs));
  EXPECT_TRUE(theon_test::close(vsum(v = vs), want_v, 1e-9, 1e-9 * 1000));
  vsum.threads(1);
  EXPECT_TRUE(theon_test::close(vsum(v = vs), want_v, 1e-9, 1e-9 * 1000));
}

}  // namespace
