// Compile-time facts of the expression vocabulary: literals, dtypes, shapes, traits.
#include <gtest/gtest.h>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;
using theon::lit;

// ---- exact literals --------------------------------------------------------
static_assert(std::is_same_v<decltype(2_c), lit<2, 1>>);
static_assert(std::is_same_v<decltype(0.5_c), lit<1, 2>>);
static_assert(std::is_same_v<decltype(1e-3_c), lit<1, 1000>>);
static_assert(std::is_same_v<decltype(1.25e2_c), lit<125, 1>>);
static_assert(std::is_same_v<decltype(2.50_c), lit<5, 2>>);
static_assert(std::is_same_v<decltype(1E+2_c), lit<100, 1>>);
static_assert(std::is_same_v<decltype(1'000_c), lit<1000, 1>>);
static_assert(std::is_same_v<decltype(0.1_c), lit<1, 10>>);  // exactly one tenth, not the nearest double
static_assert(std::is_same_v<decltype(-0.75_c), lit<-3, 4>>);
static_assert(std::is_same_v<decltype(120e-2_c), lit<6, 5>>);
static_assert(lit<1, 3>::value<double>() == 1.0 / 3.0);
static_assert(lit<3, 1>::value<theon::int32>() == 3);

// ---- dtype promotion -------------------------------------------------------
using theon::promote_t, theon::int32, theon::int64;
static_assert(std::is_same_v<promote_t<float, double>, double>);
static_assert(std::is_same_v<promote_t<int32, int64>, int64>);
static_assert(std::is_same_v<promote_t<int32, float>, double>);
static_assert(std::is_same_v<promote_t<bool, float>, float>);
static_assert(std::is_same_v<promote_t<theon::integer_literal, float>, float>);
static_assert(std::is_same_v<promote_t<theon::fractional_literal, float>, float>);
static_assert(std::is_same_v<promote_t<theon::fractional_literal, int32>, double>);
static_assert(std::is_same_v<promote_t<theon::integer_literal, int32>, int32>);

constexpr theon::scalar<"a"> a;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"f", float> f;
constexpr theon::vector<"i", int32> i;
constexpr theon::vector<"b", bool> b;
constexpr theon::matrix<"M"> M;
constexpr theon::tensor<"T", double, 3> T;
constexpr theon::var<"s", double, theon::shape<3, 1>> s;
constexpr theon::var<"u", double, theon::shape<4>> u;

static_assert(std::is_same_v<theon::dtype_t<decltype(f * 2_c)>, float>);
static_assert(std::is_same_v<theon::dtype_t<decltype(f * 0.5_c)>, float>);
static_assert(std::is_same_v<theon::dtype_t<decltype(i * 2_c)>, int32>);
static_assert(std::is_same_v<theon::dtype_t<decltype(i * 0.5_c)>, double>);
static_assert(std::is_same_v<theon::dtype_t<decltype(i / 2_c)>, double>);  // true division
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::exp(i))>, double>);
static_assert(std::is_same_v<theon::dtype_t<decltype(f + x)>, double>);
static_assert(std::is_same_v<theon::dtype_t<decltype(b + b)>, int32>);
static_assert(std::is_same_v<theon::dtype_t<decltype(x < a)>, bool>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::sum(i))>, int64>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::sum(b))>, int64>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::mean(i))>, double>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::max(f))>, float>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::where(x > 0_c, f, f))>, float>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::cast<int64>(x))>, int64>);

// ---- shapes ----------------------------------------------------------------
static_assert(theon::rank_v<decltype(a)> == 0 && theon::rank_v<decltype(x)> == 1 && theon::rank_v<decltype(T)> == 3);
static_assert(theon::rank_v<decltype(M + x)> == 2);
static_assert(theon::rank_v<decltype(theon::sum(T, theon::axis<1>))> == 2);
static_assert(theon::rank_v<decltype(theon::sum(T, theon::axes<0, -1>, theon::keepdims))> == 3);
static_assert(theon::rank_v<decltype(theon::matmul(M, x))> == 1);
static_assert(theon::rank_v<decltype(theon::dot(x, x))> == 0);
static_assert(theon::rank_v<decltype(theon::outer(x, x))> == 2);
static_assert(theon::rank_v<decltype(theon::logsumexp(M, theon::axis<1>))> == 1);
static_assert(std::is_same_v<theon::static_shape_t<decltype(s + u)>, theon::shape<3, 4>>);
static_assert(std::is_same_v<theon::static_shape_t<decltype(s + x)>, theon::shape<3, theon::dyn>>);
static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::transpose(s))>, theon::shape<1, 3>>);
static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::sum(s, theon::axis<0>, theon::keepdims))>, theon::shape<1, 1>>);
static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::expand_dims<0>(u))>, theon::shape<1, 4>>);

// ---- the expression is the type -------------------------------------------
constexpr auto cost = theon::sum(theon::exp(a * x) + 2_c * x);
static_assert(std::is_empty_v<decltype(cost)>);
static_assert(std::is_same_v<decltype(theon::exp(a * x)), decltype(theon::exp(a * x))>);
static_assert(!std::is_same_v<decltype(a * x), decltype(x * a)>);  // operand order is kept; canonical order is the rewriter's job
static_assert(std::is_same_v<decltype(-2_c), lit<-2, 1>>);          // a negative literal is a literal
static_assert(theon::expression<decltype(cost)> && !theon::expression<double>);

// Operands are exactly what was written.
using a_t = theon::scalar<"a">;
using x_t = theon::vector<"x">;
static_assert(std::is_same_v<decltype(a + x), theon::node<theon::add_op, a_t, x_t>>);
static_assert(std::is_same_v<decltype(theon::softmax(M)), theon::node<theon::softmax_op<1>, theon::matrix<"M">>>);
static_assert(std::is_same_v<decltype(theon::sum(T, theon::axes<2, 0>)),
                             theon::node<theon::sum_op<false, 0, 2>, theon::tensor<"T", double, 3>>>);

TEST(CoreExpr, UniqueNodesAreSharedSubexpressions) {
  constexpr auto ax = a * x;
  using nodes = theon::unique_nodes_t<decltype(theon::exp(ax) + ax * ax)>;
  // a, x, a*x, exp(a*x), (a*x)*(a*x), the sum: a*x appears once.
  EXPECT_EQ(nodes::size, 6u);
}

TEST(CoreExpr, LiteralsAreExactValues) {
  EXPECT_EQ((1e-3_c).value<double>(), 0.001);
  EXPECT_EQ((0.1_c).value<float>(), 0.1f);
  EXPECT_EQ((2.5_c).value<double>(), 2.5);
}

}  // namespace
