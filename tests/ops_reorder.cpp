// triu (and tril's and triu's diagonal offsets), cumprod, argmax, argmin and roll: values against loops and NumPy's
// answers written out by hand, the edges (NaN, ties, zeros, empty axes,
// shifts past the extent), inputs untouched, static shapes and dtypes, the
// printed forms, and derivatives against finite differences (cumprod's also
// where x has zeros).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_support.hpp"

namespace {

using namespace theon::literals;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"v"> v;  // a direction
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"W"> W;  // weights

const xt::xtensor<double, 2> as{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10, 11, 12}};  // 3 x 4
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

xt::xtensor<double, 2> weights(std::size_t rows, std::size_t cols, unsigned seed) {
  const auto entries = theon_test::random_vector<double>(rows * cols, -1, 1, seed);
  xt::xtensor<double, 2> w = xt::xtensor<double, 2>::from_shape({rows, cols});
  std::copy(entries.begin(), entries.end(), w.begin());
  return w;
}

// ---------------------------------------------------------------- triu

TEST(Triu, KeepsTheUpperTriangleOfAnyMatrix) {
  auto f = theon::function(theon::triu(A), theon::tril(A), theon::triu(theon::transpose(A)));
  const auto copy = as;
  const auto [upper, lower, upper_of_transpose] = f(A = as);
  EXPECT_EQ(upper, (xt::xtensor<double, 2>{{1, 2, 3, 4}, {0, 6, 7, 8}, {0, 0, 11, 12}}));
  EXPECT_EQ(lower, (xt::xtensor<double, 2>{{1, 0, 0, 0}, {5, 6, 0, 0}, {9, 10, 11, 0}}));  // tril as before
  ASSERT_EQ(upper_of_transpose.shape(), (std::array<std::size_t, 2>{4, 3}));  // read through the strides
  for (std::size_t i = 0; i < 4; ++i)
    for (std::size_t j = 0; j < 3; ++j) EXPECT_EQ(upper_of_transpose(i, j), j >= i ? as(j, i) : 0.0);
  EXPECT_EQ(as, copy);
  EXPECT_EQ(theon::to_string(theon::triu(A)), "triu(A)");
  static_assert(std::is_same_v<theon::dtype_t<decltype(theon::triu(theon::var<"F", float, theon::shape<2, 3>>{}))>, float>);
  static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::triu(theon::var<"F", float, theon::shape<2, 3>>{}))>,
                               theon::shape<2, 3>>);
}

// NumPy's k: triu(a, 1) drops the main diagonal, tril(a, -1) too, tril(a, 1) keeps one more.
TEST(Triu, DiagonalOffsets) {
  auto f = theon::function(theon::triu<1>(A), theon::tril<-1>(A), theon::tril<1>(A), theon::triu<-2>(A), theon::triu<4>(A));
  const auto [above, below, lower_plus, all, none] = f(A = as);
  EXPECT_EQ(above, (xt::xtensor<double, 2>{{0, 2, 3, 4}, {0, 0, 7, 8}, {0, 0, 0, 12}}));
  EXPECT_EQ(below, (xt::xtensor<double, 2>{{0, 0, 0, 0}, {5, 0, 0, 0}, {9, 10, 0, 0}}));
  EXPECT_EQ(lower_plus, (xt::xtensor<double, 2>{{1, 2, 0, 0}, {5, 6, 7, 0}, {9, 10, 11, 12}}));
  EXPECT_EQ(all, as);
  EXPECT_EQ(none, (xt::xtensor<double, 2>(xt::zeros<double>({3, 4}))));
  EXPECT_EQ(theon::to_string(theon::triu<1>(A)), "triu(A, k=1)");
  EXPECT_EQ(theon::to_string(theon::tril<-1>(A)), "tril(A, k=-1)");
  const auto g = theon_test::eval(theon::grad(theon::sum(W * theon::tril<-1>(A)), A), A = as, W = weights(3, 4, 2));
  EXPECT_EQ(g, theon_test::eval(theon::tril<-1>(W), W = weights(3, 4, 2)));  // self-adjoint with its offset
}

