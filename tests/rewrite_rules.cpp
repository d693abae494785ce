// The default rules one by one: each rewrite happens (static_assert on the
// resulting type) and keeps the values on its domain (random points).
#include "rewrite_support.hpp"

namespace {
using namespace theon::literals;
using theon::simplify;
using rewrite_test::agrees_after_simplify;
using rewrite_test::rewrites_to;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"z"> z;
constexpr auto nan_value = 0_c / 0_c;  // how rules write NaN: never folded

// ---- inverse pairs --------------------------------------------------------------
static_assert(rewrites_to(theon::log(theon::exp(x)), x));
static_assert(rewrites_to(theon::exp(theon::log(x)), theon::where(x >= 0_c, x, nan_value)));
static_assert(rewrites_to(theon::log1p(theon::expm1(x)), x));
static_assert(rewrites_to(theon::expm1(theon::log1p(x)), theon::where(x >= -1_c, x, nan_value)));
static_assert(rewrites_to(theon::pow(theon::sqrt(x), 2_c), theon::where(x >= 0_c, x, nan_value)));
static_assert(rewrites_to(theon::sqrt(x * x), theon::abs(x)));
static_assert(rewrites_to(theon::log(theon::sqrt(x)), 0.5_c * theon::log(x)));
static_assert(rewrites_to(theon::log(theon::pow(theon::exp(x), 3_c)), 3_c * x));
static_assert(rewrites_to(theon::pow(theon::pow(x, 2_c), 3_c), x * x * x * (x * x * x)));  // x^6 = (x^3)^2
static_assert(rewrites_to(theon::exp(x) * theon::exp(y), theon::exp(x + y)));
static_assert(rewrites_to(theon::exp(x) / theon::exp(y), theon::exp(x - y)));
static_assert(rewrites_to(theon::pow(x, 1_c), x));
static_assert(rewrites_to(theon::pow(x, 0_c), theon::broadcast_like(1_c, x)));

TEST(RewriteRules, InversePairsKeepValuesOnTheirDomain) {
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::exp(x)), -50, 50));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(theon::log(x)), -5, 5));  // NaN for x < 0 on both sides
  EXPECT_TRUE(agrees_after_simplify(theon::log1p(theon::expm1(x)), -20, 20, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(theon::expm1(theon::log1p(x)), -3, 3, 1e-9));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(theon::sqrt(x), 2_c), -4, 4));
  EXPECT_TRUE(agrees_after_simplify(theon::sqrt(x * x), -4, 4));
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::sqrt(x)), -4, 4));
  EXPECT_TRUE(agrees_after_simplify(theon::log(theon::pow(theon::exp(x), 3_c)), -4, 4));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(theon::pow(x, 2_c), 3_c), -2, 2));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(x) * theon::exp(y), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::exp(x) / theon::exp(y), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, 1_c), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, 0_c), -5, 5));
  // The guarded forms: NaN outside the domain, exactly as the original.
  const auto [before, after] = rewrite_test::both_at(theon::exp(theon::log(x)), {{"x", -1.0}});
  EXPECT_TRUE(std::isnan(before) && std::isnan(after));
  EXPECT_EQ(rewrite_test::both_at(theon::exp(theon::log(x)), {{"x", 0.0}}).second, 0.0);
}

// log a^k = k log a only for a known positive: an even power of a variable is not.
static_assert(rewrites_to(theon::log(theon::pow(x, 2_c)), theon::log(x * x)));

