// Basic indexing (ops/subscript.hpp): NumPy's slices, indices and new axes
// on vectors and matrices against the same selections written as loops,
// Python's clamping and empty results, static extents, views read in place
// (a stencil is one loop with no temporaries), run-time range errors, and
// derivatives through every form.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon::_;
using theon::end;
using theon::index;
using theon::newaxis;
using theon::slice;

constexpr theon::vector<"x"> x;
constexpr theon::matrix<"X"> X;

const xt::xtensor<double, 1> xs{0, 1, 4, 9, 16, 25, 36};  // i^2
const xt::xtensor<double, 2> Xs{{0, 1, 2, 3}, {10, 11, 12, 13}, {20, 21, 22, 23}};

// x[start:stop:step] by Python's rules, written out for 7 elements.
std::vector<double> python_slice(const xt::xtensor<double, 1>& v, long start, long stop, long step) {
  std::vector<double> out;
  const long n = static_cast<long>(v.size());
  if (step > 0)
    for (long i = start; i < stop && i < n; i += step) out.push_back(v(static_cast<std::size_t>(i)));
  else
    for (long i = start; i > stop && i >= 0; i += step) out.push_back(v(static_cast<std::size_t>(i)));
  return out;
}
std::vector<double> values(const xt::xtensor<double, 1>& v) { return {v.begin(), v.end()}; }

TEST(Subscript, SlicesFollowPythonsRules) {
  auto f = theon::function(x(slice<2>), x(slice<1, -1>), x(slice<0, end, 2>), x(slice<-3>), x(slice<-1, end, -1>),
                           x(slice<5, 1, -2>), x(slice<-100, 100>), x(slice<4, 2>), x(slice<10>), x(_));
  const auto [from2, inner, even, last3, reversed, down, clamped, empty, past_end, whole] = f(x = xs);
  EXPECT_EQ(values(from2), python_slice(xs, 2, 7, 1));
  EXPECT_EQ(values(inner), python_slice(xs, 1, 6, 1));
  EXPECT_EQ(values(even), python_slice(xs, 0, 7, 2));
  EXPECT_EQ(values(last3), python_slice(xs, 4, 7, 1));
  EXPECT_EQ(values(reversed), python_slice(xs, 6, -1, -1));
  EXPECT_EQ(values(down), python_slice(xs, 5, 1, -2));  // 25, 9
  EXPECT_EQ(values(clamped), values(xs));
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(past_end.size(), 0u);
  EXPECT_EQ(values(whole), values(xs));
}

TEST(Subscript, IndicesDropAxesAndNewAxesAddThem) {
  auto f = theon::function(x(index<0>), x(index<-1>), X(index<1>), X(_, index<-1>), X(slice<1>, slice<0, 2>),
                           X(index<2>, slice<end, end, -1>), x(newaxis, _), x(_, newaxis), X(_, newaxis, index<1>));
  const auto [first, last, row1, last_column, block, row2_reversed, as_row, as_column, column1] = f(x = xs, X = Xs);
  EXPECT_EQ(first, 0.0);
  EXPECT_EQ(last, 36.0);
  EXPECT_EQ(row1, (xt::xtensor<double, 1>{10, 11, 12, 13}));
  EXPECT_EQ(last_column, (xt::xtensor<double, 1>{3, 13, 23}));
  EXPECT_EQ(block, (xt::xtensor<double, 2>{{10, 11}, {20, 21}}));
  EXPECT_EQ(row2_reversed, (xt::xtensor<double, 1>{23, 22, 21, 20}));
  EXPECT_EQ(as_row.shape(), (std::array<std::size_t, 2>{1, 7}));
  EXPECT_EQ(as_column.shape(), (std::array<std::size_t, 2>{7, 1}));
  EXPECT_EQ(column1, (xt::xtensor<double, 2>{{1}, {11}, {21}}));
}

// Static extents flow through; an index outside a static extent does not compile
// (tests/compile_fail/index_out_of_range.cpp).
constexpr theon::var<"s", double, theon::shape<10, 4>> s;
static_assert(theon::static_shape_t<decltype(s(slice<1, -1>))>::extents == theon::extents<2>{8, 4});
static_assert(theon::static_shape_t<decltype(s(slice<0, end, 3>, index<-1>))>::extents == theon::extents<1>{4});
static_assert(theon::static_shape_t<decltype(s(newaxis, slice<20>))>::extents == theon::extents<3>{1, 0, 4});
static_assert(theon::static_shape_t<decltype(x(slice<1, -1>))>::extents == theon::extents<1>{theon::dyn});