TEST(Triu, LinearAndSelfAdjoint) {
  const auto ws = weights(3, 4, 1);
  const auto g = theon_test::eval(theon::grad(theon::sum(W * theon::triu(A)), A), A = as, W = ws);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(g(i, j), j >= i ? ws(i, j) : 0.0);
  const auto report = theon::check_grad(theon::sum(theon::sin(theon::triu(A)) * W), A, A = as / 10.0, W = ws);
  EXPECT_TRUE(report.ok) << report.to_string();
  constexpr theon::matrix<"D"> D;
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::triu(A), A, D), D = ws), (theon_test::eval(theon::triu(D), D = ws)));
}

// ---------------------------------------------------------------- cumprod

TEST(Cumprod, RunningProductsAlongAnAxis) {
  constexpr theon::vector<"k", theon::int32> k;
  const xt::xtensor<double, 1> xs{2, -3, 0.5, 4, 0, 7};
  auto f = theon::function(theon::cumprod(x), theon::cumprod(A, theon::axis<0>), theon::cumprod(A, theon::axis<-1>),
                           theon::cumprod(theon::transpose(A), theon::axis<1>), theon::cumprod(k), theon::cumsum(x));
  const auto copy = xs;
  const auto [products, down, across, transposed, counts, sums] = f(x = xs, A = as, k = xt::xtensor<theon::int32, 1>{3, -2, 100000});
  EXPECT_EQ(products, (xt::xtensor<double, 1>{2, -6, -3, -12, -0.0, -0.0}));  // NumPy: [2, -6, -3, -12, -0, -0]
  EXPECT_TRUE(std::signbit(products(5)));
  EXPECT_EQ(down, (xt::xtensor<double, 2>{{1, 2, 3, 4}, {5, 12, 21, 32}, {45, 120, 231, 384}}));
  EXPECT_EQ(across, (xt::xtensor<double, 2>{{1, 2, 6, 24}, {5, 30, 210, 1680}, {9, 90, 990, 11880}}));
  EXPECT_EQ(transposed, (xt::xtensor<double, 2>{{1, 5, 45}, {2, 12, 120}, {3, 21, 231}, {4, 32, 384}}));
  // Integers (and bool) accumulate in int64, as cumsum's.
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(counts)>, xt::xtensor<theon::int64, 1>>);
  EXPECT_EQ(counts, (xt::xtensor<theon::int64, 1>{3, -6, -600000}));
  static_assert(std::is_same_v<theon::dtype_t<decltype(theon::cumprod(theon::vector<"b", bool>{}))>, theon::int64>);
  EXPECT_EQ(sums, (xt::xtensor<double, 1>{2, -1, -0.5, 3.5, 3.5, 10.5}));  // cumsum as before
  EXPECT_EQ(xs, copy);
  // Against a loop on a random matrix, along each axis.
  const auto rs = weights(5, 7, 2);
  const auto [rows, columns] = theon::function(theon::cumprod(A, theon::axis<0>), theon::cumprod(A, theon::axis<1>))(A = rs);
  for (std::size_t j = 0; j < 7; ++j)
    for (std::size_t i = 0; i < 5; ++i) {
      double product = 1;
      for (std::size_t r = 0; r <= i; ++r) product *= rs(r, j);
      EXPECT_DOUBLE_EQ(rows(i, j), product);
    }
  for (std::size_t i = 0; i < 5; ++i) {
    double product = 1;
    for (std::size_t j = 0; j < 7; ++j) EXPECT_DOUBLE_EQ(columns(i, j), product *= rs(i, j));
  }
  // NaN and infinities propagate as in products: inf * 0 is NaN.
  EXPECT_TRUE(theon_test::all_equal(theon_test::eval(theon::cumprod(x), x = xt::xtensor<double, 1>{inf, 0, 2, nan, 1}),
                                    (xt::xtensor<double, 1>{inf, nan, nan, nan, nan})));
  EXPECT_EQ(theon::to_string(theon::cumprod(A, theon::axis<-1>)), "cumprod(A, axis=1)");
}

