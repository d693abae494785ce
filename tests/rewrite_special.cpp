// The stabilize phase's rules for the special functions: each fires, keeps
// values on ordinary inputs, and gives the right answer where the original
// form overflows, cancels or gives NaN.
#include "rewrite_support.hpp"

namespace {
using namespace theon::literals;
using rewrite_test::agrees_after_simplify;
using rewrite_test::rewrites_to;
using rewrite_test::value_at;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr double inf = std::numeric_limits<double>::infinity();

static_assert(rewrites_to(1_c - theon::erf(x), theon::erfc(x)));
static_assert(rewrites_to(1_c + theon::erf(x), theon::erfc(-x)));
static_assert(rewrites_to(theon::erf(x) + 1_c, theon::erfc(-x)));
static_assert(rewrites_to(1_c - theon::erfc(x), theon::erf(x)));
static_assert(rewrites_to(theon::log(1_c - theon::exp(x)), theon::log1mexp(x)));
static_assert(rewrites_to(theon::log(-theon::expm1(x)), theon::log1mexp(x)));
static_assert(rewrites_to(theon::log1p(-theon::exp(x)), theon::log1mexp(x)));
static_assert(rewrites_to(theon::log(theon::exp(x) + theon::exp(y)), theon::logaddexp(y, x)));  // sums are ordered
static_assert(rewrites_to(x * theon::log(y), theon::xlogy(x, y)));
static_assert(rewrites_to(theon::log(y) * x, theon::xlogy(x, y)));
static_assert(rewrites_to(2_c * theon::log(y), 2_c * theon::log(y)));  // a literal factor is never 0
static_assert(rewrites_to(x * theon::log1p(y), theon::xlog1py(x, y)));
static_assert(rewrites_to(theon::sqrt(theon::square(x) + theon::square(y)), theon::hypot(y, x)));
static_assert(rewrites_to(theon::log(x + theon::sqrt(theon::square(x) + 1_c)), theon::asinh(x)));
constexpr auto minus_sqrt2 = theon::lit<-14142135623730951, 10000000000000000>{};
static_assert(rewrites_to(theon::log(theon::erfc(x)), theon::constants::ln2{} + theon::log_ndtr(minus_sqrt2 * x)));
static_assert(rewrites_to(theon::log(1_c - theon::erf(x)), theon::constants::ln2{} + theon::log_ndtr(minus_sqrt2 * x)));
static_assert(rewrites_to(theon::exp(theon::square(x)) * theon::erfc(x), theon::erfcx(x)));
static_assert(rewrites_to(theon::exp(x * x) * theon::erfc(x), theon::erfcx(x)));
static_assert(rewrites_to(theon::exp(-theon::square(x)) / theon::erfc(x), 1_c / theon::erfcx(x)));
// The gradient of log(erfc(x)) comes out in the stable form.
static_assert(rewrites_to(theon::grad(theon::sum(theon::log(theon::erfc(x))), x),
                          theon::lit<-5641895835477563, 5000000000000000>{} / theon::erfcx(x)));
static_assert(rewrites_to(theon::log(theon::abs(theon::tgamma(x))), theon::lgamma(x)));
static_assert(rewrites_to(theon::log(theon::tgamma(theon::exp(x))), theon::lgamma(theon::exp(x))));
static_assert(rewrites_to(theon::log(theon::tgamma(x)), theon::log(theon::tgamma(x))));  // Gamma(x) may be < 0
static_assert(rewrites_to(theon::tgamma(theon::exp(x)) / theon::tgamma(theon::exp(y)),
                          theon::exp(theon::lgamma(theon::exp(x)) - theon::lgamma(theon::exp(y)))));
// A ratio already in log space stays there.
static_assert(rewrites_to(theon::exp(theon::lgamma(x) - theon::lgamma(y)), theon::exp(theon::lgamma(x) - theon::lgamma(y))));
static_assert(rewrites_to(theon::exp(theon::lgamma(x)) / theon::exp(theon::lgamma(y)),
                          theon::exp(theon::lgamma(x) - theon::lgamma(y))));

TEST(RewriteSpecial, RulesKeepValuesOnOrdinaryInputs) {
  EXPECT_TRUE(agrees_after_simplify(1_c - theon::erf(x), -3, 3, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(1_c + theon::erf(x), -3, 3, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(1_c - theon::erfc(x), -3, 3, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(theon::log(1_c - theon::exp(x)), -5, 5, 1e-9));  // NaN for x > 0 on both sides
  EXPECT_TRUE(agrees_after_simplify(theon::log(-theon::expm1(x)), -5, 5, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(theon::log1p(-theon::exp(x)), -5, 5, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::exp(x) + theon::exp(y)), -30, 30, 1e-12));
  EXPECT_TRUE(agrees_after_simplify(x * theon::log(y), 0.1, 10));
  EXPECT_TRUE(agrees_after_simplify(x * theon::log1p(y), 0.1, 10));
  EXPECT_TRUE(agrees_after_simplify(theon::sqrt(theon::square(x) + theon::square(y)), -10, 10));
  EXPECT_TRUE(agrees_after_simplify(theon::log(x + theon::sqrt(theon::square(x) + 1_c)), 0, 10, 1e-12));
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::erfc(x)), -5, 5, 1e-12));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(theon::square(x)) * theon::erfc(x), -5, 5, 1e-12));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(-theon::square(x)) / theon::erfc(x), -5, 5, 1e-12));
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::abs(theon::tgamma(x))), -10, 10, 1e-12));
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::tgamma(theon::exp(x))), -3, 3, 1e-12));
  EXPECT_TRUE(agrees_after_simplify(theon::tgamma(theon::exp(x)) / theon::tgamma(theon::exp(y)), -3, 3, 1e-11));
}

