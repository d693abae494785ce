// Value tests of theon's softmax, log_softmax and logsumexp against a
// straightforward long double reference (exp(x) / sum exp(x), log sum exp(x)),
// along the default last axis, along axis<0> and other axes, with keepdims;
// and their numerical stability for large inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <type_traits>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon_test::all_close;
using theon_test::eval;
using theon_test::random;
using theon_test::random_matrix;
using theon_test::random_vector;
using theon_test::ref_array;

// Row-major strides of a shape.
inline std::vector<std::size_t> strides_of(const std::vector<std::size_t>& shape) {
  std::vector<std::size_t> s(shape.size(), 1);
  for (std::size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

// For each line along `axis`, f(first flat index, stride, length).
template <class F>
void for_each_line(const std::vector<std::size_t>& shape, std::size_t axis, F f) {
  const auto st = strides_of(shape);
  std::size_t total = 1;
  for (auto e : shape) total *= e;
  for (std::size_t flat = 0; flat < total; ++flat)
    if ((flat / st[axis]) % shape[axis] == 0) f(flat, st[axis], shape[axis]);
}

// softmax along an axis, the textbook way: exp(x) / sum exp(x) in long double.
template <class C>
ref_array<long double> softmax_ref(const C& x, std::size_t axis, bool log_form = false) {
  ref_array<long double> out{theon_test::shape_of(x), theon_test::long_values(x)};
  for_each_line(out.shape, axis, [&](std::size_t first, std::size_t stride, std::size_t n) {
    long double s = 0;
    for (std::size_t k = 0; k < n; ++k) s += std::exp(out.values[first + k * stride]);
    for (std::size_t k = 0; k < n; ++k) {
      long double& v = out.values[first + k * stride];
      v = log_form ? v - std::log(s) : std::exp(v) / s;
    }
  });
  return out;
}

// log sum exp over the given axes (empty: all), keepdims optional.
template <class C>
ref_array<long double> logsumexp_ref(const C& x, std::vector<int> axes = {}, bool keep = false) {
  auto e = theon_test::map<long double>(x, [](auto v) { return std::exp(static_cast<long double>(v)); });
  auto s = theon_test::reduce_ref<long double>(e, axes, keep, 0.0L, [](long double a, long double b) { return a + b; });
  for (auto& v : s.values) v = std::log(v);
  return s;
}

// ---------------------------------------------------------------- softmax ----

TEST(Softmax, LastAxisByDefault) {
  constexpr theon::vector<"x"> x;
  constexpr theon::matrix<"X"> X;
  const auto xs = random_vector<double>(37, -5, 5, 1);
  const auto Xs = random_matrix<double>(6, 29, -5, 5, 2);
  auto s1 = eval(softmax(x), x = xs);
  auto s2 = eval(softmax(X), X = Xs);
  static_assert(std::is_same_v<decltype(s1), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(s2), xt::xtensor<double, 2>>);
  EXPECT_TRUE(all_close(s1, softmax_ref(xs, 0), 1e-12, 1e-15));
  EXPECT_TRUE(all_close(s2, softmax_ref(Xs, 1), 1e-12, 1e-15));
  // Each row sums to one.
  for (std::size_t i = 0; i < 6; ++i) {
    double row = 0;
    for (std::size_t j = 0; j < 29; ++j) row += s2(i, j);
    EXPECT_NEAR(row, 1.0, 1e-12);
  }
}

TEST(Softmax, OtherAxes) {
  constexpr theon::matrix<"X"> X;
  constexpr theon::tensor<"T", double, 3> T;
  const auto Xs = random_matrix<double>(17, 5, -5, 5, 3);
  EXPECT_TRUE(all_close(eval(softmax(X, theon::axis<0>), X = Xs), softmax_ref(Xs, 0), 1e-12, 1e-15));
  EXPECT_TRUE(all_close(eval(softmax(X, theon::axis<-2>), X = Xs), softmax_ref(Xs, 0), 1e-12, 1e-15));
  EXPECT_TRUE(all_close(eval(softmax(X, theon::axis<-1>), X = Xs), softmax_ref(Xs, 1), 1e-12, 1e-15));
  const auto Ts = random<double, 3>({3, 11, 4}, -5, 5, 4);
  EXPECT_TRUE(all_close(eval(softmax(T, theon::axis<1>), T = Ts), softmax_ref(Ts, 1), 1e-12, 1e-15));
}

TEST(Softmax, FloatAndInt) {
  constexpr theon::matrix<"X", float> X;
  constexpr theon::vector<"i", theon::int32> i;
  const auto Xs = random_matrix<float>(5, 21, -5, 5, 5);
  auto s = eval(softmax(X), X = Xs);
  static_assert(std::is_same_v<decltype(s), xt::xtensor<float, 2>>);
  EXPECT_TRUE(all_close(s, softmax_ref(Xs, 1), 1e-5, 1e-7));
  // An integer operand computes in double, like exp.
  const auto is = random_vector<theon::int32>(9, -5, 5, 6);
  auto si = eval(softmax(i), i = is);
  static_assert(std::is_same_v<decltype(si), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_close(si, softmax_ref(is, 0), 1e-12, 1e-15));
}

// exp(1000) overflows; the max is subtracted first, so nothing does.
TEST(Softmax, Stability) {
  constexpr theon::vector<"x"> x;
  constexpr theon::matrix<"X"> X;
  auto s = eval(softmax(x), x = xt::xtensor<double, 1>{1000, 1000, -1000});
  for (double v : s) EXPECT_TRUE(std::isfinite(v));
  EXPECT_DOUBLE_EQ(s(0), 0.5);
  EXPECT_DOUBLE_EQ(s(1), 0.5);
  EXPECT_EQ(s(2), 0.0);
  // Rows shifted by large constants give the softmax of the unshifted rows.
  const auto Xs = random_matrix<double>(4, 13, -3, 3, 7);
  xt::xtensor<double, 2> shifted = Xs;
  for (std::size_t j = 0; j < 13; ++j) {
    shifted(0, j) += 800;
    shifted(1, j) -= 800;
    shifted(2, j) += 1e5;
  }
  auto ss = eval(softmax(X), X = shifted);
  for (double v : ss) EXPECT_TRUE(std::isfinite(v));
  // (x + 1e5 keeps about 5 fewer digits of x, hence the looser tolerance)
  EXPECT_TRUE(all_close(ss, softmax_ref(Xs, 1), 1e-9, 1e-12));
}

// ------------------------------------------------------------ log_softmax ----

TEST(LogSoftmax, LastAxisAndAxis0) {
  constexpr theon::vector<"x"> x;
  constexpr theon::matrix<"X"> X;
  const auto xs = random_vector<double>(37, -5, 5, 11);
  const auto Xs = random_matrix<double>(8, 19, -5, 5, 12);
  auto l1 = eval(log_softmax(x), x = xs);
  auto l2 = eval(log_softmax(X), X = Xs);
  auto l0 = eval(log_softmax(X, theon::axis<0>), X = Xs);
  static_assert(std::is_same_v<decltype(l2), xt::xtensor<double, 2>>);
  EXPECT_TRUE(all_close(l1, softmax_ref(xs, 0, true), 1e-12, 1e-12));
  EXPECT_TRUE(all_close(l2, softmax_ref(Xs, 1, true), 1e-12, 1e-12));
  EXPECT_TRUE(all_close(l0, softmax_ref(Xs, 0, true), 1e-12, 1e-12));
}

// log_softmax stays finite where log(softmax) would be log(0) = -inf.
TEST(LogSoftmax, Stability) {
  constexpr theon::vector<"x"> x;
  auto l = eval(log_softmax(x), x = xt::xtensor<double, 1>{1000, 1000, -1000});
  EXPECT_TRUE(theon_test::close(l(0), -std::log(2.0), 1e-15));
  EXPECT_TRUE(theon_test::close(l(1), -std::log(2.0), 1e-15));
  EXPECT_TRUE(theon_test::close(l(2), -2000 - std::log(2.0), 1e-15));
}

// -------------------------------------------------------------- logsumexp ----

TEST(LogSumExp, AllAxesAxisAndKeepdims) {
  constexpr theon::vector<"x"> x;
  constexpr theon::matrix<"X"> X;
  constexpr theon::tensor<"T", double, 3> T;
  const auto xs = random_vector<double>(37, -5, 5, 21);
  const auto Xs = random_matrix<double>(7, 23, -5, 5, 22);
  const auto Ts = random<double, 3>({3, 4, 5}, -5, 5, 23);
  auto a1 = eval(logsumexp(x), x = xs);
  auto a2 = eval(logsumexp(X), X = Xs);
  auto r = eval(logsumexp(X, theon::axis<1>), X = Xs);
  auto ck = eval(logsumexp(X, theon::axis<0>, theon::keepdims), X = Xs);
  auto allk = eval(logsumexp(X, theon::keepdims), X = Xs);
  auto t02 = eval(logsumexp(T, theon::axes<0, -1>), T = Ts);
  static_assert(std::is_same_v<decltype(a1), double>);
  static_assert(std::is_same_v<decltype(a2), double>);
  static_assert(std::is_same_v<decltype(r), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(ck), xt::xtensor<double, 2>>);
  static_assert(std::is_same_v<decltype(allk), xt::xtensor<double, 2>>);
  static_assert(std::is_same_v<decltype(t02), xt::xtensor<double, 1>>);
  EXPECT_TRUE(theon_test::close(a1, static_cast<double>(logsumexp_ref(xs).values[0]), 1e-12));
  EXPECT_TRUE(theon_test::close(a2, static_cast<double>(logsumexp_ref(Xs).values[0]), 1e-12));
  EXPECT_TRUE(all_close(r, logsumexp_ref(Xs, {1}), 1e-12));
  EXPECT_TRUE(all_close(ck, logsumexp_ref(Xs, {0}, true), 1e-12));
  ASSERT_EQ(ck.shape(0), 1u);
  ASSERT_EQ(ck.shape(1), 23u);
  EXPECT_TRUE(all_close(allk, logsumexp_ref(Xs, {}, true), 1e-12));
  ASSERT_EQ(allk.shape(0), 1u);
  ASSERT_EQ(allk.shape(1), 1u);
  EXPECT_TRUE(all_close(t02, logsumexp_ref(Ts, {0, 2}), 1e-12));
  ASSERT_EQ(t02.size(), 4u);
}

// logsumexp of [1000, 1000] is 1000 + log 2, not inf.
TEST(LogSumExp, Stability) {
  constexpr theon::vector<"x"> x;
  constexpr theon::matrix<"X"> X;
  EXPECT_EQ(eval(logsumexp(x), x = xt::xtensor<double, 1>{1000, 1000}), 1000 + std::log(2.0));
  EXPECT_TRUE(theon_test::close(eval(logsumexp(x), x = xt::xtensor<double, 1>{-1000, -1000, -1000}),
                                -1000 + std::log(3.0), 1e-15));
  // -inf entries contribute nothing.
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(theon_test::close(eval(logsumexp(x), x = xt::xtensor<double, 1>{-inf, 0.0}), 0.0, 0, 1e-15));
  // Per row: large offsets in each row.
  xt::xtensor<double, 2> big = {{1000, 1000, 1000, 1000}, {-1000, -1000, -2000, -3000}, {1e300, 0, 0, 0}};
  auto r = eval(logsumexp(X, theon::axis<1>), X = big);
  EXPECT_TRUE(theon_test::close(r(0), 1000 + std::log(4.0), 1e-15));
  EXPECT_TRUE(theon_test::close(r(1), -1000 + std::log(2.0), 1e-15));
  EXPECT_EQ(r(2), 1e300);
}

}  // namespace
