// The ops layer on its own (ops/ over core/): nodes, their static shapes and
// dtypes, and the scalar kernel bodies, with no rewriting, autodiff or planning.
#include <gtest/gtest.h>

#include <cmath>

#include <theon/ops/arithmetic.hpp>
#include <theon/ops/broadcast.hpp>
#include <theon/ops/dense.hpp>
#include <theon/ops/dist.hpp>
#include <theon/ops/linalg.hpp>
#include <theon/ops/math.hpp>
#include <theon/ops/nn.hpp>
#include <theon/ops/reduce.hpp>
#include <theon/ops/subscript.hpp>
#include <theon/ops/take.hpp>

namespace {
using namespace theon::literals;
constexpr theon::vector<"x"> x;
constexpr theon::matrix<"M"> M;
constexpr theon::scalar<"a", float> a;

constexpr auto e = theon::sum(theon::exp(a * x) + theon::softplus(x));
static_assert(theon::rank_v<decltype(e)> == 0);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::sin(a))>, float>);
static_assert(theon::rank_v<decltype(theon::matmul(M, x))> == 1);
static_assert(theon::reads_shape_only<decltype(theon::broadcast_like(1_c, x)), 1>);
static_assert(!theon::reads_shape_only<decltype(x + x), 1>);
// Properties an op states of itself: operand order, exact folding, value facts, cost.
static_assert(theon::commutative_op<theon::mul_op> && !theon::commutative_op<theon::sub_op>);
static_assert(theon::folds_literals<theon::pow_op> && !theon::folds_literals<theon::exp_op>);
static_assert(theon::pow_op::fold({2, 1}, {-2, 1}).num == 1 && theon::pow_op::fold({2, 1}, {-2, 1}).den == 4);
static_assert(!theon::pow_op::fold({2, 1}, {1, 2}).ok);  // sqrt(2) is no fraction
static_assert(theon::pow_op::facts({.nonzero = true}, {.integer = true, .even = true}).positive);
static_assert(!theon::pow_op::facts({.nonzero = true}, {.integer = true}).nonnegative);
static_assert(theon::add_op::facts(theon::positive_value, theon::nonnegative_value).positive);
static_assert(theon::add_op::cheap && !theon::exp_op::cheap && !theon::pow_op::cheap);
// Densities are expressions over the ops: elementwise, or reducing the event axis.
static_assert(theon::rank_v<decltype(theon::dist::gamma_lpdf(x, a, 2_c))> == 1);
static_assert(theon::rank_v<decltype(theon::dist::dirichlet_lpdf(M, x))> == 1);
static_assert(theon::rank_v<decltype(theon::logdet(theon::cholesky(M)))> == 0);
static_assert(theon::rank_v<decltype(theon::solve(M, x))> == 1);
static_assert(theon::rank_v<decltype(theon::take(M, theon::matrix<"I", theon::int32>{}))> == 3);  // M[I]
// A subscript's static shape, from its items alone.
static_assert(theon::rank_v<decltype(M(theon::index<0>))> == 1);
static_assert([] {
  bool ok = false;
  const auto out = theon::subscript_op<theon::slice_t<-1, theon::end, -3>>::shape(ok, theon::extents<1>{10});
  return ok && out[0] == 4;  // x[-1::-3]: 9, 6, 3, 0
}());

TEST(Ops, ScalarBodies) {
  EXPECT_DOUBLE_EQ(theon::exp_op::eval(1.0), std::exp(1.0));
  EXPECT_DOUBLE_EQ(theon::softplus_op::eval(0.0), std::log(2.0));
  EXPECT_DOUBLE_EQ(theon::maximum_op::eval(-1.0, 2.0), 2.0);
  EXPECT_DOUBLE_EQ(theon::erfinv_op::eval(theon::erf_op::eval(0.25)), 0.25);
  EXPECT_DOUBLE_EQ(theon::log_ndtr_op::eval(0.0), std::log(0.5));
  // A dense routine on a strided view of its own kind: (4 2; 2 5) = L L^T with L = (2 0; 1 2).
  const double a[] = {4, 2, 2, 5};
  struct view {
    const double* data;
    std::array<std::size_t, 2> shape;
    std::array<std::ptrdiff_t, 2> strides;
  };
  double l[4];
  theon::cholesky_op::compute(l, view{a, {2, 2}, {2, 1}});
  EXPECT_EQ(l[0], 2.0);
  EXPECT_EQ(l[1], 0.0);
  EXPECT_EQ(l[2], 1.0);
  EXPECT_EQ(l[3], 2.0);
}
}  // namespace