// d/dx_k sum_j g_j P_j = sum_{j >= k} g_j prod_{i <= j, i != k} x_i, written out for x = (a, b, c):
// (g0 + g1 b + g2 b c, g1 a + g2 a c, g2 a b).
TEST(Cumprod, GradientIsExactWhereXHasZeros) {
  constexpr theon::vector<"g"> g;
  const xt::xtensor<double, 1> gs{0.5, -2, 3};
  auto gradient = theon::function(theon::grad(theon::sum(g * theon::cumprod(x)), x));
  auto expected = [&](double a, double b, double c) {
    return xt::xtensor<double, 1>{gs(0) + gs(1) * b + gs(2) * b * c, gs(1) * a + gs(2) * a * c, gs(2) * a * b};
  };
  for (const auto& point : {std::array<double, 3>{2, -3, 0.5}, {0, -3, 0.5}, {2, 0, 0.5}, {2, -3, 0}, {0, 0, 0.5},
                            {0, -3, 0}, {0, 0, 0}}) {
    const xt::xtensor<double, 1> xs{point[0], point[1], point[2]};
    EXPECT_TRUE(theon_test::all_close(gradient(x = xs, g = gs), expected(point[0], point[1], point[2]), 1e-15))
        << point[0] << " " << point[1] << " " << point[2];
  }
  // Finite differences: random x, x with one zero, x with two.
  auto ys = theon_test::random_vector<double>(9, -1.5, 1.5, 3);
  for (std::size_t zeros = 0; zeros < 3; ++zeros) {
    if (zeros > 0) ys(zeros * 3) = 0;
    const auto report = theon::check_grad(theon::sum(theon::sin(theon::cumprod(x)) * theon::flip(x)), x, x = ys);
    EXPECT_TRUE(report.ok) << zeros << " zeros: " << report.to_string();
  }
  const auto ms = weights(4, 5, 4);
  auto with_zero = ms;
  with_zero(1, 2) = 0;
  for (const auto& point : {ms, with_zero}) {
    const auto down = theon::check_grad(theon::sum(theon::cumprod(A, theon::axis<0>) * W), A, A = point, W = ms);
    EXPECT_TRUE(down.ok) << down.to_string();
    const auto across = theon::check_grad(theon::sum(theon::square(theon::cumprod(A, theon::axis<1>))), A, A = point);
    EXPECT_TRUE(across.ok) << across.to_string();
  }
  // Forward mode: the product rule step by step, also at zeros.
  const xt::xtensor<double, 1> at{2, 0, 0.5}, direction{1, -1, 4};
  // P = (a, ab, abc): P-dot = (da, da b + a db, (da b + a db) c + a b dc) = (1, -2, -1 + 0) at b = 0.
  EXPECT_TRUE(theon_test::all_close(theon_test::eval(theon::jvp(theon::cumprod(x), x, v), x = at, v = direction),
                                    (xt::xtensor<double, 1>{1, -2, -1}), 1e-15));
}