TEST(RewriteSpecial, ExtremeInputsGiveTheExactAnswer) {
  auto at = [](auto e, double u, double v = 0) { return value_at(e, {{"x", u}, {"y", v}}); };
  auto simplified_at = [&](auto e, double u, double v = 0) { return at(theon::simplify(e), u, v); };
  // erf(10) is 1 in double: the naive tails are 0.
  EXPECT_EQ(at(1_c - theon::erf(x), 10), 0.0);
  EXPECT_DOUBLE_EQ(simplified_at(1_c - theon::erf(x), 10), std::erfc(10.0));
  EXPECT_DOUBLE_EQ(simplified_at(1_c + theon::erf(x), -10), std::erfc(10.0));
  EXPECT_DOUBLE_EQ(simplified_at(1_c - theon::erfc(x), 1e-20), 2 / std::sqrt(std::acos(-1.0)) * 1e-20);
  // 1 - e^-50 is 1 in double: log gives 0 instead of -e^-50.
  EXPECT_EQ(at(theon::log(-theon::expm1(x)), -50), 0.0);
  EXPECT_DOUBLE_EQ(simplified_at(theon::log(-theon::expm1(x)), -50), -std::exp(-50.0));
  EXPECT_DOUBLE_EQ(simplified_at(theon::log1p(-theon::exp(x)), -1e-20), std::log(1e-20));
  EXPECT_TRUE(std::isinf(at(theon::log(theon::exp(x) + theon::exp(y)), 1000, 1000)));
  EXPECT_DOUBLE_EQ(simplified_at(theon::log(theon::exp(x) + theon::exp(y)), 1000, 1000), 1000 + std::log(2.0));
  EXPECT_TRUE(std::isnan(at(x * theon::log(y), 0, 0)));
  EXPECT_EQ(simplified_at(x * theon::log(y), 0, 0), 0.0);
  EXPECT_EQ(simplified_at(x * theon::log1p(y), 0, -1), 0.0);
  EXPECT_TRUE(std::isinf(at(theon::sqrt(theon::square(x) + theon::square(y)), 1e200, 1e200)));
  EXPECT_DOUBLE_EQ(simplified_at(theon::sqrt(theon::square(x) + theon::square(y)), 1e200, 1e200), std::sqrt(2.0) * 1e200);
  EXPECT_TRUE(std::isinf(at(theon::log(x + theon::sqrt(theon::square(x) + 1_c)), -1e9)));  // log(0)
  EXPECT_DOUBLE_EQ(simplified_at(theon::log(x + theon::sqrt(theon::square(x) + 1_c)), -1e9), std::asinh(-1e9));
  // erfc(30) underflows to 0 and exp(900) overflows.
  EXPECT_EQ(at(theon::log(theon::erfc(x)), 30), -inf);
  EXPECT_NEAR(simplified_at(theon::log(theon::erfc(x)), 30), -903.97411711064388, 1e-9);  // mpmath: log(erfc(30))
  EXPECT_TRUE(std::isnan(at(theon::exp(theon::square(x)) * theon::erfc(x), 30)));
  EXPECT_NEAR(simplified_at(theon::exp(theon::square(x)) * theon::erfc(x), 30), 0.018795888861416751, 1e-17);
  EXPECT_TRUE(std::isnan(at(theon::exp(-theon::square(x)) / theon::erfc(x), 30)));
  EXPECT_NEAR(simplified_at(theon::exp(-theon::square(x)) / theon::erfc(x), 30), 1 / 0.018795888861416751, 1e-12);
  // Gamma(200) overflows; 200! / 199! is 200 (Gamma(x + 1) = x Gamma(x)).
  EXPECT_EQ(at(theon::log(theon::abs(theon::tgamma(x))), 200), inf);
  EXPECT_NEAR(simplified_at(theon::log(theon::abs(theon::tgamma(x))), 200), std::lgamma(200.0), 1e-12);
  EXPECT_TRUE(std::isnan(at(theon::tgamma(theon::exp(x)) / theon::tgamma(theon::exp(y)), std::log(201.0), std::log(200.0))));
  EXPECT_NEAR(simplified_at(theon::tgamma(theon::exp(x)) / theon::tgamma(theon::exp(y)), std::log(201.0), std::log(200.0)),
              200, 1e-9);
}

}  // namespace
