// Thrust runner conformance: every reduction over all axes, each axis, several
// axes, with kept dimensions, and the sum_to that gradients of broadcasts use.
#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::matrix<"A"> A;
constexpr theon::tensor<"T", double, 3> T;

TEST(ThrustReductions, WholeArray) {
  const auto xs = random_vector<double>(100003, -1.0, 1.0, 1);
  auto f = theon::function(theon::sum(x), theon::mean(theon::exp(x)), theon::max(x), theon::min(x * x),
                           theon::prod(1_c + x / 100000_c));
  expect_runners_agree(f, x = xs);
}

// The CPU runner folds these in one pass; the Thrust runner gives each a pass.
TEST(ThrustReductions, SiblingsOfOneLoop) {
  const auto xs = random_vector<double>(4097, -1.0, 1.0, 31);
  const auto ys = random_vector<double>(4097, -1.0, 1.0, 32);
  auto f = theon::function(theon::sum(x * y), theon::max(x - y), theon::mean(theon::exp(x * y)), theon::min(y * 2_c));
  expect_runners_agree(f, x = xs, y = ys);
}

TEST(ThrustReductions, EachAxisOfAMatrix) {
  const auto as = random_matrix<double>(123, 77, -1.0, 1.0, 2);
  auto f = theon::function(theon::sum(A, theon::axes<0>), theon::sum(A, theon::axes<1>), theon::mean(A, theon::axes<-1>),
                           theon::max(A, theon::axes<0>), theon::min(A, theon::axes<1>), theon::prod(A, theon::axes<0>));
  expect_runners_agree(f, A = as);
}

TEST(ThrustReductions, KeptDimensionsAndSeveralAxes) {
  const auto ts = random<double, 3>({6, 7, 8}, -1.0, 1.0, 3);
  auto f = theon::function(theon::sum(T, theon::axes<0, 2>), theon::max(T, theon::axes<1>, theon::keepdims),
                           theon::mean(T, theon::axes<0, 1>, theon::keepdims), T - theon::max(T, theon::axes<2>, theon::keepdims));
  expect_runners_agree(f, T = ts);
}

TEST(ThrustReductions, StableCompositesOverRows) {
  const auto as = random_matrix<double>(64, 100, -20.0, 20.0, 4);
  auto f = theon::function(theon::softmax(A), theon::log_softmax(A, theon::axis<0>), theon::logsumexp(A, theon::axes<1>),
                           theon::logsumexp(A));
  expect_runners_agree(f, A = as);
}

TEST(ThrustReductions, SumToFromTheGradientOfABroadcast) {
  const auto as = random_matrix<double>(40, 30, -1.0, 1.0, 5);
  const auto bs = random_vector<double>(30, -1.0, 1.0, 6);
  constexpr theon::vector<"b"> b;
  const auto cost = theon::sum(theon::tanh(A + b) * A);
  auto f = theon::function(cost, theon::grad(cost, b));
  expect_runners_agree(f, A = as, b = bs);
}

TEST(ThrustReductions, IntegerAndBoolSums) {
  constexpr theon::vector<"i", theon::int32> xi;
  const auto is = random_vector<theon::int32>(1000, -9, 9, 7);
  auto f = theon::function(theon::sum(xi), theon::sum(xi > 0_c), theon::max(xi), theon::prod(theon::sign(xi)));
  expect_runners_agree(f, xi = is);
}

TEST(ThrustReductions, EmptyAxisIsTheSameErrorOnBothRunners) {
  const xt::xtensor<double, 2> empty = xt::zeros<double>({3, 0});
  auto f = theon::function(theon::max(A, theon::axes<1>));
  auto g = theon::on(thrust::device, f);
  EXPECT_TRUE(shape_error_says([&] { f(A = empty); }, {"max", "reduces an axis of extent 0", "[3, 0]"}));
  EXPECT_TRUE(shape_error_says([&] { g(A = empty); }, {"max", "reduces an axis of extent 0", "[3, 0]"}));
}

}  // namespace
