// take (integer-array indexing), flip and cumsum: values against loops,
// NumPy's shapes, the range error, inputs untouched, and derivatives
// (repeated indices add up).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using namespace theon::literals;

constexpr theon::vector<"x"> x;
constexpr theon::matrix<"E"> E;  // an embedding table: one row per token
constexpr theon::vector<"i", theon::int64> i;
constexpr theon::matrix<"T", theon::int32> T;

const xt::xtensor<double, 1> xs{0, 10, 20, 30, 40};
const xt::xtensor<double, 2> es{{0, 1, 2}, {10, 11, 12}, {20, 21, 22}, {30, 31, 32}};

TEST(Take, GathersAlongAnAxisWithIndexArraysOfAnyRank) {
  const xt::xtensor<theon::int64, 1> is{3, 0, -1, 2};
  const xt::xtensor<theon::int32, 2> ts{{1, 2}, {0, 0}};
  auto f = theon::function(theon::take(x, i), theon::take(E, i), theon::take(E, T), theon::take(E, T, theon::axis<1>));
  const auto [picked, rows, table, columns] = f(x = xs, E = es, i = is, T = ts);
  EXPECT_EQ(picked, (xt::xtensor<double, 1>{30, 0, 40, 20}));
  EXPECT_EQ(rows, (xt::xtensor<double, 2>{{30, 31, 32}, {0, 1, 2}, {30, 31, 32}, {20, 21, 22}}));
  ASSERT_EQ(table.shape(), (std::array<std::size_t, 3>{2, 2, 3}));  // E[T]: T's axes, then a row
  for (std::size_t a = 0; a < 2; ++a)
    for (std::size_t b = 0; b < 2; ++b)
      for (std::size_t c = 0; c < 3; ++c) EXPECT_EQ(table(a, b, c), es(static_cast<std::size_t>(ts(a, b)), c));
  ASSERT_EQ(columns.shape(), (std::array<std::size_t, 3>{4, 2, 2}));  // E[:, T]
  for (std::size_t r = 0; r < 4; ++r) EXPECT_EQ(columns(r, 0, 1), es(r, 2));
  static_assert(theon::rank_v<decltype(theon::take(E, T))> == 3);
}

TEST(Take, AnIndexOutOfRangeIsAShapeErrorNamingIt) {
  const xt::xtensor<theon::int64, 1> is{1, 5};
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(theon::take(x, i), x = xs, i = is); },
                                           {"cannot evaluate `take(x, i, axis=0)`", "index 5 is out of range", "extent 5"}));
  EXPECT_EQ(is(1), 5);
}

// The gradient of an embedding lookup: each row of the table gets the sum of
// the rows of g that read it.
TEST(Take, GradientsAddUpOverRepeatedIndices) {
  const xt::xtensor<theon::int64, 1> is{3, 0, 3, 3};
  constexpr theon::matrix<"W"> W;
  const auto ws = theon_test::random_vector<double>(12, -1, 1, 1);
  xt::xtensor<double, 2> w = xt::xtensor<double, 2>::from_shape({4, 3});
  std::copy(ws.begin(), ws.end(), w.begin());
  const auto g = theon_test::eval(theon::grad(theon::sum(theon::take(E, i) * W), E), E = es, i = is, W = w);
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_DOUBLE_EQ(g(3, c), w(0, c) + w(2, c) + w(3, c));
    EXPECT_DOUBLE_EQ(g(0, c), w(1, c));
    EXPECT_EQ(g(1, c), 0.0);
    EXPECT_EQ(g(2, c), 0.0);
  }
  // One element taken by a scalar index: the gradient is one-hot.
  constexpr theon::scalar<"j", theon::int64> j;
  EXPECT_EQ(theon_test::eval(theon::grad(theon::take(x, j), x), x = xs, j = theon::int64{-2}),
            (xt::xtensor<double, 1>{0, 0, 0, 1, 0}));
  const auto report = theon::check_grad(theon::sum(theon::sin(theon::take(x, i)) * theon::take(x, i)), x, x = xs / 10.0, i = is);
  EXPECT_TRUE(report.ok) << report.to_string();
}

TEST(Flip, ReversesTheNamedAxesOrAll) {
  auto f = theon::function(theon::flip(x), theon::flip(E), theon::flip(E, theon::axis<1>));
  const auto [reversed, both, columns] = f(x = xs, E = es);
  EXPECT_EQ(reversed, (xt::xtensor<double, 1>{40, 30, 20, 10, 0}));
  EXPECT_EQ(both(0, 0), 32.0);
  EXPECT_EQ(both(3, 2), 0.0);
  EXPECT_EQ(columns, (xt::xtensor<double, 2>{{2, 1, 0}, {12, 11, 10}, {22, 21, 20}, {32, 31, 30}}));
}

TEST(Cumsum, RunningSumsAlongAnAxis) {
  constexpr theon::vector<"k", theon::int32> k;
  auto f = theon::function(theon::cumsum(x), theon::cumsum(E, theon::axis<0>), theon::cumsum(E, theon::axis<-1>),
                           theon::cumsum(theon::transpose(E), theon::axis<1>), theon::cumsum(k));
  const auto [sums, down, across, transposed, counts] = f(x = xs, E = es, k = xt::xtensor<theon::int32, 1>{1, 2, 3});
  EXPECT_EQ(sums, (xt::xtensor<double, 1>{0, 10, 30, 60, 100}));
  EXPECT_EQ(down(3, 1), 1.0 + 11 + 21 + 31);
  EXPECT_EQ(across(2, 2), 20.0 + 21 + 22);
  EXPECT_EQ(transposed(1, 3), 1.0 + 11 + 21 + 31);  // read through the transpose's strides
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(counts)>, xt::xtensor<theon::int64, 1>>);
  EXPECT_EQ(counts, (xt::xtensor<theon::int64, 1>{1, 3, 6}));
}

TEST(Cumsum, DerivativesAreRunningSumsFromTheOtherEnd) {
  const auto ys = theon_test::random_vector<double>(9, -1, 1, 2);
  const auto report = theon::check_grad(theon::sum(theon::sin(theon::cumsum(x)) * theon::flip(x)), x, x = ys);
  EXPECT_TRUE(report.ok) << report.to_string();
  constexpr theon::vector<"v"> v;
  const xt::xtensor<double, 1> direction{1, 0, -1, 2, 0.5};
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::cumsum(x), x, v), v = direction),  // linear: x drops out
            (xt::xtensor<double, 1>{1, 1, 0, 2, 2.5}));
}

}  // namespace
