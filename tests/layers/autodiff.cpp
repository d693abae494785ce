// The autodiff layer on its own (autodiff/ over ops/ and core/): reverse and
// forward mode and the sweeps instantiated, with no rewriting or planning.
#include <gtest/gtest.h>

#include <theon/autodiff/forward.hpp>
#include <theon/autodiff/reverse.hpp>
#include <theon/autodiff/sweep.hpp>
#include <theon/ops/arithmetic.hpp>
#include <theon/ops/broadcast.hpp>
#include <theon/ops/math.hpp>
#include <theon/ops/reduce.hpp>

namespace {
using namespace theon::literals;
constexpr theon::vector<"x"> x;
constexpr theon::scalar<"a"> a;

// broadcast_like reads its second operand for its shape only: no adjoint flows there.
constexpr auto cost = theon::sum(theon::sin(a * x) * theon::broadcast_like(a, x));
constexpr auto gradients = theon::grad(cost, a, x);
static_assert(theon::rank_v<decltype(theon::get<0>(gradients))> == 0);
static_assert(theon::rank_v<decltype(theon::get<1>(gradients))> == 1);
static_assert(theon::rank_v<decltype(theon::jvp(cost, x, x))> == 0);
static_assert(theon::rank_v<decltype(theon::hessian(theon::sum(x * x * x), x))> == 2);

TEST(Autodiff, GradientOfAConstantIsZero) {
  EXPECT_TRUE((std::is_same_v<decltype(theon::grad(theon::sum(x), a)), decltype(theon::broadcast_like(0_c, a))>));
}
}  // namespace