// Second derivatives, written out for x = (a, b, c) and weights w: the Hessian of
// w . cumprod(x) = w0 a + w1 a b + w2 a b c, and the second directional derivative
// of cumprod along (v, u). Both hold where x has zeros.
TEST(Cumprod, SecondDerivativesAlsoWhereXHasZeros) {
  constexpr theon::vector<"w"> w;
  constexpr theon::vector<"u"> u;
  const xt::xtensor<double, 1> ws{0.5, -2, 3}, vs{1, -1, 4}, us{2, 0.5, -3};
  auto f = theon::function(theon::hessian(theon::sum(w * theon::cumprod(x)), x),
                           theon::jvp(theon::jvp(theon::cumprod(x), x, v), x, u));
  for (const auto& point : {std::array<double, 3>{2, -3, 0.5}, {0, -3, 0.5}, {2, 0, 0.5}, {0, 0, 0.5}, {0, 0, 0}}) {
    const double a = point[0], b = point[1], c = point[2];
    const auto [hessian, second] = f(x = xt::xtensor<double, 1>{a, b, c}, w = ws, v = vs, u = us);
    const xt::xtensor<double, 2> expected{{0, ws(1) + ws(2) * c, ws(2) * b}, {ws(1) + ws(2) * c, 0, ws(2) * a}, {ws(2) * b, ws(2) * a, 0}};
    EXPECT_TRUE(theon_test::all_close(hessian, expected, 1e-15)) << a << " " << b << " " << c;
    const double ab = vs(0) * us(1) + vs(1) * us(0), ac = vs(0) * us(2) + vs(2) * us(0), bc = vs(1) * us(2) + vs(2) * us(1);
    EXPECT_TRUE(theon_test::all_close(second, (xt::xtensor<double, 1>{0, ab, c * ab + b * ac + a * bc}), 1e-15)) << a << " " << b << " " << c;
  }
  // Hessian-vector products of a cost nonlinear in cumprod, against finite differences of the gradient.
  auto ys = theon_test::random_vector<double>(7, -1.5, 1.5, 7);
  const auto vs7 = theon_test::random_vector<double>(7, -1, 1, 8);
  for (std::size_t zeros = 0; zeros < 3; ++zeros) {
    if (zeros > 0) ys(zeros * 2) = 0;
    const auto cost = theon::sum(theon::sin(theon::cumprod(x)));
    const auto report = theon::check_grad(theon::sum(theon::grad(cost, x) * v), x, x = ys, v = vs7);
    EXPECT_TRUE(report.ok) << zeros << " zeros: " << report.to_string();
  }
}

// ---------------------------------------------------------------- argmax, argmin

TEST(Argmax, FirstExtremeOverTheFlattenedArrayOrAlongAnAxis) {
  const xt::xtensor<double, 2> ms{{3, 7, 7, -1}, {7, 0, -4, 2}, {-4, 5, 1, 1}};
  auto f = theon::function(theon::argmax(A), theon::argmin(A), theon::argmax(A, theon::axis<0>), theon::argmin(A, theon::axis<0>),
                           theon::argmax(A, theon::axis<-1>), theon::argmin(A, theon::axis<1>),
                           theon::argmax(theon::transpose(A), theon::axis<1>));
  const auto copy = ms;
  const auto [flat_max, flat_min, down_max, down_min, across_max, across_min, transposed] = f(A = ms);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(flat_max)>, theon::int64>);  // rank 0
  EXPECT_EQ(flat_max, 1);  // the first of the three 7s, row-major
  EXPECT_EQ(flat_min, 6);  // -4 at (1, 2) before -4 at (2, 0)
  EXPECT_EQ(down_max, (xt::xtensor<theon::int64, 1>{1, 0, 0, 1}));
  EXPECT_EQ(down_min, (xt::xtensor<theon::int64, 1>{2, 1, 1, 0}));
  EXPECT_EQ(across_max, (xt::xtensor<theon::int64, 1>{1, 0, 1}));  // ties: the first
  EXPECT_EQ(across_min, (xt::xtensor<theon::int64, 1>{3, 2, 0}));
  EXPECT_EQ(transposed, down_max);
  EXPECT_EQ(ms, copy);
  // Against a loop on a random matrix.
  const auto rs = weights(6, 9, 5);
  const auto rows = theon_test::eval(theon::argmin(A, theon::axis<1>), A = rs);
  for (std::size_t i = 0; i < 6; ++i) {
    std::size_t best = 0;
    for (std::size_t j = 1; j < 9; ++j) best = rs(i, j) < rs(i, best) ? j : best;
    EXPECT_EQ(rows(i), static_cast<theon::int64>(best));
  }
  static_assert(theon::rank_v<decltype(theon::argmax(A))> == 0 && theon::rank_v<decltype(theon::argmax(A, theon::axis<0>))> == 1);
  static_assert(std::is_same_v<decltype(theon::argmax(x)), decltype(theon::argmax(x, theon::axis<0>))>);
  static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::argmin(theon::var<"T", float, theon::shape<2, 3, 4>>{}, theon::axis<1>))>,
                               theon::shape<2, 4>>);
  EXPECT_EQ(theon::to_string(theon::argmax(A)), "argmax(A)");
  EXPECT_EQ(theon::to_string(theon::argmin(A, theon::axis<-1>)), "argmin(A, axis=1)");
}

