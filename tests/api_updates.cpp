// updates(...): a compiled function that also writes new values into the
// state it is bound to. Every new value is computed from the values before the
// call (a swap swaps), the outputs are those before the update, shapes are
// checked before anything is written, inputs other than the state are never
// written, and after the first call a step allocates nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <type_traits>
#include <vector>

#include <xtensor/xview.hpp>

#include "test_support.hpp"

#include "allocation_counter.hpp"

namespace {

using namespace theon::literals;
using theon_test::all_close;
using theon_test::close;
using theon_test::random_matrix;
using theon_test::random_vector;

constexpr theon::matrix<"X"> X;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"w"> w;
constexpr theon::scalar<"b"> b;
constexpr theon::scalar<"lr"> lr;

// Least squares, mean over rows: loss = mean((X w + b - y)^2).
constexpr auto residual = theon::matmul(X, w) + b - y;
constexpr auto loss = theon::mean(theon::square(residual));

static_assert(theon::is_updates_v<decltype(theon::updates(w, w - lr * theon::grad(loss, w)))>);
static_assert(decltype(theon::function(loss, theon::updates(w, 2_c * w)))::output_count == 1);
static_assert(decltype(theon::function(loss, theon::updates(w, 2_c * w)))::update_count == 1);

// One gradient step by hand: the reference.
struct least_squares {
  xt::xtensor<double, 2> x;
  xt::xtensor<double, 1> t;
  double loss(const xt::xtensor<double, 1>& wv, double bv) const {
    double s = 0;
    for (std::size_t i = 0; i < x.shape()[0]; ++i) {
      double r = bv - t(i);
      for (std::size_t j = 0; j < x.shape()[1]; ++j) r += x(i, j) * wv(j);
      s += r * r;
    }
    return s / static_cast<double>(x.shape()[0]);
  }
  void step(xt::xtensor<double, 1>& wv, double& bv, double rate) const {
    const std::size_t n = x.shape()[0], m = x.shape()[1];
    xt::xtensor<double, 1> gw = xt::zeros<double>({m});
    double gb = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double r = bv - t(i);
      for (std::size_t j = 0; j < m; ++j) r += x(i, j) * wv(j);
      for (std::size_t j = 0; j < m; ++j) gw(j) += 2 * r * x(i, j) / static_cast<double>(n);
      gb += 2 * r / static_cast<double>(n);
    }
    wv -= rate * gw;
    bv -= rate * gb;
  }
};

TEST(Updates, GradientStepWritesStateAndReturnsTheLossBeforeIt) {
  const auto [gw, gb] = theon::grad(loss, w, b);
  auto step = theon::function(loss, theon::updates(w, w - lr * gw, b, b - lr * gb));
  const least_squares problem{random_matrix<double>(40, 5, -1, 1, 1), random_vector<double>(40, -1, 1, 2)};
  const auto xs = problem.x;
  const auto ys = problem.t;
  xt::xtensor<double, 1> weights = random_vector<double>(5, -1, 1, 3);
  double bias = 0.25;
  xt::xtensor<double, 1> want_w = weights;
  double want_b = bias;

  for (int k = 0; k < 20; ++k) {
    const double before = problem.loss(want_w, want_b);
    const double got = step(X = xs, y = ys, w = weights, b = bias, lr = 0.1);
    EXPECT_TRUE(close(got, before, 1e-12)) << "step " << k;
    problem.step(want_w, want_b, 0.1);
    ASSERT_TRUE(all_close(weights, want_w, 1e-12)) << "step " << k;
    ASSERT_TRUE(close(bias, want_b, 1e-12)) << "step " << k;
  }
  EXPECT_LT(problem.loss(weights, bias), problem.loss(random_vector<double>(5, -1, 1, 3), 0.25));
  EXPECT_TRUE(all_close(xs, problem.x, 0.0, 0.0));  // inputs other than the state are only read
  EXPECT_TRUE(all_close(ys, problem.t, 0.0, 0.0));
}

