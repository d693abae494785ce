// What a compiled function accepts as inputs and gives back as outputs:
// xtensor containers, xarrays (and a wrong rank), xtensor expressions,
// strided views, adaptors, std::vector, std::span, theon::ref, numbers,
// static-extent variables; inputs are never written; several outputs come
// back as a tuple, rank-0 outputs as numbers; one function object serves
// calls of different sizes.
#include <gtest/gtest.h>

#include <span>
#include <tuple>
#include <type_traits>
#include <vector>

#include <xtensor/xadapt.hpp>
#include <xtensor/xarray.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xstrided_view.hpp>
#include <xtensor/xview.hpp>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon::int32;
using theon_test::all_close;
using theon_test::all_equal;
using theon_test::map;
using theon_test::random_matrix;
using theon_test::random_vector;

// The two kernels most tests bind things to (one instantiation each).
constexpr theon::vector<"x"> x;
constexpr theon::matrix<"A"> A;
auto vector_function() { return theon::function(x * 2_c + 1_c); }
auto matrix_function() { return theon::function(A * 3_c - 1_c); }

template <class C>
auto vector_ref(const C& c) {
  return map<double>(c, [](double v) { return v * 2 + 1; });
}
template <class C>
auto matrix_ref(const C& c) {
  return map<double>(c, [](double v) { return v * 3 - 1; });
}

// ---------------------------------------------------- xtensor containers ----

// A derivative that no longer reads a variable: binding it anyway is accepted
// (a training loop binds every parameter) and the value is ignored; with
// theon::strict_inputs the binding is a compile error
// (compile_fail/binding_not_an_input.cpp).
TEST(Inputs, BindingsOfVariablesAFunctionDoesNotReadAreIgnored) {
  constexpr theon::scalar<"s"> s;
  constexpr theon::vector<"x"> x;
  const xt::xtensor<double, 1> xs{1.0, 2.5, -4.0};
  auto f = theon::function(theon::grad(theon::sum(s * x), s));  // sum(x): s is gone
  EXPECT_EQ(f(x = xs, s = 2.0), -0.5);
  auto strict = theon::function(theon::strict_inputs, theon::no_rewrites, theon::sum(s * x));
  EXPECT_EQ(strict(x = xs, s = 2.0), -1.0);
}

TEST(Inputs, XtensorAndXarray) {
  auto f = vector_function();
  const auto xs = random_vector<double>(29, -5, 5, 1);
  auto r = f(x = xs);
  static_assert(std::is_same_v<decltype(r), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_equal(r, vector_ref(xs)));
  const xt::xarray<double> xa = xs;
  EXPECT_TRUE(all_equal(f(x = xa), vector_ref(xs)));

  auto g = matrix_function();
  const xt::xtensor<double, 2> Ms = random_matrix<double>(5, 9, -5, 5, 2);
  const xt::xarray<double> Ma = Ms;
  EXPECT_TRUE(all_equal(g(A = Ms), matrix_ref(Ms)));
  EXPECT_TRUE(all_equal(g(A = Ma), matrix_ref(Ms)));
}

// An xarray's rank is known only at run time: a wrong one throws.
TEST(Inputs, XarrayOfWrongRankThrows) {
  auto f = vector_function();
  const xt::xarray<double> m = xt::zeros<double>({2, 3});
  EXPECT_TRUE(theon_test::shape_error_says([&] { f(x = m); }, {"'x'", "rank 1", "rank 2"}));
  auto g = matrix_function();
  const xt::xarray<double> v = xt::zeros<double>({4});
  EXPECT_TRUE(theon_test::shape_error_says([&] { g(A = v); }, {"'A'", "rank 2", "rank 1"}));
}

// Other xtensor expressions are evaluated once, then read.
TEST(Inputs, XtensorExpressions) {
  auto f = vector_function();
  const auto xs = random_vector<double>(29, -5, 5, 3);
  const xt::xtensor<double, 1> xs1 = xs + 1.0;
  EXPECT_TRUE(all_equal(f(x = xs + 1.0), vector_ref(xs1)));
  const xt::xtensor<double, 1> ex = xt::exp(xs);
  EXPECT_TRUE(all_close(f(x = xt::exp(xs)), vector_ref(ex), 1e-15));
  auto g = matrix_function();
  const auto Ms = random_matrix<double>(4, 6, -5, 5, 4);
  const xt::xtensor<double, 2> Ms2 = Ms * Ms;
  EXPECT_TRUE(all_equal(g(A = Ms * Ms), matrix_ref(Ms2)));
}

