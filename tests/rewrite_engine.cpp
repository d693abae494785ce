// The rewrite engine with user rules: matching by unification (placeholders,
// literal placeholders, non-linear patterns, either order of + and *),
// guards, composed rule sets, phases, and the shape and dtype of results.
#include "rewrite_support.hpp"

namespace {
using namespace theon::literals;
using theon::_a;
using theon::_b;
using theon::_k1;
using theon::_k2;
using theon::rule;
using theon::rules;
using theon::simplify;
constexpr theon::scalar<"s"> s;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::matrix<"M"> M;

template <class A, class B>
constexpr bool same(A, B) {
  return std::is_same_v<A, B>;
}

// The contract's example: a user rule in the model's own syntax.
constexpr auto log_exp = rules(rule(theon::log(theon::exp(_a)), _a));
static_assert(same(simplify(theon::log(theon::exp(x * y)), log_exp), x * y));
static_assert(same(simplify(theon::sin(theon::log(theon::exp(x))), log_exp), theon::sin(x)));  // below the root too
static_assert(same(simplify(theon::log(theon::exp(theon::log(theon::exp(x)))), log_exp), x));  // to a fixed point

// A placeholder used twice binds one subexpression.
constexpr auto self_difference = rules(rule(_a - _a, theon::broadcast_like(0_c, _a)));
static_assert(same(simplify(theon::sin(x) - theon::sin(x), self_difference), theon::broadcast_like(0_c, theon::sin(x))));
static_assert(same(simplify(theon::sin(x) - theon::cos(x), self_difference), theon::sin(x) - theon::cos(x)));

// Literal placeholders match literals only, and the replacement computes with them exactly.
constexpr auto fold_scalings = rules(rule(_k1 * (_k2 * _a), (_k1 * _k2) * _a));
static_assert(same(simplify(3_c * (0.5_c * x), fold_scalings), 1.5_c * x));
static_assert(same(simplify(y * (2_c * x), fold_scalings), y * (2_c * x)));  // y is not a literal

// Patterns on + and * match either operand order.
constexpr auto plus_one = rules(rule(theon::log(_a + 1_c), theon::log1p(_a)));
static_assert(same(simplify(theon::log(1_c + x), plus_one), theon::log1p(x)));
static_assert(same(simplify(theon::log(x + 1_c), plus_one), theon::log1p(x)));

// Guards: on the sign known of a binding, on literals, on rank.
constexpr auto drop_abs = rules(rule(theon::abs(_a), _a, theon::is_nonnegative(_a)));
static_assert(same(simplify(theon::abs(theon::exp(x)), drop_abs), theon::exp(x)));
static_assert(same(simplify(theon::abs(x), drop_abs), theon::abs(x)));
constexpr auto only_vectors = rules(rule(theon::tanh(_a), theon::sin(_a), theon::has_rank<1>(_a)));
static_assert(same(simplify(theon::tanh(x), only_vectors), theon::sin(x)));
static_assert(same(simplify(theon::tanh(M), only_vectors), theon::tanh(M)));
constexpr auto unless_literal = rules(rule(theon::exp(_a), theon::sin(_a), !theon::is_literal(_a)));
static_assert(same(simplify(theon::exp(2_c) + theon::exp(x), unless_literal), theon::exp(2_c) + theon::sin(x)));
constexpr auto both = rules(rule(_a * _b, _b, theon::is_positive(_a) && theon::has_rank<0>(_a)));
static_assert(same(simplify(theon::exp(s) * x, both), x));
static_assert(same(simplify(theon::exp(x) * x, both), theon::exp(x) * x));
// What guards know follows from each op's facts: squares and even powers are
// never negative, a positive base's power is positive, sums of positives are.
constexpr auto drop_abs_when_positive = rules(rule(theon::abs(_a), _a, theon::is_positive(_a)));
static_assert(same(simplify(theon::abs(theon::pow(theon::exp(x), x)), drop_abs_when_positive), theon::pow(theon::exp(x), x)));
static_assert(same(simplify(theon::abs(theon::exp(x) + theon::square(x)), drop_abs_when_positive), theon::exp(x) + theon::square(x)));
static_assert(same(simplify(theon::abs(theon::square(x)), drop_abs), theon::square(x)));
static_assert(same(simplify(theon::abs(theon::pow(x, 4_c)), drop_abs), theon::pow(x, 4_c)));
static_assert(same(simplify(theon::abs(theon::pow(x, 3_c)), drop_abs), theon::abs(theon::pow(x, 3_c))));
static_assert(same(simplify(theon::abs(theon::exp(x) - 1_c), drop_abs), theon::abs(theon::exp(x) - 1_c)));

// Rule sets compose with +, first rule first; phases run one after another.
constexpr auto to_sin = rules(rule(theon::tanh(_a), theon::sin(_a)));
constexpr auto to_cos = rules(rule(theon::tanh(_a), theon::cos(_a)));
static_assert(same(simplify(theon::tanh(x), to_sin + to_cos), theon::sin(x)));
static_assert(same(simplify(theon::tanh(x), to_cos + to_sin), theon::cos(x)));
constexpr auto sin_to_exp = rules(rule(theon::sin(_a), theon::exp(_a)));
static_assert(same(simplify(theon::tanh(x), to_sin, sin_to_exp), theon::exp(x)));

// A rewrite that would change a node's shape or dtype is refused.
constexpr auto to_scalar = rules(rule(theon::exp(_a), s));
static_assert(same(simplify(theon::exp(x), to_scalar), theon::exp(x)));
static_assert(same(simplify(theon::exp(2_c * s), to_scalar), s));
constexpr theon::vector<"f", float> f;
constexpr auto to_double = rules(rule(theon::exp(_a), theon::exp(theon::cast<double>(_a))));
static_assert(same(simplify(theon::exp(f), to_double), theon::exp(f)));

// A rule that flattens a chain (collect_terms: a sum) runs at its outermost
// node only, once; the other rules still see each partial sum inside it (here
// sin^2 + cos^2), and what they make is collected with the rest.
constexpr auto pythagoras = rules(
    rule(theon::square(theon::sin(_a)) + theon::square(theon::cos(_a)), theon::broadcast_like(1_c, _a)),
    theon::collect_terms{});
static_assert(same(simplify(theon::square(theon::sin(x)) + theon::square(theon::cos(x)) + y + x, pythagoras),
                   x + y + theon::broadcast_like(1_c, x)));
static_assert(same(simplify(y + x + y, pythagoras), x + 2_c * y));

// Default phases keep the contract's example.
static_assert(same(simplify(theon::log(theon::exp(x))), x));

TEST(RewriteEngine, PatternsPrintWithTheirPlaceholders) {
  EXPECT_EQ(theon::to_string(theon::log(theon::exp(_a)) + _k1 * _b), "log(exp(_a)) + _1 * _b");
}

TEST(RewriteEngine, UserRulesKeepValues) {
  const xt::xtensor<double, 1> xs = {0.5, 1, 2}, ys = {1, -2, 3};
  constexpr auto e = 3_c * (0.5_c * x) + theon::log(theon::exp(y));
  const xt::xtensor<double, 1> r = theon::function(simplify(e, fold_scalings + log_exp))(x = xs, y = ys);
  const xt::xtensor<double, 1> expected = {1.75, -0.5, 6.0};
  EXPECT_EQ(r, expected);
}

}  // namespace