// NumPy: the first NaN wins for argmax and argmin alike; infinities are ordinary extremes.
TEST(Argmax, NaNIsTheExtremeAndTheFirstNaNWins) {
  auto f = theon::function(theon::argmax(x), theon::argmin(x));
  EXPECT_EQ(f(x = xt::xtensor<double, 1>{1, nan, 5, nan}), (std::tuple<theon::int64, theon::int64>{1, 1}));
  EXPECT_EQ(f(x = xt::xtensor<double, 1>{nan, 1, -inf}), (std::tuple<theon::int64, theon::int64>{0, 0}));
  EXPECT_EQ(f(x = xt::xtensor<double, 1>{-inf, 3, inf, inf, -inf}), (std::tuple<theon::int64, theon::int64>{2, 0}));
  EXPECT_EQ(f(x = xt::xtensor<double, 1>{-0.0, 0.0}), (std::tuple<theon::int64, theon::int64>{0, 0}));  // equal
  EXPECT_EQ(f(x = xt::xtensor<double, 1>{4}), (std::tuple<theon::int64, theon::int64>{0, 0}));
  const xt::xtensor<double, 2> ms{{1, nan, 3}, {2, 0, nan}};
  const auto [down, across] = theon::function(theon::argmin(A, theon::axis<0>), theon::argmax(A, theon::axis<1>))(A = ms);
  EXPECT_EQ(down, (xt::xtensor<theon::int64, 1>{0, 0, 1}));
  EXPECT_EQ(across, (xt::xtensor<theon::int64, 1>{1, 2}));
  // Integers and booleans.
  constexpr theon::vector<"i", theon::int32> i;
  constexpr theon::vector<"b", bool> b;
  const auto [largest, first_true] = theon::function(theon::argmax(i), theon::argmax(b))(
      i = xt::xtensor<theon::int32, 1>{-5, 9, 9, -7}, b = xt::xtensor<bool, 1>{false, false, true, true});
  EXPECT_EQ(largest, 1);
  EXPECT_EQ(first_true, 2);
}

TEST(Argmax, AnEmptyAxisIsAShapeErrorNamingTheOp) {
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(theon::argmax(x), x = xt::xtensor<double, 1>{}); },
                                           {"cannot evaluate argmax `argmax(x)`", "nothing to search: the axis (without one, the array) is empty", "x: [0]"}));
  const auto none = xt::xtensor<double, 2>::from_shape({0, 3});
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(theon::argmin(A, theon::axis<0>), A = none); },
                                           {"argmin `argmin(A, axis=0)`", "empty", "A: [0, 3]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(theon::argmax(A), A = none); }, {"argmax", "empty"}));
  // Along a nonempty axis of an empty array: an empty result, as NumPy's.
  EXPECT_EQ(theon_test::eval(theon::argmax(A, theon::axis<1>), A = none).size(), 0u);
}

TEST(Argmax, NoDerivativeFlowsThrough) {
  const xt::xtensor<double, 1> xs{0.5, 3, -1};
  const auto cost = theon::sum(x * theon::cast<double>(theon::argmax(x) + theon::argmin(x)));  // x * (1 + 2)
  EXPECT_EQ(theon_test::eval(theon::grad(cost, x), x = xs), (xt::xtensor<double, 1>{3, 3, 3}));
  EXPECT_EQ(theon_test::eval(theon::jvp(cost, x, v), x = xs, v = xt::xtensor<double, 1>{1, 2, 3}), 18.0);
}