// Adaptors over caller memory are read in place.
TEST(Inputs, Adaptors) {
  auto g = matrix_function();
  std::vector<double> buf(6 * 11);
  for (std::size_t i = 0; i < buf.size(); ++i) buf[i] = 0.25 * static_cast<double>(i) - 3;
  const auto adapted = xt::adapt(buf, std::vector<std::size_t>{6, 11});
  const xt::xtensor<double, 2> copy = adapted;
  EXPECT_TRUE(all_equal(g(A = adapted), matrix_ref(copy)));
}

// ------------------------------------------------------- strided views ----

// Views with non-unit strides are read in place; rows longer than a SIMD batch.
TEST(Inputs, StridedViews) {
  auto g = matrix_function();
  const auto Ms = random_matrix<double>(24, 30, -5, 5, 5);
  const auto t = xt::transpose(Ms);  // (30, 24), strides (1, 30)
  EXPECT_TRUE(all_equal(g(A = t), matrix_ref(xt::xtensor<double, 2>(t))));
  const auto every_other = xt::strided_view(Ms, {xt::range(1, 24, 2), xt::range(0, 30, 3)});  // (12, 10)
  EXPECT_TRUE(all_equal(g(A = every_other), matrix_ref(xt::xtensor<double, 2>(every_other))));
  const auto column = xt::strided_view(Ms, {xt::all(), 7});  // (24), stride 30
  auto f = vector_function();
  EXPECT_TRUE(all_equal(f(x = column), vector_ref(xt::xtensor<double, 1>(column))));
}

// Views that keep unit strides along rows (a block of rows, a reversed-free slice).
TEST(Inputs, StridedViewsWithContiguousRows) {
  auto g = matrix_function();
  const auto Ms = random_matrix<double>(24, 30, -5, 5, 6);
  const auto rows = xt::strided_view(Ms, {xt::range(3, 20, 4), xt::all()});  // (5, 30), strides (120, 1)
  EXPECT_TRUE(all_equal(g(A = rows), matrix_ref(xt::xtensor<double, 2>(rows))));
  const auto block = xt::strided_view(Ms, {xt::range(2, 9), xt::range(5, 25)});  // (7, 20), offset
  EXPECT_TRUE(all_equal(g(A = block), matrix_ref(xt::xtensor<double, 2>(block))));
  // A transposed view whose rows are short (scalar loop).
  const auto small = random_matrix<double>(5, 3, -5, 5, 7);
  const auto st = xt::transpose(small);
  EXPECT_TRUE(all_equal(g(A = st), matrix_ref(xt::xtensor<double, 2>(st))));
}

// An xt::view binds in place (xt::xview overloads unary operator&, so the
// binding must take std::addressof).
TEST(Inputs, XtView) {
  auto g = matrix_function();
  const auto Ms = random_matrix<double>(8, 12, -5, 5, 8);
  const auto v = xt::view(Ms, xt::range(1, 7), xt::range(2, 12, 2));
  EXPECT_TRUE(all_equal(g(A = v), matrix_ref(xt::xtensor<double, 2>(v))));
}

// ------------------------------------------------- std containers, ref ----

TEST(Inputs, VectorAndSpan) {
  auto f = vector_function();
  const std::vector<double> vs = {1.5, -2, 3, 0.25, 9, -7, 11, 2, 4, 8, -1};
  const xt::xtensor<double, 1> copy = xt::adapt(vs, {vs.size()});
  EXPECT_TRUE(all_equal(f(x = vs), vector_ref(copy)));
  EXPECT_TRUE(all_equal(f(x = std::span<const double>(vs)), vector_ref(copy)));
  std::vector<double> mutable_vs = vs;
  EXPECT_TRUE(all_equal(f(x = std::span<double>(mutable_vs)), vector_ref(copy)));
  EXPECT_TRUE(all_equal(f(x = std::span<const double>(vs).subspan(2, 5)), vector_ref(xt::xtensor<double, 1>(xt::view(copy, xt::range(2, 7))))));
  const std::vector<double> empty;
  EXPECT_EQ(f(x = empty).size(), 0u);
  // Other element types go to variables of that dtype.
  constexpr theon::vector<"i", int32> i;
  const std::vector<int32> is = {3, -4, 5};
  auto r = theon_test::eval(i * 2_c, i = is);
  static_assert(std::is_same_v<decltype(r), xt::xtensor<int32, 1>>);
  EXPECT_TRUE(all_equal(r, xt::xtensor<int32, 1>{6, -8, 10}));
}

