// reshape and flatten (ops/reshape.hpp): NumPy's row-major order whatever the
// operand's strides, the free extent, static shapes, the run-time mismatch
// error, and derivatives (g reshaped back).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

constexpr theon::vector<"x"> x;
constexpr theon::matrix<"X"> X;

const xt::xtensor<double, 2> xs{{1, 2, 3}, {4, 5, 6}};

TEST(Reshape, RowMajorOrderWhateverTheStrides) {
  auto f = theon::function(theon::reshape<3, -1>(X), theon::flatten(X), theon::flatten(theon::transpose(X)),
                           theon::reshape<-1, 1>(x), theon::reshape<2, 1, 3>(X));
  const auto [three_by_two, flat, flat_transposed, column, three_axes] = f(X = xs, x = xt::xtensor<double, 1>{7, 8});
  EXPECT_EQ(three_by_two, (xt::xtensor<double, 2>{{1, 2}, {3, 4}, {5, 6}}));
  EXPECT_EQ(flat, (xt::xtensor<double, 1>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(flat_transposed, (xt::xtensor<double, 1>{1, 4, 2, 5, 3, 6}));
  EXPECT_EQ(column, (xt::xtensor<double, 2>{{7}, {8}}));
  EXPECT_EQ(three_axes.shape(), (std::array<std::size_t, 3>{2, 1, 3}));
  EXPECT_EQ(theon::to_string(theon::reshape<3, -1>(X)), "reshape(X, shape=[3, -1])");
}

constexpr theon::var<"S", double, theon::shape<4, 6>> S;
static_assert(theon::static_shape_t<decltype(theon::reshape<-1, 3>(S))>::extents == theon::extents<2>{8, 3});
static_assert(theon::static_shape_t<decltype(theon::flatten(S))>::extents == theon::extents<1>{24});
static_assert(theon::static_shape_t<decltype(theon::reshape<-1, 3>(X))>::extents == theon::extents<2>{theon::dyn, 3});

TEST(Reshape, ExtentsThatCannotHoldTheElementsAreAShapeError) {
  EXPECT_TRUE(theon_test::shape_error_says([] { (void)theon_test::eval(theon::reshape<4, -1>(X), X = xs); },
                                           {"reshape(X, shape=[4, -1])", "cannot hold its elements", "X: [2, 3]"}));
  EXPECT_TRUE(theon_test::shape_error_says([] { (void)theon_test::eval(theon::reshape<5>(X), X = xs); },
                                           {"reshape(X, shape=[5])"}));
}

TEST(Reshape, GradientsAreReshapedBack) {
  const auto report = theon::check_grad(
      theon::sum(theon::sin(theon::reshape<3, 2>(X)) * theon::reshape<3, -1>(theon::transpose(X))), X, X = xs);
  EXPECT_TRUE(report.ok) << report.to_string();
  constexpr theon::matrix<"V"> V;
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::flatten(X), X, V), V = xs), (xt::xtensor<double, 1>{1, 2, 3, 4, 5, 6}));
}

}  // namespace