// ---------------------------------------------------------------- roll

TEST(Roll, MovesElementsOnAndWrapsAround) {
  const xt::xtensor<double, 1> xs{0, 1, 2, 3, 4};
  auto f = theon::function(theon::roll<2>(x), theon::roll<-1>(x), theon::roll<7>(x), theon::roll<0>(x), theon::roll<-12>(x),
                           theon::roll<5>(x));
  const auto copy = xs;
  const auto [two, back_one, seven, none, back_twelve, whole] = f(x = xs);
  EXPECT_EQ(two, (xt::xtensor<double, 1>{3, 4, 0, 1, 2}));  // NumPy: roll([0..4], 2)
  EXPECT_EQ(back_one, (xt::xtensor<double, 1>{1, 2, 3, 4, 0}));
  EXPECT_EQ(seven, two);  // 7 mod 5
  EXPECT_EQ(none, xs);
  EXPECT_EQ(back_twelve, (xt::xtensor<double, 1>{2, 3, 4, 0, 1}));  // -12 mod 5 = 3
  EXPECT_EQ(whole, xs);
  EXPECT_EQ(xs, copy);
  auto g = theon::function(theon::roll<1>(A), theon::roll<-1>(A, theon::axis<1>), theon::roll<4>(A, theon::axis<0>),
                           theon::roll<1>(theon::transpose(A), theon::axis<-1>));
  const auto [flat, left, down, transposed] = g(A = as);
  EXPECT_EQ(flat, (xt::xtensor<double, 2>{{12, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));  // over the flattened array
  EXPECT_EQ(left, (xt::xtensor<double, 2>{{2, 3, 4, 1}, {6, 7, 8, 5}, {10, 11, 12, 9}}));
  EXPECT_EQ(down, (xt::xtensor<double, 2>{{9, 10, 11, 12}, {1, 2, 3, 4}, {5, 6, 7, 8}}));  // 4 mod 3 = 1
  EXPECT_EQ(transposed, (xt::xtensor<double, 2>{{9, 1, 5}, {10, 2, 6}, {11, 3, 7}, {12, 4, 8}}));
  // Integers keep their dtype; an empty array rolls to an empty array.
  constexpr theon::vector<"i", theon::int64> i;
  EXPECT_EQ(theon_test::eval(theon::roll<-1>(i), i = xt::xtensor<theon::int64, 1>{7, 8, 9}), (xt::xtensor<theon::int64, 1>{8, 9, 7}));
  EXPECT_EQ(theon_test::eval(theon::roll<3>(x), x = xt::xtensor<double, 1>{}).size(), 0u);
  EXPECT_EQ(theon_test::eval(theon::roll<3>(A, theon::axis<0>), A = xt::xtensor<double, 2>::from_shape({0, 2})).size(), 0u);
  static_assert(std::is_same_v<decltype(theon::roll<2>(x)), decltype(theon::roll<2>(x, theon::axis<-1>))>);
  EXPECT_EQ(theon::to_string(theon::roll<2>(x)), "roll(x, shift=2)");
  EXPECT_EQ(theon::to_string(theon::roll<-1>(A, theon::axis<1>)), "roll(A, shift=-1, axis=1)");
}

TEST(Roll, TheAdjointRollsBack) {
  const auto ws = weights(3, 4, 6);
  const auto g = theon_test::eval(theon::grad(theon::sum(W * theon::roll<-1>(A, theon::axis<1>)), A), A = as, W = ws);
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t j = 0; j < 4; ++j) EXPECT_EQ(g(i, j), ws(i, (j + 3) % 4));
  const auto report = theon::check_grad(theon::sum(theon::sin(theon::roll<5>(A)) * W), A, A = as / 10.0, W = ws);
  EXPECT_TRUE(report.ok) << report.to_string();
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::roll<2>(x), x, v), v = xt::xtensor<double, 1>{1, 2, 3}),
            (xt::xtensor<double, 1>{2, 3, 1}));
}

}  // namespace