TEST(Inputs, RefToRawMemory) {
  auto g = matrix_function();
  std::vector<double> buf(3 * 4);
  for (std::size_t k = 0; k < buf.size(); ++k) buf[k] = static_cast<double>(k) - 5;
  auto r = g(A = theon::ref(buf.data(), {3, 4}));
  ASSERT_EQ(r.shape(0), 3u);
  ASSERT_EQ(r.shape(1), 4u);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(r(i, j), buf[i * 4 + j] * 3 - 1);
  // The same memory seen as (2, 6).
  auto r2 = g(A = theon::ref(buf.data(), {2, 6}));
  ASSERT_EQ(r2.shape(0), 2u);
  EXPECT_EQ(r2(1, 5), buf[11] * 3 - 1);
  // From a span the element count is checked.
  EXPECT_EQ(g(A = theon::ref(std::span<double>(buf), {4, 3}))(3, 2), buf[11] * 3 - 1);
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon::ref(std::span<double>(buf), {3, 5}); },
                                           {"[3, 5]", "15", "12"}));
}

// theon::ref of a std::span<const T> views read-only memory.
TEST(Inputs, RefOfConstSpan) {
  auto g = matrix_function();
  const std::vector<double> buf = {1, 2, 3, 4, 5, 6};
  EXPECT_EQ(g(A = theon::ref(std::span<const double>(buf), {2, 3}))(1, 2), 6 * 3 - 1);
}

// ---------------------------------------------------------------- scalars ----

TEST(Inputs, NumbersForScalarVariables) {
  constexpr theon::scalar<"a"> a;
  constexpr theon::scalar<"n", int32> n;
  auto f = theon::function(a * x + n);
  const auto xs = random_vector<double>(19, -5, 5, 9);
  auto r = f(x = xs, a = 1.5, n = 3);
  static_assert(std::is_same_v<decltype(r), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_equal(r, map<double>(xs, [](double v) { return 1.5 * v + 3; })));
  // A number of another arithmetic type converts to the variable's dtype; a 0-d xtensor works too.
  EXPECT_TRUE(all_equal(f(x = xs, a = 2, n = 1), map<double>(xs, [](double v) { return 2 * v + 1; })));
  const xt::xtensor<double, 0> a0 = 0.5;
  const xt::xtensor<int32, 0> n0 = -2;
  EXPECT_TRUE(all_equal(f(x = xs, a = a0, n = n0), map<double>(xs, [](double v) { return 0.5 * v - 2; })));
}

// -------------------------------------------------------- static extents ----