TEST(Updates, EveryNewValueIsComputedBeforeAnyIsWritten) {
  constexpr theon::vector<"u"> u;
  constexpr theon::vector<"v"> v;
  auto swap = theon::function(theon::updates(u, v, v, u));
  static_assert(std::is_void_v<decltype(swap(u = std::declval<xt::xtensor<double, 1>&>(),
                                              v = std::declval<xt::xtensor<double, 1>&>()))>);
  xt::xtensor<double, 1> us = {1, 2, 3}, vs = {4, 5, 6};
  swap(u = us, v = vs);
  EXPECT_TRUE(all_close(us, xt::xtensor<double, 1>{4, 5, 6}, 0.0, 0.0));
  EXPECT_TRUE(all_close(vs, xt::xtensor<double, 1>{1, 2, 3}, 0.0, 0.0));

  // Each new value reads both old ones: (u, v) -> (u + v, u - v).
  auto rotate = theon::function(u * v, theon::updates(u, u + v, v, u - v));
  const auto product = rotate(u = us, v = vs);
  EXPECT_TRUE(all_close(product, xt::xtensor<double, 1>{4, 10, 18}, 0.0, 0.0));
  EXPECT_TRUE(all_close(us, xt::xtensor<double, 1>{5, 7, 9}, 0.0, 0.0));
  EXPECT_TRUE(all_close(vs, xt::xtensor<double, 1>{3, 3, 3}, 0.0, 0.0));
}

TEST(Updates, NumbersAndStridedViewsAreState) {
  constexpr theon::scalar<"count"> count;
  auto tick = theon::function(theon::updates(count, count + 1_c));
  double n = 0;
  for (int k = 0; k < 3; ++k) tick(count = n);
  EXPECT_EQ(n, 3.0);

  // A column of a matrix, written through its stride.
  auto scale = theon::function(theon::sum(w), theon::updates(w, 2_c * w));
  xt::xtensor<double, 2> m = {{1, 2}, {3, 4}, {5, 6}};
  auto column = xt::view(m, xt::all(), 1);
  const double total = scale(w = column);
  EXPECT_EQ(total, 12.0);
  EXPECT_TRUE(all_close(m, xt::xtensor<double, 2>{{1, 4}, {3, 8}, {5, 12}}, 0.0, 0.0));
}

TEST(Updates, AShapeMismatchThrowsBeforeAnythingIsWritten) {
  constexpr theon::vector<"v"> v;
  auto f = theon::function(theon::sum(v), theon::updates(w, w + v));
  xt::xtensor<double, 1> ws = {1.0}, vs = {1.0, 2.0, 3.0};
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)f(w = ws, v = vs); },
                                           {"the update of 'w' has shape [3]", "'w' is bound to an array of shape [1]"}));
  EXPECT_EQ(ws(0), 1.0);
}

TEST(Updates, AStepAllocatesNothingAfterTheFirstCall) {
  const auto [gw, gb] = theon::grad(loss, w, b);
  auto step = theon::function(loss, theon::updates(w, w - lr * gw, b, b - lr * gb));
  step.threads(1);
  const auto xs = random_matrix<double>(64, 8, -1, 1, 4);
  const auto ys = random_vector<double>(64, -1, 1, 5);
  xt::xtensor<double, 1> weights = xt::zeros<double>({8});
  double bias = 0;
  const long start = theon_test::allocations.load();
  const double first = step(X = xs, y = ys, w = weights, b = bias, lr = 0.05);
  const long before = theon_test::allocations.load();
  EXPECT_GT(before - start, 0);  // the first call sizes the kept temporaries: the count sees them
  double last = 0;
  for (int k = 0; k < 10; ++k) last = step(X = xs, y = ys, w = weights, b = bias, lr = 0.05);
  EXPECT_EQ(theon_test::allocations.load() - before, 0);
  EXPECT_LT(last, first);
}

}  // namespace