// ---- signs and symmetry ------------------------------------------------------------
static_assert(rewrites_to(theon::abs(-x), theon::abs(x)));
static_assert(rewrites_to(theon::abs(theon::abs(x)), theon::abs(x)));
static_assert(rewrites_to(theon::abs(theon::exp(x)), theon::exp(x)));
static_assert(rewrites_to(theon::pow(theon::abs(x), 2_c), x * x));
static_assert(rewrites_to(theon::sign(-x), -theon::sign(x)));
static_assert(rewrites_to(theon::sin(-x), -theon::sin(x)));
static_assert(rewrites_to(theon::tan(-x), -theon::tan(x)));
static_assert(rewrites_to(theon::tanh(-x), -theon::tanh(x)));
static_assert(rewrites_to(theon::cos(-x), theon::cos(x)));
static_assert(rewrites_to(theon::maximum(x, x), x));
static_assert(rewrites_to(theon::minimum(x, x), x));
static_assert(rewrites_to(theon::where(y > 0_c, x, x), x));
// where(c, x, x) would lose c's shape if c were larger: the engine refuses such a rewrite.
constexpr theon::matrix<"M"> M;
static_assert(rewrites_to(theon::where(M > 0_c, x, x), theon::where(M > 0_c, x, x)));

TEST(RewriteRules, SymmetriesKeepValues) {
  EXPECT_TRUE(agrees_after_simplify(theon::abs(-x), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::abs(theon::abs(x)), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::abs(theon::exp(x)), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(theon::abs(x), 2_c), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::sign(-x), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::sin(-x), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::tan(-x), -1.5, 1.5));
  EXPECT_TRUE(agrees_after_simplify(theon::tanh(-x), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::cos(-x), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::maximum(x, x), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::minimum(x, x), -5, 5));
  EXPECT_TRUE(agrees_after_simplify(theon::where(y > 0_c, x, x), -5, 5));
}

// ---- functions at exact literals -----------------------------------------------------
static_assert(rewrites_to(theon::exp(0_c), 1_c));
static_assert(rewrites_to(theon::log(1_c), 0_c));
static_assert(rewrites_to(theon::log1p(0_c), 0_c));
static_assert(rewrites_to(theon::expm1(0_c), 0_c));
static_assert(rewrites_to(theon::sqrt(0_c), 0_c));
static_assert(rewrites_to(theon::sqrt(1_c), 1_c));
static_assert(rewrites_to(theon::sin(0_c), 0_c));
static_assert(rewrites_to(theon::cos(0_c), 1_c));
static_assert(rewrites_to(theon::tanh(0_c), 0_c));
static_assert(rewrites_to(theon::sigmoid(0_c), 0.5_c));
static_assert(rewrites_to(theon::pow(2_c, 10_c), 1024_c));
static_assert(rewrites_to(theon::pow(2_c, -2_c), 0.25_c));
static_assert(rewrites_to(x * theon::exp(0_c) + theon::log(1_c), x));

TEST(RewriteRules, LiteralValuesAreExact) {
  using rewrite_test::value_at;
  EXPECT_EQ(value_at(theon::sigmoid(0_c), {}), 0.5);
  EXPECT_EQ(value_at(theon::cos(0_c), {}), 1.0);
  EXPECT_EQ(value_at(theon::pow(2_c, -2_c), {}), 0.25);
  EXPECT_TRUE(agrees_after_simplify(x * theon::exp(0_c) + theon::log(1_c), -5, 5));
}

// ---- specialize ----------------------------------------------------------------------
static_assert(rewrites_to(theon::pow(x, 0.5_c), theon::sqrt(x)));
static_assert(rewrites_to(theon::pow(x, -0.5_c), 1_c / theon::sqrt(x)));
static_assert(rewrites_to(theon::pow(x, 1.5_c), x * theon::sqrt(x)));
static_assert(rewrites_to(theon::pow(x, 2_c), x * x));
static_assert(rewrites_to(theon::square(x), x * x));
static_assert(rewrites_to(theon::pow(x, 5_c), x * x * (x * x) * x));
static_assert(rewrites_to(theon::pow(x, -1_c), 1_c / x));
static_assert(rewrites_to(theon::pow(x, -3_c), 1_c / (x * x * x)));
static_assert(rewrites_to(theon::pow(x, 17_c), theon::pow(x, 17_c)));  // beyond 16: pow stays
static_assert(rewrites_to(x / 4_c, 0.25_c * x));                        // exact reciprocal
static_assert(rewrites_to(x / 3_c, theon::lit<1, 3>{} * x));
constexpr theon::scalar<"s"> s;
constexpr theon::scalar<"t"> t;
static_assert(rewrites_to(x / s, x * (1_c / s)));                      // a number's reciprocal, once per call
static_assert(rewrites_to(s / t, s / t));                              // number by number: one division already
static_assert(rewrites_to(x / y, x / y));                              // array by array: no saving

