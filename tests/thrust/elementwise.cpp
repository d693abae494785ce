// Thrust runner conformance: elementwise ops, broadcasting, dtypes, views.
#include "thrust_support.hpp"

namespace {
using namespace theon::literals;
using namespace theon_thrust_test;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"B"> B;
constexpr theon::scalar<"s"> s;

TEST(ThrustElementwise, TranscendentalFunctions) {
  const auto xs = random_vector<double>(1001, 0.1, 3.0, 1);
  auto f = theon::function(theon::exp(x) + theon::log(x) * theon::sqrt(x), theon::sin(x) - theon::cos(x) * theon::tan(x / 4_c),
                           theon::tanh(x) + theon::log1p(x) - theon::expm1(-x), theon::sigmoid(x - 1_c) * theon::softplus(-x));
  expect_runners_agree(f, x = xs);
}

TEST(ThrustElementwise, SpecialFunctions) {
  const auto xs = random_vector<double>(1001, -4.0, 4.0, 13);
  const auto ys = random_vector<double>(1001, 0.1, 30.0, 14);
  auto f = theon::function(theon::lgamma(x) + theon::digamma(y) * theon::trigamma(x), theon::erfc(x * 3_c),
                           theon::atan2(x, y) + theon::hypot(x, y) + theon::logaddexp(x, y) - theon::log1mexp(-y),
                           theon::sinh(x) + theon::acosh(y + 1_c) + theon::asin(x / 4_c) + theon::cbrt(x),
                           theon::round(x) + theon::mod(x, y) + theon::xlogy(x, y), theon::isfinite(x / (x - x)),
                           theon::erfinv(x / 4_c) + theon::erfcx(x) + theon::log_ndtr(x * 9_c) + theon::tgamma(y / 4_c));
  expect_runners_agree(f, x = xs, y = ys);
}

// Subscripts are views with a start: a stencil over them, and the adjoint
// that writes the gradient back where they read.
TEST(ThrustElementwise, SubscriptViewsAndTheirGradients) {
  using theon::_;
  using theon::slice;
  const auto xs = random_vector<double>(1001, -1.0, 1.0, 15);
  const auto as = random_matrix<double>(21, 34, -1.0, 1.0, 16);
  constexpr auto stencil = x(slice<2>) - 2_c * x(slice<1, -1>) + x(slice<0, -2>);
  auto f = theon::function(stencil, theon::grad(theon::sum(theon::square(stencil)), x), x(slice<-1, theon::end, -3>),
                           A(theon::index<3>)(slice<0, 19>) + A(slice<1, -1>, theon::index<-1>)(theon::newaxis, _),
                           A(slice<1>, slice<0, theon::end, 2>));
  expect_runners_agree(f, x = xs, A = as);
}

// take, flip, cumsum, reshape, set_subtensor, inc_subtensor, concatenate and
// stack, and their gradients: routines on host copies of the operands.
TEST(ThrustElementwise, TakeFlipCumsumAndReshape) {
  constexpr theon::vector<"i", theon::int64> i;
  const auto as = random_matrix<double>(21, 34, -1.0, 1.0, 17);
  const xt::xtensor<theon::int64, 1> is{3, 0, 20, 3, -1};
  constexpr auto picked = theon::take(A, i);
  auto f = theon::function(picked, theon::grad(theon::sum(theon::square(picked)), A), theon::flip(A, theon::axis<1>),
                           theon::cumsum(A, theon::axis<0>), theon::grad(theon::sum(theon::cumsum(A, theon::axis<1>) * A), A),
                           theon::reshape<-1, 7>(theon::transpose(A)),
                           theon::set_subtensor(A(theon::slice<1, -1>, theon::index<0>), A(theon::index<0>)(theon::slice<0, 19>)),
                           theon::grad(theon::sum(theon::sin(theon::inc_subtensor(A(theon::index<-1>), 1_c)) * A), A),
                           theon::concatenate<0>(A, A(theon::slice<0, 2>)), theon::stack<1>(A(theon::index<0>), A(theon::index<1>)),
                           theon::grad(theon::sum(theon::exp(theon::concatenate<1>(A, A * A))), A),
                           theon::grad(theon::sum(theon::exp(theon::flatten(A)) * theon::flatten(theon::flip(A))), A));
  expect_runners_agree(f, A = as, i = is);
}

// triu, cumprod, argmax, argmin and roll, and their derivatives (cumprod's
// at a zero, and its second): routines on host copies of the operands.
TEST(ThrustElementwise, TriuCumprodArgmaxAndRoll) {
  auto as = random_matrix<double>(21, 34, -1.0, 1.0, 18);
  as(3, 5) = 0;
  const auto xs = random_vector<double>(101, 0.5, 1.5, 19);
  constexpr auto products = theon::cumprod(A, theon::axis<0>);
  auto f = theon::function(theon::triu(A), theon::grad(theon::sum(theon::triu(A) * A), A), products,
                           theon::grad(theon::sum(theon::sin(products)), A), theon::cumprod(A, theon::axis<1>),
                           theon::argmax(A), theon::argmin(A, theon::axis<1>), theon::argmax(A, theon::axis<0>),
                           theon::roll<-3>(A, theon::axis<1>), theon::grad(theon::sum(theon::exp(theon::roll<40>(A)) * A), A));
  expect_runners_agree(f, A = as);
  const auto gradient = theon::grad(theon::sum(theon::sin(theon::cumprod(x))), x);
  auto g = theon::function(gradient, theon::grad(theon::sum(gradient * x), x), theon::roll<1000>(x));
  expect_runners_agree(g, x = xs);
}

TEST(ThrustElementwise, ArithmeticPowersAndSigns) {
  const auto xs = random_vector<double>(777, -3.0, 3.0, 2);
  const auto ys = random_vector<double>(777, 0.5, 2.0, 3);
  auto f = theon::function(x * y - x / y + theon::pow(y, x), theon::square(x) + theon::abs(x) * theon::sign(x),
                           theon::maximum(x, y) - theon::minimum(x, -y), theon::clip(x, -1_c, 1_c));
  expect_runners_agree(f, x = xs, y = ys);
}

TEST(ThrustElementwise, ComparisonsAndWhere) {
  const auto xs = random_vector<double>(500, -1.0, 1.0, 4);
  const auto ys = random_vector<double>(500, -1.0, 1.0, 5);
  auto f = theon::function(theon::where(x > y, x, y * 2_c), x <= y, theon::where(x != 0_c, x, 1_c));
  expect_runners_agree(f, x = xs, y = ys);
}

TEST(ThrustElementwise, BroadcastsScalarsRowsAndColumns) {
  const auto as = random_matrix<double>(37, 53, -1.0, 1.0, 6);
  const auto row = random_vector<double>(53, -1.0, 1.0, 7);
  const auto column = random<double, 2>({37, 1}, -1.0, 1.0, 8);
  constexpr theon::matrix<"C"> C;
  auto f = theon::function(A * x + s, theon::exp(A - C) * s, A + theon::transpose(theon::transpose(A)) * x);
  expect_runners_agree(f, A = as, x = row, C = column, s = 0.25);
}

TEST(ThrustElementwise, RankThreeBroadcastAndPermutedViews) {
  constexpr theon::tensor<"T", double, 3> T;
  const auto ts = random<double, 3>({4, 5, 6}, -1.0, 1.0, 9);
  const auto bs = random_matrix<double>(4, 6, -1.0, 1.0, 10);
  auto f = theon::function(T * theon::expand_dims<1>(B) + 1_c, theon::transpose(T, theon::axes<2, 0, 1>) * 2_c);
  expect_runners_agree(f, T = ts, B = bs);
}

TEST(ThrustElementwise, FloatIntegerAndBoolDtypes) {
  constexpr theon::vector<"f", float> xf;
  constexpr theon::vector<"i", theon::int32> xi;
  const auto fs = random_vector<float>(300, -2.0, 2.0, 11);
  const auto is = random_vector<theon::int32>(300, -50, 50, 12);
  auto f = theon::function(theon::exp(xf) * 2_c, xi * xi - 3_c, xi / 7_c, theon::cast<float>(xi) + xf, xi > 0_c);
  expect_runners_agree(f, xf = fs, xi = is);
}

TEST(ThrustElementwise, OutputsThatAreInputsViewsAndRepeats) {
  const auto as = random_matrix<double>(8, 3, -1.0, 1.0, 13);
  auto f = theon::function(A, theon::transpose(A), A * 2_c, A * 2_c);
  expect_runners_agree(f, A = as);
}

TEST(ThrustElementwise, EmptyInputs) {
  const xt::xtensor<double, 1> empty = xt::zeros<double>({0});
  auto f = theon::function(theon::exp(x) + 1_c, theon::sum(x), theon::prod(x));
  expect_runners_agree(f, x = empty);
}

TEST(ThrustElementwise, NonFiniteValuesPropagate) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const xt::xtensor<double, 1> xs = {inf, -inf, nan, 0.0, -0.0, 1e308};
  auto f = theon::function(theon::exp(x), theon::maximum(x, 0_c), x * 10_c, theon::sigmoid(x), theon::softplus(x));
  expect_runners_agree(f, x = xs);
}

}  // namespace
