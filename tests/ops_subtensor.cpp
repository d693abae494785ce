// set_subtensor and inc_subtensor (ops/subtensor.hpp): the region replaced or
// added to, values broadcast to it, literals, the input untouched, the
// mismatch error, and derivatives in both operands.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon::_;
using theon::slice;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"v"> v;
constexpr theon::matrix<"X"> X;

const xt::xtensor<double, 1> xs{1, 2, 3, 4, 5};
const xt::xtensor<double, 1> vs{7, 8, 9};

TEST(Subtensor, ReplacesOrAddsToTheRegion) {
  auto f = theon::function(theon::set_subtensor(x(slice<1, -1>), v), theon::inc_subtensor(x(slice<0, theon::end, 2>), 10_c),
                           theon::set_subtensor(x(theon::index<0>), 0_c), theon::inc_subtensor(x(slice<-1, theon::end, -2>), v));
  const auto [replaced, stepped, first, backwards] = f(x = xs, v = vs);
  EXPECT_EQ(replaced, (xt::xtensor<double, 1>{1, 7, 8, 9, 5}));
  EXPECT_EQ(stepped, (xt::xtensor<double, 1>{11, 2, 13, 4, 15}));
  EXPECT_EQ(first, (xt::xtensor<double, 1>{0, 2, 3, 4, 5}));
  EXPECT_EQ(backwards, (xt::xtensor<double, 1>{10, 2, 11, 4, 12}));  // x[-1::-2] += v: 5+7, 3+8, 1+9
  EXPECT_EQ(xs, (xt::xtensor<double, 1>{1, 2, 3, 4, 5}));
  EXPECT_EQ(theon::to_string(theon::set_subtensor(x(slice<1, -1>), v)), "set_subtensor(x[1:-1], v)");
}

// A row broadcast down a column block, and a boundary row of a grid set to a value.
TEST(Subtensor, ValuesBroadcastToTheRegion) {
  const xt::xtensor<double, 2> grid{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}};
  auto f = theon::function(theon::set_subtensor(X(_, slice<1>), v(slice<0, 2>)), theon::inc_subtensor(X(theon::index<0>), v),
                           theon::set_subtensor(X(slice<-1>), -1_c));
  const auto [block, row, boundary] = f(X = grid, v = vs);
  EXPECT_EQ(block, (xt::xtensor<double, 2>{{1, 7, 8}, {4, 7, 8}, {7, 7, 8}}));
  EXPECT_EQ(row, (xt::xtensor<double, 2>{{8, 10, 12}, {4, 5, 6}, {7, 8, 9}}));
  EXPECT_EQ(boundary, (xt::xtensor<double, 2>{{1, 2, 3}, {4, 5, 6}, {-1, -1, -1}}));
}

TEST(Subtensor, ValuesThatDoNotFitAreAShapeError) {
  EXPECT_TRUE(theon_test::shape_error_says(
      [] { (void)theon_test::eval(theon::set_subtensor(x(slice<1, -1>), v), x = xs, v = xt::xtensor<double, 1>{7, 8}); },
      {"set_subtensor(x[1:-1], v)", "do not broadcast to the region", "x: [5]", "v: [2]"}));
}

TEST(Subtensor, DerivativesInBothOperands) {
  const xt::xtensor<double, 1> small{0.7, 0.8, 0.9};
  for (const auto& report :
       {theon::check_grad(theon::sum(theon::sin(theon::set_subtensor(x(slice<1, -1>), v * v)) * x), x, x = xs, v = small),
        theon::check_grad(theon::sum(theon::sin(theon::set_subtensor(x(slice<1, -1>), v * v)) * x), v, x = xs, v = small),
        theon::check_grad(theon::sum(theon::sin(theon::inc_subtensor(x(slice<0, theon::end, 2>), v)) * x), x, x = xs,
                          v = small),
        theon::check_grad(theon::sum(theon::sin(theon::inc_subtensor(x(slice<0, theon::end, 2>), v)) * x), v, x = xs,
                          v = small)})
    EXPECT_TRUE(report.ok) << report.to_string();
  // A value broadcast over the region: its gradient sums the region's.
  constexpr theon::scalar<"s"> s;
  EXPECT_DOUBLE_EQ(theon_test::eval(theon::grad(theon::sum(theon::set_subtensor(x(slice<1, -1>), s) * x), s), x = xs, s = 2.0),
                   2.0 + 3 + 4);
  constexpr theon::vector<"t"> t;
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::inc_subtensor(x(slice<1, -1>), v), v, t), x = xs, t = vs),
            (xt::xtensor<double, 1>{0, 7, 8, 9, 0}));
}

}  // namespace
