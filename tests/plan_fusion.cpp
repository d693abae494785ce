// The plan: fusion into loops, common subexpressions computed once, temporaries.
// Graphs are planned as written (theon::no_rewrites): these tests are about the planner.
#include <gtest/gtest.h>

#include <xtensor/xmath.hpp>
#include <xtensor/xrandom.hpp>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;
constexpr theon::scalar<"a"> a;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"B"> B;

TEST(Plan, ElementwiseChainIsOneLoop) {
  auto f = theon::function(theon::no_rewrites, x * y + theon::sin(x) - theon::exp(-x * x));
  const auto p = f.plan();
  EXPECT_EQ(p.count("elementwise"), 1u) << p.to_string();
  EXPECT_EQ(p.temporaries(), 0u);
  static_assert(decltype(f)::vectorised());
}

TEST(Plan, ReductionAbsorbsItsProducer) {
  auto f = theon::function(theon::no_rewrites, theon::sum(theon::exp(a * x) + 2_c * x));
  const auto p = f.plan();
  EXPECT_EQ(p.count("reduction"), 1u) << p.to_string();
  // a * x has a lower rank than... no: a*x is rank 1 like the loop, so it is fused too.
  EXPECT_EQ(p.count("elementwise"), 0u) << p.to_string();
  const auto* step = p.find("sum(exp(a * x) + 2 * x)");
  ASSERT_NE(step, nullptr);
  EXPECT_EQ(step->fused.size(), 4u);  // a*x, exp(a*x), 2*x, the sum's operand
  static_assert(decltype(f)::vectorised());
}

TEST(Plan, SharedSubexpressionIsComputedOnceAcrossOutputs) {
  constexpr auto shared = theon::exp(x * y);
  auto f = theon::function(theon::no_rewrites, theon::sum(shared), shared * 2_c);
  const auto p = f.plan();
  // exp(x*y) is used by two loops, so it is materialised once and read by both.
  const auto* step = p.find("exp(x * y)");
  ASSERT_NE(step, nullptr) << p.to_string();
  EXPECT_TRUE(step->temporary);
  EXPECT_EQ(p.find("sum(exp(x * y))")->reads, std::vector<std::string>{"exp(x * y)"});
}

TEST(Plan, SharedSubexpressionInsideOneLoopIsOneLocal) {
  constexpr auto ax = a * x;
  auto f = theon::function(theon::no_rewrites, theon::exp(ax) + ax * ax);
  const auto p = f.plan();
  EXPECT_EQ(p.count("elementwise"), 1u) << p.to_string();
  EXPECT_EQ(p.steps.back().fused.size(), 3u);  // a*x, exp(a*x), (a*x)*(a*x): a*x once
}

// Outputs of one shape are written by one loop, which computes what they
// share once per element: nothing is stored for a second loop to read.
TEST(Plan, OutputsOfOneShapeShareALoop) {
  constexpr auto shared = theon::exp(x * y);
  auto f = theon::function(theon::no_rewrites, shared * x, shared + y, theon::sin(shared) - x);
  const auto p = f.plan();
  EXPECT_EQ(p.count("elementwise"), 1u) << p.to_string();
  EXPECT_EQ(p.temporaries(), 0u) << p.to_string();
  EXPECT_EQ(p.steps.back().stores, (std::vector<std::string>{"exp(x * y) * x", "exp(x * y) + y"})) << p.to_string();
  EXPECT_EQ(p.find("exp(x * y) * x")->loop, "sin(exp(x * y)) - x");
  static_assert(decltype(f)::vectorised<0>() && decltype(f)::vectorised<2>());
  const xt::xtensor<double, 1> xs = xt::linspace(-1.0, 1.0, 37), ys = xt::linspace(0.5, 2.0, 37);
  const auto [a, b, c] = f(x = xs, y = ys);
  const xt::xtensor<double, 1> e = xt::exp(xs * ys);
  EXPECT_TRUE(xt::allclose(a, e * xs));
  EXPECT_TRUE(xt::allclose(b, e + ys));
  EXPECT_TRUE(xt::allclose(c, xt::sin(e) - xs));
}