TEST(RewriteRules, SpecialisedPowersKeepValues) {
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, 0.5_c), -4, 4));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, -0.5_c), -4, 4));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, 1.5_c), -4, 4));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, 5_c), -3, 3));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, -3_c), 0.1, 3));
  EXPECT_TRUE(agrees_after_simplify(theon::pow(x, 16_c), -1.5, 1.5));
  EXPECT_TRUE(agrees_after_simplify(x / 3_c, -3, 3));
}

// The normal log likelihood as a user writes it (issue B4): the loop over x
// multiplies by 1 / sigma, computed once, and divides nothing per element.
TEST(RewriteRules, ALoopDividesByNoNumber) {
  constexpr theon::scalar<"mu"> mu;
  constexpr theon::scalar<"sigma"> sigma;
  constexpr auto log_likelihood = theon::sum(-0.5_c * theon::square((x - mu) / sigma) - theon::log(sigma));
  constexpr auto gradient = theon::grad(log_likelihood, mu, sigma);
  const auto plan = theon::function(log_likelihood, theon::get<0>(gradient), theon::get<1>(gradient)).plan();
  // A node divides where its text has a '/' outside parentheses: "a / b", not "a * (1 / b)".
  auto divides = [](const std::string& node) {
    int depth = 0;
    for (const char c : node) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == '/' && depth == 0) return true;
    }
    return false;
  };
  std::size_t loops_over_x = 0;
  for (const auto& step : plan.steps)
    for (const auto& read : step.reads)
      if (read == "x") {
        ++loops_over_x;
        for (const auto& fused : step.fused) EXPECT_FALSE(divides(fused)) << fused << '\n' << plan.to_string();
      }
  EXPECT_EQ(loops_over_x, 1u) << plan.to_string();
  // The values, against the textbook sums.
  const xt::xtensor<double, 1> xs{0.5, -1.25, 2.0, 3.5};
  const double m = 0.75, sd = 1.6;
  const auto [value, dmu, dsigma] =
      theon::function(log_likelihood, theon::get<0>(gradient), theon::get<1>(gradient))(x = xs, mu = m, sigma = sd);
  double want = 0, want_dmu = 0, want_dsigma = 0;
  for (const double v : xs) {
    want += -0.5 * (v - m) * (v - m) / (sd * sd) - std::log(sd);
    want_dmu += (v - m) / (sd * sd);
    want_dsigma += (v - m) * (v - m) / (sd * sd * sd) - 1 / sd;
  }
  EXPECT_NEAR(value, want, 1e-14 * std::abs(want));
  EXPECT_NEAR(dmu, want_dmu, 1e-14 * std::abs(want_dmu));
  EXPECT_NEAR(dsigma, want_dsigma, 1e-14 * std::abs(want_dsigma));
}

}  // namespace

namespace {
// The catalog in docs/rewrites.md lists every default rule: keep the count in step.
template <class... Rules>
constexpr std::size_t rule_count(theon::rule_set<Rules...>) {
  return sizeof...(Rules);
}
static_assert(rule_count(theon::phases::canonicalize) == 53);
static_assert(rule_count(theon::phases::stability_rules) == 20);
static_assert(rule_count(theon::phases::special_function_rules) == 17);
static_assert(rule_count(theon::phases::specialize) == 5);
static_assert(rule_count(theon::phases::fuse_gemm) == 1);
}  // namespace
