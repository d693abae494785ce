// concatenate and stack (ops/join.hpp): NumPy's joins along any axis,
// operands of any strides, static and run-time mismatches, and derivatives
// (each operand gets its part of g; second order through the part's adjoint).
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using namespace theon::literals;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::matrix<"X"> X;

const xt::xtensor<double, 1> xs{1, 2, 3};
const xt::xtensor<double, 1> ys{4, 5};
const xt::xtensor<double, 2> grid{{1, 2, 3}, {4, 5, 6}};

TEST(Join, ConcatenateAndStackAlongAnyAxis) {
  auto f = theon::function(theon::concatenate<0>(x, y, x), theon::stack<0>(x, x * 2_c), theon::stack<-1>(x, x),
                           theon::concatenate<-1>(X, X(theon::_, theon::slice<0, 1>)),
                           theon::concatenate<0>(X, theon::transpose(theon::transpose(X))(theon::slice<-1>)));
  const auto [joined, rows, columns, wider, taller] = f(x = xs, y = ys, X = grid);
  EXPECT_EQ(joined, (xt::xtensor<double, 1>{1, 2, 3, 4, 5, 1, 2, 3}));
  EXPECT_EQ(rows, (xt::xtensor<double, 2>{{1, 2, 3}, {2, 4, 6}}));
  EXPECT_EQ(columns, (xt::xtensor<double, 2>{{1, 1}, {2, 2}, {3, 3}}));
  EXPECT_EQ(wider, (xt::xtensor<double, 2>{{1, 2, 3, 1}, {4, 5, 6, 4}}));
  EXPECT_EQ(taller, (xt::xtensor<double, 2>{{1, 2, 3}, {4, 5, 6}, {4, 5, 6}}));
  EXPECT_EQ(theon::to_string(theon::concatenate<0>(x, y)), "concatenate(x, y, axis=0)");
}

constexpr theon::var<"S", double, theon::shape<2, 3>> S;
constexpr theon::var<"T", double, theon::shape<4, 3>> T;
static_assert(theon::static_shape_t<decltype(theon::concatenate<0>(S, T))>::extents == theon::extents<2>{6, 3});
static_assert(theon::static_shape_t<decltype(theon::stack<1>(S, S, S))>::extents == theon::extents<3>{2, 3, 3});
static_assert(theon::static_shape_t<decltype(theon::concatenate<0>(S, X))>::extents == theon::extents<2>{theon::dyn, 3});

TEST(Join, OperandsThatDifferOffTheAxisAreAShapeError) {
  EXPECT_TRUE(theon_test::shape_error_says([] { (void)theon_test::eval(theon::stack<0>(x, y), x = xs, y = ys); },
                                           {"concatenate", "extents differ off the joined axis", "[1, 3]", "[1, 2]"}));
}

TEST(Join, EachOperandGetsItsPartOfTheGradient) {
  const auto cost = theon::sum(theon::sin(theon::concatenate<0>(x * y(theon::index<0>), theon::square(y), x)) *
                               theon::concatenate<0>(y, x, x));
  for (const auto& report : {theon::check_grad(cost, x, x = xs, y = ys), theon::check_grad(cost, y, x = xs, y = ys)})
    EXPECT_TRUE(report.ok) << report.to_string();
  // Second order: the adjoint of taking a part is a join with zeros.
  const auto second = theon::sum(theon::grad(theon::sum(theon::exp(theon::concatenate<0>(x, x * x))), x) * x);
  const auto report = theon::check_grad(second, x, x = xs);
  EXPECT_TRUE(report.ok) << report.to_string();
  constexpr theon::vector<"t"> t;
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::concatenate<0>(x, y), y, t), x = xs, t = ys),
            (xt::xtensor<double, 1>{0, 0, 0, 4, 5}));
}

}  // namespace