TEST(Subscript, PrintsAsPythonWritesIt) {
  EXPECT_EQ(theon::to_string(x(slice<1, -1>)), "x[1:-1]");
  EXPECT_EQ(theon::to_string(X(index<2>, _, newaxis)), "X[2, :, None]");
  EXPECT_EQ(theon::to_string((x + x)(slice<0, end, -2>)), "(x + x)[0::-2]");
  EXPECT_EQ(theon::to_string(theon::exp(x)(slice<-1, end, -1>)), "exp(x)[-1::-1]");
}

// The 1-D second difference and the 2-D five-point Laplacian: views of the
// input read by one loop, no array in between.
TEST(Subscript, StencilsAreOneLoopOverViews) {
  constexpr auto second_difference = x(slice<2>) - 2_c * x(slice<1, -1>) + x(slice<0, -2>);
  auto f = theon::function(second_difference);
  EXPECT_EQ(f.plan().count("elementwise"), 1u) << f.plan().to_string();
  EXPECT_EQ(f.plan().temporaries(), 0u);
  EXPECT_EQ(values(f(x = xs)), std::vector<double>(5, 2.0));  // (i^2)'' = 2

  constexpr auto laplacian = X(slice<2>, slice<1, -1>) + X(slice<0, -2>, slice<1, -1>) + X(slice<1, -1>, slice<2>) +
                             X(slice<1, -1>, slice<0, -2>) - 4_c * X(slice<1, -1>, slice<1, -1>);
  auto g = theon::function(laplacian);
  EXPECT_EQ(g.plan().count("elementwise"), 1u) << g.plan().to_string();
  EXPECT_EQ(g.plan().temporaries(), 0u);
  xt::xtensor<double, 2> grid = xt::zeros<double>({5, 6});
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 6; ++j) grid(i, j) = static_cast<double>(i * i + 2 * j * j);
  const xt::xtensor<double, 2> expected = 6 * xt::ones<double>({3, 4});  // 2 + 4
  EXPECT_EQ(g(X = grid), expected);
  EXPECT_EQ(grid(4, 5), 16.0 + 50.0);  // the input is untouched
}

TEST(Subscript, AnIndexOutOfRangeAtRunTimeIsAShapeError) {
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(x(index<7>), x = xs); },
                                           {"cannot evaluate subscript `x[7]`", "out of range", "x: [7]"}));
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(X(_, index<-5>), X = Xs); },
                                           {"`X[:, -5]`", "X: [3, 4]"}));
}

TEST(Subscript, GradientsPutTheAdjointBackWhereTheViewReads) {
  const auto ys = theon_test::random_vector<double>(9, -1, 1, 1);
  const auto cost = theon::sum(theon::sin(x(slice<2>) - 2_c * x(slice<1, -1>) + x(slice<0, -2>)) * x(slice<-1, 1, -1>)) +
                    x(index<3>) * x(index<-1>) + theon::sum(x(_, newaxis) * x(newaxis, slice<0, end, 2>));
  const auto report = theon::check_grad(cost, x, x = ys);
  EXPECT_TRUE(report.ok) << report.to_string();
  // A single element's gradient: one 1 at its position.
  EXPECT_EQ(theon_test::eval(theon::grad(x(index<-2>), x), x = xs), (xt::xtensor<double, 1>{0, 0, 0, 0, 0, 1, 0}));

  const auto ms = theon_test::random_vector<double>(12, -1, 1, 2);
  xt::xtensor<double, 2> m = xt::xtensor<double, 2>::from_shape({3, 4});
  std::copy(ms.begin(), ms.end(), m.begin());
  const auto matrix_cost = theon::sum(theon::exp(X(slice<1>, index<0>)) * X(index<0>, slice<1>, newaxis));
  const auto matrix_report = theon::check_grad(matrix_cost, X, X = m);
  EXPECT_TRUE(matrix_report.ok) << matrix_report.to_string();
}

TEST(Subscript, ForwardModeIsTheSubscriptOfTheTangent) {
  constexpr theon::vector<"v"> v;
  const xt::xtensor<double, 1> direction{1, -1, 2, 0.5, 3, -2, 1};
  const auto tangent = theon_test::eval(theon::jvp(theon::square(x)(slice<1, -1>), x, v), x = xs, v = direction);
  for (std::size_t i = 1; i + 1 < xs.size(); ++i) EXPECT_DOUBLE_EQ(tangent(i - 1), 2 * xs(i) * direction(i));
}

}  // namespace
