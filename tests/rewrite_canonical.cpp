// Canonical form: equal graphs get equal types, like terms and factors merge,
// constants fold exactly, and a rewrite never changes a node's shape or dtype.
#include "rewrite_support.hpp"

namespace {
using namespace theon::literals;
using rewrite_test::agrees_after_simplify;
using rewrite_test::rewrites_to;
constexpr theon::scalar<"a"> a;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"z"> z;
constexpr theon::vector<"xf", float> xf;
constexpr theon::vector<"i", theon::int32> i;

template <class A, class B>
constexpr bool same_after_simplify(A a_, B b_) {
  return std::is_same_v<decltype(theon::simplify(a_)), decltype(theon::simplify(b_))>;
}

// ---- order: operands of + and * sorted, chains flattened ---------------------------
static_assert(same_after_simplify(x * 2_c, 2_c * x));
static_assert(same_after_simplify((x + y) + z, x + (y + z)));
static_assert(same_after_simplify(z * (y * x), (x * y) * z));
static_assert(same_after_simplify(y + x, x + y));
static_assert(same_after_simplify(x - y + z, z - y + x));
static_assert(rewrites_to(y + x, x + y));           // variables in name order
static_assert(rewrites_to(x * 2_c, 2_c * x));       // the constant first
static_assert(rewrites_to(x + 3_c, 3_c + x));       // a positive constant leads a sum
static_assert(rewrites_to(x - 3_c, x - 3_c));       // a negative one ends it
static_assert(rewrites_to(a + (y + x), a + x + y));

// ---- constants and like terms -------------------------------------------------------
static_assert(rewrites_to(2_c * (3_c * x), 6_c * x));
static_assert(rewrites_to(1_c + x - 3_c, x - 2_c));
static_assert(rewrites_to(x + x, 2_c * x));
static_assert(rewrites_to(2_c * x + 3_c * x, 5_c * x));
static_assert(rewrites_to(x * x * y, x * x * y));   // pow(x, 2) * y, then x * x again by specialize
static_assert(rewrites_to(0.1_c * x + 0.2_c * x, 0.3_c * x));  // exact: no rounding of 0.1 + 0.2
static_assert(rewrites_to(x + 0_c, x));
static_assert(rewrites_to(x * 1_c, x));
static_assert(rewrites_to(x / 1_c, x));

// ---- negation -----------------------------------------------------------------------
static_assert(rewrites_to(-(-x), x));
static_assert(rewrites_to(-(x - y), y - x));
static_assert(rewrites_to(x - (-y), x + y));
static_assert(rewrites_to(-x * y, -(x * y)));
static_assert(rewrites_to(-x * -y, x * y));
static_assert(rewrites_to(-(2_c * x), -2_c * x));
static_assert(rewrites_to(1_c - x, 1_c - x));
static_assert(rewrites_to(-x - 1_c, -x - 1_c));

// ---- cancellation: x - x always; x / x only where x is known nonzero ----------------
static_assert(rewrites_to(x - x, theon::broadcast_like(0_c, x)));      // a zero of x's shape
static_assert(rewrites_to(x * 0_c, theon::broadcast_like(0_c, x)));    // (x finite, as Theano assumes)
static_assert(rewrites_to(x + y - y, theon::broadcast_like(x, y)));   // keeps y's extent
static_assert(rewrites_to(a - a, theon::broadcast_like(0_c, a)));      // a double, not a literal
static_assert(rewrites_to(xf - xf, theon::broadcast_like(theon::cast<float>(0_c), xf)));  // float stays float
static_assert(rewrites_to(x * y / x, x * y / x));                     // x may be 0: 0/0 is NaN
// e^x is never 0; the cancelled factor still gives the result its extent (it
// may be longer than y's at run time), read only for its shape: x has the shape of exp(x).
static_assert(rewrites_to(theon::exp(x) * y / theon::exp(x), theon::broadcast_like(y, x)));
static_assert(rewrites_to(theon::exp(x) / theon::exp(x), theon::broadcast_like(1_c, x)));  // e^(x - x) = e^0
static_assert(rewrites_to((y / theon::exp(x)) * (theon::exp(x) / z), theon::broadcast_like(y / z, x)));
static_assert(rewrites_to((2_c * x) / 2_c, x));

// ---- dtypes are kept ----------------------------------------------------------------
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::simplify(i + i))>, theon::int32>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::simplify(xf * 2_c + xf))>, float>);
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::simplify(i / 2_c))>, double>);
// 0.5 * i + 0.5 * i is a double; i alone would be an int32: the merge is refused.
static_assert(std::is_same_v<theon::dtype_t<decltype(theon::simplify(0.5_c * i + 0.5_c * i))>, double>);

