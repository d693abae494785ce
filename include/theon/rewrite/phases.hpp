#pragma once
// The default rewrite phases, after Theano's optimiser: canonicalize (one
// form for equal graphs), stabilize (numerically safe forms), specialize
// (cheaper forms for the machine). simplify(e) runs the three in order.
//
// Each rule says why it holds and where. "NaN kept" means the rewrite gives
// NaN wherever the original does; rules that need a sign or a nonzero value
// carry a guard on it. Exact means equal in real arithmetic; floating-point
// results may differ in the last bits, as with any reassociation.
#include "theon/rewrite/canonical.hpp"
#include "theon/rewrite/engine.hpp"
#include "theon/rewrite/structural.hpp"
#include "theon/ops/special.hpp"

namespace theon {

namespace detail {
using namespace literals;
// NaN as an expression: 0/0 is never folded, and computes to NaN in any floating dtype.
inline constexpr auto not_a_number = node<div_op, lit<0>, lit<0>>{};
}  // namespace detail

namespace phases {

using namespace literals;  // 2_c in the rules below

// Inverse pairs and identities, each valid on the whole domain unless guarded.
inline constexpr auto inverse_rules = rules(
    rule(log(exp(_a)), _a),                                                // log e^a = a for every real a
    rule(exp(log(_a)), where(_a >= 0_c, _a, detail::not_a_number)),       // e^log a = a for a >= 0 (e^-inf = 0), NaN below: NaN kept
    rule(log1p(expm1(_a)), _a),                                            // log(1 + (e^a - 1)) = a for every real a
    rule(expm1(log1p(_a)), where(_a >= -1_c, _a, detail::not_a_number)),   // defined for a >= -1 only: NaN kept
    rule(pow(sqrt(_a), 2_c), where(_a >= 0_c, _a, detail::not_a_number)),  // (sqrt a)^2 = a for a >= 0: NaN kept
    rule(sqrt(pow(_a, 2_c)), abs(_a)),                                     // sqrt(a^2) = |a| for every real a
    rule(log(sqrt(_a)), 0.5_c * log(_a)),                                    // both NaN for a < 0, -inf at 0
    rule(log(pow(_a, _k1)), _k1 * log(_a), is_positive(_a)),               // log a^k = k log a needs a > 0
    rule(pow(pow(_a, _k1), _k2), pow(_a, _k1 * _k2),                       // (a^j)^k = a^(jk) for integers j, k
         is_integer_literal(_k1) && is_integer_literal(_k2)),
    rule(pow(exp(_a), _k1), exp(_k1 * _a)),                                // (e^a)^k = e^(ka): one exp
    rule(exp(_a) * exp(_b), exp(_a + _b)),                                 // e^a e^b = e^(a+b): one exp
    rule(exp(_a) / exp(_b), exp(_a - _b)),                                 // e^a / e^b = e^(a-b): one exp
    rule(pow(_a, 1_c), _a),                                                // a^1 = a
    rule(pow(_a, 0_c), broadcast_like(1_c, _a)),                           // a^0 = 1, even for 0 and NaN (C's pow)
    rule(abs(-_a), abs(_a)),                                               // |-a| = |a|
    rule(abs(abs(_a)), abs(_a)),                                           // idempotent
    rule(abs(_a), _a, is_nonnegative(_a)),                                 // |a| = a for a >= 0
    rule(pow(abs(_a), 2_c), pow(_a, 2_c)),                                 // |a|^2 = a^2
    rule(sign(-_a), -sign(_a)),                                            // sign is odd
    rule(sin(-_a), -sin(_a)),                                              // sin is odd
    rule(tan(-_a), -tan(_a)),                                              // tan is odd
    rule(tanh(-_a), -tanh(_a)),                                            // tanh is odd
    rule(cos(-_a), cos(_a)),                                               // cos is even
    rule(maximum(_a, _a), _a),                                             // max(a, a) = a (NaN kept)
    rule(minimum(_a, _a), _a),                                             // min(a, a) = a (NaN kept)
    rule(where(_c, _a, _a), _a));                                          // both branches equal

// Functions at the literals where their value is exact.
inline constexpr auto literal_value_rules = rules(
    rule(exp(0_c), 1_c),       // e^0 = 1
    rule(log(1_c), 0_c),       // log 1 = 0
    rule(log1p(0_c), 0_c),     // log(1 + 0) = 0
    rule(expm1(0_c), 0_c),     // e^0 - 1 = 0
    rule(sqrt(0_c), 0_c),      // sqrt 0 = 0
    rule(sqrt(1_c), 1_c),      // sqrt 1 = 1
    rule(sin(0_c), 0_c),       // sin 0 = 0
    rule(cos(0_c), 1_c),       // cos 0 = 1
    rule(tanh(0_c), 0_c),      // tanh 0 = 0
    rule(sigmoid(0_c), 0.5_c));      // 1 / (1 + e^0) = 1/2

inline constexpr auto structural_canonical_rules =
    rules(fold_constants{}, cast_to_same_dtype{}, static_shape_check{}, function_of_repeated_constant{},
          simpler_shape_operand{}, repeated_constant_operand{}, merge_nested_sums{}, scalar_out_of_sum{},
          scalar_term_out_of_sum{}, sum_of_repeated_scalar{}, negation_out_of_reduction{}, monotone_out_of_selection{},
          trivial_reduction{},
          transpose_of_transpose{}, transpose_of_product{});

// Phase 1: one form for equal graphs. Sums and products come last so the
// patterns above see binary nodes before they are merged.
inline constexpr auto canonicalize =
    inverse_rules + literal_value_rules + structural_canonical_rules + rules(collect_terms{}, collect_factors{});

// Phase 2: forms that neither overflow nor lose digits where the original does.
inline constexpr auto stability_rules = rules(
    log_sum_exp{},                                       // log(sum(exp x)) overflows for x > 709; logsumexp does not
    log_of_softmax{},                                    // log(softmax x) is -inf where softmax underflows
    rule(log(1_c + exp(_a)), softplus(_a)),              // log(1 + e^a) overflows for a > 709; softplus does not
    rule(log1p(exp(_a)), softplus(_a)),                  // the same after log(1 + x) -> log1p(x)
    rule(log(1_c + _a), log1p(_a)),                      // 1 + a rounds away a's digits for |a| < 1e-16
    rule(exp(_a) - 1_c, expm1(_a)),                      // e^a - 1 cancels for small a
    rule(log(sigmoid(_a)), -softplus(-_a)),              // log(sigmoid(-1000)) is -inf; -softplus(1000) = -1000
    rule(log(1_c - sigmoid(_a)), -softplus(_a)),         // 1 - sigmoid(a) rounds to 0 for a > 37
    rule(log1p(-sigmoid(_a)), -softplus(_a)),            // the same after log(1 + x) -> log1p(x)
    rule(1_c - sigmoid(_a), sigmoid(-_a)),               // no cancellation near 1
    rule(exp(_a) / (1_c + exp(_a)), sigmoid(_a)),        // inf / inf for a > 709
    rule(1_c / (1_c + exp(-_a)), sigmoid(_a)),           // the logistic function by name
    rule(softplus(_a) - softplus(-_a), _a),              // log(1 + e^a) - log(1 + e^-a) = a
    // The sigmoid family's reciprocals, products and quotients, each one op
    // where the form on the left takes two or three and may give inf / inf or 0 * inf.
    rule(1_c / exp(_a), exp(-_a)),                       // one exp, no division
    rule(1_c / (1_c + exp(_a)), sigmoid(-_a)),           // 1 / (1 + e^a) = sigmoid(-a)
    rule(sigmoid(_a) * exp(-_a), sigmoid(-_a)),          // e^-a / (1 + e^-a): 0 * inf below a = -745
    rule(sigmoid(_a) / exp(_a), sigmoid(-_a)),           // 1 / (e^a + 1): 0 / 0 below a = -745
    rule(exp(_a) * sigmoid(-_a), sigmoid(_a)),           // e^a / (1 + e^a): inf * 0 above a = 709
    rule(sigmoid(_a) / sigmoid(-_a), exp(_a)),           // the odds: 1 / 0 above a = 745 where e^a is inf anyway
    rule(softplus(_a) - _a, softplus(-_a)));             // log(1 + e^a) - a cancels for large a

// The special functions' forms (ops/special.hpp): each form on the left loses
// digits, overflows or gives NaN where the one on the right does not.
inline constexpr auto special_function_rules = rules(
    rule(1_c - erf(_a), erfc(_a)),                             // erf(a) rounds to 1 for a > 6: 1 - erf(a) is 0, erfc(a) is not
    rule(1_c + erf(_a), erfc(-_a)),                            // the normal CDF's lower tail: 1 + erf(a) is 0 for a < -6
    rule(1_c - erfc(_a), erf(_a)),                             // erfc(a) is near 1 for small a: 1 - erfc(a) cancels
    rule(log(1_c - exp(_a)), log1mexp(_a)),                    // 1 - e^a cancels near 0, and is 1 below -37
    rule(log(-expm1(_a)), log1mexp(_a)),                       // -expm1(a) rounds to 1 below -37: the log is 0, not e^a
    rule(log1p(-exp(_a)), log1mexp(_a)),                       // log1p(-e^a) cancels for a near 0
    rule(log(exp(_a) + exp(_b)), logaddexp(_a, _b)),           // e^a overflows for a > 709
    rule(_a * log(_b), xlogy(_a, _b), !is_literal(_a)),        // 0 log 0 is NaN; its limit (entropies, likelihoods) is 0
    rule(_a * log1p(_b), xlog1py(_a, _b), !is_literal(_a)),    // 0 log1p(-1) is NaN; its limit is 0
    rule(sqrt(pow(_a, 2_c) + pow(_b, 2_c)), hypot(_a, _b)),    // a^2 overflows above 1.3e154 and underflows below 1.5e-154
    rule(log(_a + sqrt(pow(_a, 2_c) + 1_c)), asinh(_a)),       // cancels for a < 0: at -1e8 it is log(0)
    // erfc underflows above 26.5, where log(erfc(a)) is -inf; log(erfc(a)) = log(2 Phi(-sqrt(2) a))
    rule(log(erfc(_a)), constants::ln2{} + log_ndtr(-(constants::sqrt2{} * _a))),
    rule(erfc(_a) * exp(pow(_a, 2_c)), erfcx(_a)),             // exp(a^2) overflows above 26.6: inf * 0
    rule(exp(-pow(_a, 2_c)) / erfc(_a), 1_c / erfcx(_a)),      // the gradient of log(erfc(a)): 0 / 0 above 26.6
    rule(log(abs(tgamma(_a))), lgamma(_a)),                    // Gamma overflows above 171.6, its log does not
    rule(log(tgamma(_a)), lgamma(_a), is_positive(_a)),        // the same where Gamma(a) > 0 (log of Gamma < 0 is NaN)
    // a ratio of Gammas (binomial coefficients, Beta functions) in log space: inf / inf above 171.6
    rule(tgamma(_a) / tgamma(_b), exp(lgamma(_a) - lgamma(_b)), is_positive(_a) && is_positive(_b)));

// Canonical rules run here too, to tidy what the stability rules create.
inline constexpr auto stabilize = stability_rules + special_function_rules + canonicalize;

// Phase 3: cheaper operations for the same values. Not combined with
// canonicalize, which would turn x * x back into pow(x, 2).
inline constexpr auto specialize = rules(
    rule(pow(_a, 0.5_c), sqrt(_a)),                       // a^(1/2) = sqrt a, NaN for a < 0 in both
    rule(pow(_a, -0.5_c), 1_c / sqrt(_a)),                // a^(-1/2) = 1 / sqrt a
    rule(pow(_a, 1.5_c), _a * sqrt(_a)),                  // a^(3/2) = a sqrt a (NaN for a < 0 in both)
    // A division of an array by a number: one reciprocal, computed once per
    // call, then a product per element (a division costs several). Rounds
    // twice where a / b rounds once: within an ulp of it.
    rule(_a / _b, _a * (1_c / _b), has_rank<0>(_b) && !has_rank<0>(_a) && !is_literal(_b)),
    power_by_squaring{});

// Opt-in: alpha * matmul(A, B) + beta * C as one gemm node. Not in the
// default phases: rewriting a sum locally cannot see that the product is also
// used elsewhere (a gradient reads matmul(h, W) again), and there the gemm
// would compute it a second time. Add it where the product is used once:
// simplify(e, phases::canonicalize, phases::stabilize, phases::specialize + phases::fuse_gemm).
inline constexpr auto fuse_gemm = rules(fused_gemm{});

// Opt-in: cancellations that hold only where a factor is nonzero. x / x -> 1,
// (x y) / x -> y and (a / b) (b / c) -> a / c give 1, y and a / c where the
// original is NaN (0 / 0) or inf / inf: use them where the cancelled factors
// are never 0 (a scale, a variance, a rate) or where the limit is what is
// meant. Run before the phases that would keep such factors apart:
// simplify(e, phases::nonzero_cancellations + phases::canonicalize,
//          phases::nonzero_cancellations + phases::stabilize, phases::specialize),
// which is what theon::simplify_assuming_nonzero(e) and
// theon::function(theon::assume_nonzero, outs...) do.
inline constexpr auto nonzero_cancellations = rules(collect_factors_assuming_nonzero{});

}  // namespace phases

template <expression E>
constexpr auto simplify(E e) {
  return simplify(e, phases::canonicalize, phases::stabilize, phases::specialize);
}
// simplify with factors cancelled whether or not they are known to be nonzero (phases::nonzero_cancellations).
template <expression E>
constexpr auto simplify_assuming_nonzero(E e) {
  return simplify(e, phases::nonzero_cancellations + phases::canonicalize, phases::nonzero_cancellations + phases::stabilize,
                  phases::specialize);
}

// Es simplified together with the default phases, as a type_list: simplify
// of each, where what they share stays shared.
template <class... Es>
using simplified_together_t = typename simplified_in_phases<type_list<Es...>, std::remove_cvref_t<decltype(phases::canonicalize)>,
                                                            std::remove_cvref_t<decltype(phases::stabilize)>,
                                                            std::remove_cvref_t<decltype(phases::specialize)>>::type;
// The same as a class whose type member names it: only naming ::type simplifies.
template <class... Es>
struct simplified_together {
  using type = simplified_together_t<Es...>;
};
// simplified_together with phases::nonzero_cancellations.
template <class... Es>
struct simplified_together_assuming_nonzero {
  using type = typename simplified_in_phases<
      type_list<Es...>, std::remove_cvref_t<decltype(phases::nonzero_cancellations + phases::canonicalize)>,
      std::remove_cvref_t<decltype(phases::nonzero_cancellations + phases::stabilize)>,
      std::remove_cvref_t<decltype(phases::specialize)>>::type;
};

}  // namespace theon