// exp(x) and exp(y) have one shape only if x and y do: separate loops, and
// each output has its own length.
TEST(Plan, OutputsOfDifferentSourcesKeepTheirLoops) {
  auto f = theon::function(theon::no_rewrites, theon::exp(x), theon::exp(y) * 2_c);
  EXPECT_EQ(f.plan().count("elementwise"), 2u) << f.plan().to_string();
  const xt::xtensor<double, 1> xs = {0.0, 1.0}, ys = {0.0, 1.0, 2.0};
  const auto [ex, ey] = f(x = xs, y = ys);
  EXPECT_TRUE(xt::allclose(ex, xt::exp(xs)));
  EXPECT_TRUE(xt::allclose(ey, 2.0 * xt::exp(ys)));
}

// A loop runs at its last member. A*3 joins the loop of A*2, which the product
// reads, so both are ready before it; tanh(. + 1) reads the product and runs after.
TEST(Plan, ALoopRunsBeforeItsStoresAreRead) {
  auto f = theon::function(theon::no_rewrites, A * 3_c, theon::tanh(theon::matmul(A * 2_c, B) + 1_c));
  const auto p = f.plan();
  EXPECT_EQ(p.count("elementwise"), 2u) << p.to_string();
  EXPECT_EQ(p.find("A * 3")->loop, "A * 2") << p.to_string();
  const xt::xtensor<double, 2> as = {{1.0, -2.0}, {0.5, 3.0}}, bs = {{0.25, 1.0}, {-1.0, 0.5}};
  const auto [a3, t] = f(A = as, B = bs);
  EXPECT_TRUE(xt::allclose(a3, 3.0 * as));
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 2; ++j)
      EXPECT_NEAR(t(i, j), std::tanh(2.0 * (as(i, 0) * bs(0, j) + as(i, 1) * bs(1, j)) + 1.0), 1e-12);
}

// Full reductions over one shape fold side by side in one pass, with any
// operators; a reduction that needs another's result waits for it.
TEST(Plan, SiblingFullReductionsShareAPass) {
  auto f = theon::function(theon::no_rewrites, theon::sum(x * y), theon::max(x - y), theon::mean(x * y),
                           theon::sum(x - theon::sum(x * y)));
  const auto p = f.plan();
  EXPECT_EQ(p.count("reduction"), 2u) << p.to_string();
  const auto* pass = p.find("mean(x * y)");
  ASSERT_NE(pass, nullptr) << p.to_string();
  EXPECT_EQ(pass->stores, (std::vector<std::string>{"sum(x * y)", "max(x - y)"})) << p.to_string();
  EXPECT_EQ(pass->fused.size(), 2u);  // x * y once, x - y
  EXPECT_EQ(p.find("sum(x - sum(x * y))")->loop, "");
  static_assert(decltype(f)::vectorised<0>());
  const xt::xtensor<double, 1> xs = xt::linspace(-1.0, 2.0, 1001), ys = xt::cos(xt::linspace(0.0, 9.0, 1001));
  for (const std::size_t threads : {1u, 3u}) {
    f.threads(threads);
    const auto [s, m, mean, d] = f(x = xs, y = ys);
    const double dot = xt::sum(xs * ys)();
    EXPECT_NEAR(s, dot, 1e-12 * xt::sum(xt::abs(xs * ys))());
    EXPECT_DOUBLE_EQ(m, xt::amax(xs - ys)());
    EXPECT_NEAR(mean, dot / 1001.0, 1e-14);
    EXPECT_NEAR(d, xt::sum(xs)() - 1001.0 * dot, 1e-9);
  }
}

TEST(Plan, LowerRankWorkIsHoisted) {
  auto f = theon::function(theon::no_rewrites, theon::exp(a * a) * x);
  const auto p = f.plan();
  const auto* hoisted = p.find("exp(a * a)");
  ASSERT_NE(hoisted, nullptr) << p.to_string();
  EXPECT_EQ(hoisted->kind, "elementwise");
  xt::xtensor<double, 1> xs = {1.0, 2.0};
  const auto r = f(a = 0.5, x = xs);
  EXPECT_DOUBLE_EQ(r(1), 2.0 * std::exp(0.25));
}