TEST(RewriteCanonical, ReorderedAndMergedFormsKeepValues) {
  EXPECT_TRUE(agrees_after_simplify(x - y + z * 2_c - 3_c + x, -5, 5));
  EXPECT_TRUE(agrees_after_simplify(-(x - y) * -(2_c * z) / 4_c, -5, 5));
  EXPECT_TRUE(agrees_after_simplify(x * y * x / (y * theon::exp(z)) * theon::exp(z), 0.5, 5));
  EXPECT_TRUE(agrees_after_simplify(x - x + y * 0_c, -5, 5));
  EXPECT_TRUE(agrees_after_simplify((y / theon::exp(x)) * (theon::exp(x) / z), 0.5, 5));
  EXPECT_TRUE(agrees_after_simplify(0.1_c * x + 0.2_c * x - 0.3_c * x, -5, 5, 1e-15));
}

TEST(RewriteCanonical, CancellationKeepsTheShape) {
  // y of extent 3 and x of extent 1: x + y - y is 3 long, not 1.
  const xt::xtensor<double, 1> xs = {2}, ys = {1, 2, 3};
  const xt::xtensor<double, 1> r = theon::function(x + y - y)(x = xs, y = ys);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r(2), 2.0);
  const xt::xtensor<double, 1> zero = theon::function(y - y)(y = ys);
  EXPECT_EQ(zero.size(), 3u);
  EXPECT_EQ(zero(1), 0.0);
}

TEST(RewriteCanonical, VariablesThatCancelAreStillInputs) {
  // a - a + y is y: a is no longer in the compiled graph, but the caller binds
  // the variables of what was written, a included.
  static_assert(rewrites_to(a - a + y, y));
  const xt::xtensor<double, 1> ys = {1, 2, 3};
  const xt::xtensor<double, 1> r = theon::function(a - a + y)(a = 2.0, y = ys);
  EXPECT_EQ(r, ys);
}

// ---- cancellations that need a nonzero factor: off by default, on with the switch ----
template <class A, class B>
constexpr bool cancels_to(A a_, B b_) {
  return std::is_same_v<decltype(theon::simplify_assuming_nonzero(a_)), decltype(theon::simplify(b_))>;
}
static_assert(rewrites_to((x * y) / x, (x * y) / x));  // x may be 0: kept by default
static_assert(rewrites_to(x / x, x / x));
static_assert(cancels_to((a * y) / a, y));
static_assert(cancels_to(a / a, theon::broadcast_like(1_c, a)));
static_assert(cancels_to(x / x, theon::broadcast_like(1_c, x)));  // x's shape kept
static_assert(cancels_to(x * x / x, x));
static_assert(cancels_to(theon::exp(x) / theon::exp(x), theon::broadcast_like(1_c, x)));  // known nonzero: either way

TEST(RewriteCanonical, AssumeNonzeroCancelsAndChangesOnlyTheZeros) {
  const xt::xtensor<double, 1> xs = {2.0, -0.5, 0.0}, ys = {1.0, 3.0, 4.0};
  auto strict = theon::function((x * y) / x);
  auto cancelled = theon::function(theon::assume_nonzero, (x * y) / x);
  const xt::xtensor<double, 1> r = strict(x = xs, y = ys), c = cancelled(x = xs, y = ys);
  EXPECT_DOUBLE_EQ(c(0), r(0));
  EXPECT_DOUBLE_EQ(c(1), r(1));
  EXPECT_TRUE(std::isnan(r(2)));  // 0 * 4 / 0
  EXPECT_EQ(c(2), 4.0);           // y: the limit, what the switch is for
  // (a / y) (y / z) -> a / z: one division, and finite where y is 0.
  auto chained = theon::function(theon::assume_nonzero, (a / y) * (y / z));
  const xt::xtensor<double, 1> zs = {2.0, 4.0, 8.0};
  const xt::xtensor<double, 1> q = chained(a = 3.0, y = xs, z = zs);
  EXPECT_DOUBLE_EQ(q(0), 1.5);
  EXPECT_DOUBLE_EQ(q(2), 3.0 / 8.0);  // y = 0 there
}

}  // namespace