TEST(Inputs, StaticExtentsCheckedAtBindTime) {
  constexpr theon::var<"v", double, theon::shape<3>> v;
  constexpr theon::var<"M", double, theon::shape<theon::dyn, 3>> M;
  auto f = theon::function(M * v);
  const xt::xtensor<double, 1> v3 = {1, 2, 3}, v4 = {1, 2, 3, 4};
  const xt::xtensor<double, 2> m23 = {{1, 1, 1}, {2, 2, 2}}, m24 = xt::zeros<double>({2, 4});
  auto r = f(M = m23, v = v3);
  static_assert(std::is_same_v<decltype(r), xt::xtensor<double, 2>>);
  EXPECT_TRUE(all_equal(r, xt::xtensor<double, 2>{{1, 2, 3}, {2, 4, 6}}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { f(M = m23, v = v4); }, {"'v'", "3", "[4]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { f(M = m24, v = v3); }, {"'M'", "3", "axis 1", "[2, 4]"}));
  const std::vector<double> vec4 = {1, 2, 3, 4};
  EXPECT_TRUE(theon_test::shape_error_says([&] { f(M = m23, v = vec4); }, {"'v'", "[4]"}));
}

// ---------------------------------------------------- inputs are not written ----

TEST(Inputs, NeverModified) {
  constexpr theon::vector<"y"> y;
  // Outputs that are inputs, views of inputs and computed values, with temporaries.
  auto f = theon::function(x, transpose(A), exp(x) / theon::sum(exp(x)), A * y + x, theon::sum(A, theon::axis<0>));
  const auto xs = random_vector<double>(16, -2, 2, 10);
  const auto ys = random_vector<double>(16, -2, 2, 11);
  const auto Ms = random_matrix<double>(9, 16, -2, 2, 12);
  const auto xs0 = xs;
  const auto ys0 = ys;
  const auto Ms0 = Ms;
  std::vector<double> yv(ys.begin(), ys.end());
  const auto yv0 = yv;
  auto [xo, At, sm, axy, s0] = f(x = xs, A = Ms, y = yv);
  EXPECT_TRUE(all_equal(xs, xs0));
  EXPECT_TRUE(all_equal(Ms, Ms0));
  EXPECT_EQ(yv, yv0);
  // The outputs are copies: writing them leaves the inputs alone.
  EXPECT_TRUE(all_equal(xo, xs0));
  xo(0) = 1e9;
  At(0, 0) = 1e9;
  EXPECT_TRUE(all_equal(xs, xs0));
  EXPECT_TRUE(all_equal(Ms, Ms0));
  (void)sm;
  (void)axy;
  (void)s0;
  // The same through a strided view and theon::ref.
  auto g = matrix_function();
  g(A = xt::transpose(Ms));
  g(A = theon::ref(Ms.data(), {16, 9}));
  EXPECT_TRUE(all_equal(Ms, Ms0));
  EXPECT_TRUE(all_equal(ys, ys0));
}

// ------------------------------------------------------------------ outputs ----

TEST(Outputs, StructuredBindings) {
  constexpr theon::vector<"y"> y;
  auto f = theon::function(x + y, theon::sum(x * y), x, matmul(A, x), theon::max(A, theon::axis<1>));
  const auto xs = random_vector<double>(7, -2, 2, 20);
  const auto ys = random_vector<double>(7, -2, 2, 21);
  const auto Ms = random_matrix<double>(4, 7, -2, 2, 22);
  auto [s, d, xc, Ax, mx] = f(x = xs, y = ys, A = Ms);
  static_assert(std::is_same_v<decltype(s), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(d), double>);
  static_assert(std::is_same_v<decltype(xc), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(Ax), xt::xtensor<double, 1>>);
  static_assert(std::is_same_v<decltype(mx), xt::xtensor<double, 1>>);
  EXPECT_TRUE(all_equal(s, theon_test::map2<double>(xs, ys, std::plus<>())));
  double dot = 0;
  for (std::size_t i = 0; i < 7; ++i) dot += xs(i) * ys(i);
  EXPECT_NEAR(d, dot, 1e-12);
  EXPECT_TRUE(all_equal(xc, xs));
  for (std::size_t i = 0; i < 4; ++i) {
    double row = 0, best = Ms(i, 0);
    for (std::size_t j = 0; j < 7; ++j) {
      row += Ms(i, j) * xs(j);
      best = std::max(best, Ms(i, j));
    }
    EXPECT_NEAR(Ax(i), row, 1e-12);
    EXPECT_EQ(mx(i), best);
  }
}

// Rank-0 outputs are plain numbers, alone or among others; the same output twice is two values.
TEST(Outputs, RankZeroAndRepeated) {
  const auto xs = random_vector<double>(10, -2, 2, 23);
  double total = 0;
  for (double v : xs) total += v;
  auto one = theon::function(theon::sum(x));
  double s = one(x = xs);
  EXPECT_NEAR(s, total, 1e-12);
  auto two = theon::function(theon::sum(x), theon::mean(x));
  auto [s2, m2] = two(x = xs);
  static_assert(std::is_same_v<decltype(s2), double>);
  static_assert(std::is_same_v<decltype(m2), double>);
  EXPECT_NEAR(s2, total, 1e-12);
  EXPECT_NEAR(m2, total / 10, 1e-12);
  auto rep = theon::function(exp(x), exp(x));
  auto [e1, e2] = rep(x = xs);
  EXPECT_TRUE(all_equal(e1, e2));
  e1(0) = 0;
  EXPECT_NE(e2(0), 0);
}

// One function object, called with growing and shrinking sizes: kept buffers grow and are reused.
TEST(Outputs, SameFunctionDifferentSizes) {
  constexpr theon::matrix<"X"> X;
  const auto e = exp(X - theon::max(X, theon::axis<1>, theon::keepdims));
  auto f = theon::function(e / theon::sum(e, theon::axis<1>, theon::keepdims));
  ASSERT_GT(f.plan().temporaries(), 0u);
  for (std::size_t n : {3u, 50u, 1u, 200u, 7u}) {
    const std::size_t m = n % 5 + 2;
    const auto Xs = random_matrix<double>(n, m, -3, 3, static_cast<unsigned>(n));
    auto r = f(X = Xs);
    ASSERT_EQ(r.shape(0), n);
    ASSERT_EQ(r.shape(1), m);
    for (std::size_t i = 0; i < n; ++i) {
      double z = 0;
      for (std::size_t j = 0; j < m; ++j) z += std::exp(Xs(i, j));
      for (std::size_t j = 0; j < m; ++j) EXPECT_NEAR(r(i, j), std::exp(Xs(i, j)) / z, 1e-12) << n << "x" << m;
    }
  }
  // And a vector function: long, short, empty, long again.
  auto g = vector_function();
  for (std::size_t n : {1000u, 3u, 0u, 2000u}) {
    const auto xs = random_vector<double>(n, -1, 1, static_cast<unsigned>(n) + 1);
    EXPECT_TRUE(all_equal(g(x = xs), vector_ref(xs))) << n;
  }
}

}  // namespace