TEST(Plan, MatmulIsMaterialisedAndItsOperandsToo) {
  auto f = theon::function(theon::no_rewrites, theon::tanh(theon::matmul(A * 2_c, B) + 1_c));
  const auto p = f.plan();
  EXPECT_EQ(p.count("contraction"), 1u) << p.to_string();
  EXPECT_EQ(p.count("elementwise"), 2u) << p.to_string();  // A*2 before, tanh(. + 1) after
  EXPECT_EQ(p.temporaries(), 2u);
}

TEST(Plan, TransposeIsAViewWithoutWork) {
  auto f = theon::function(theon::no_rewrites, theon::transpose(A) + 1_c);
  const auto p = f.plan();
  EXPECT_EQ(p.count("view"), 1u);
  EXPECT_EQ(p.temporaries(), 0u);
  xt::xtensor<double, 2> as = {{1, 2, 3}, {4, 5, 6}};
  const xt::xtensor<double, 2> expected = xt::transpose(as) + 1.0;
  EXPECT_EQ(f(A = as), expected);
}

TEST(Plan, SoftmaxLowersToItsStableForm) {
  auto f = theon::function(theon::no_rewrites, theon::softmax(A));
  const auto p = f.plan();
  EXPECT_EQ(p.count("reduction"), 2u) << p.to_string();  // the row max, the row sum of exp
  // exp(A - max) feeds both the row sum and the division: computed once, read twice.
  const auto* shared = p.find("exp(A - max(A, axis=1, keepdims))");
  ASSERT_NE(shared, nullptr) << p.to_string();
  EXPECT_TRUE(shared->temporary);
  EXPECT_EQ(p.count("elementwise"), 2u) << p.to_string();
}

TEST(Plan, TemporariesAreReusedAcrossCalls) {
  auto f = theon::function(theon::no_rewrites, theon::sum(theon::exp(x)), theon::exp(x) * 2_c);
  xt::xtensor<double, 1> small = {0.0, 1.0}, large = xt::linspace(0.0, 1.0, 1000);
  for (int round = 0; round < 2; ++round) {
    for (const auto* in : {&large, &small, &large}) {
      auto [s, twice] = f(x = *in);
      EXPECT_NEAR(s, xt::sum(xt::exp(*in))(), 1e-9 * std::abs(s));
      EXPECT_TRUE(xt::allclose(twice, 2.0 * xt::exp(*in)));
    }
  }
}

TEST(Plan, ReadableText) {
  auto f = theon::function(theon::no_rewrites, theon::sum(theon::exp(a * x) + 2_c * x), a * x);
  const std::string text = f.plan().to_string();
  EXPECT_NE(text.find("reduction sum(exp(a * x) + 2 * x)  (output)"), std::string::npos) << text;
  EXPECT_NE(text.find("fused: {exp(a * x)}"), std::string::npos) << text;
}

TEST(Plan, NonFloatingGroupsTakeTheScalarPath) {
  constexpr theon::vector<"i", theon::int32> i;
  auto f = theon::function(theon::no_rewrites, i * 3_c + 1_c);
  static_assert(!decltype(f)::vectorised());
  xt::xtensor<theon::int32, 1> is = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const xt::xtensor<theon::int32, 1> expected = is * 3 + 1;
  EXPECT_EQ(f(i = is), expected);
}

TEST(Plan, ComparisonsRideAlongTheSimdPath) {
  auto f = theon::function(theon::no_rewrites, theon::where(x > 0_c, x, x * 0.01_c));
  static_assert(decltype(f)::vectorised());
  xt::xtensor<double, 1> xs = xt::linspace(-1.0, 1.0, 37);
  EXPECT_TRUE(xt::allclose(f(x = xs), xt::where(xs > 0.0, xs, xs * 0.01)));
}

}  // namespace
