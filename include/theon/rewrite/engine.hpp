#pragma once
// The rewrite engine: rules, rule sets, and simplify.
//
// simplify rewrites children first, then tries the rules at the node in order;
// when one applies, the nodes its result creates are settled the same way
// (the parts it kept from the match are fixed points already). Each
// (expression, rule set) is simplified once per program: the result is a
// class template's member, memoised by the compiler. A rewrite is taken only
// if it keeps the node's static shape and dtype.
#include <algorithm>
#include <array>
#include <cstddef>
#include <tuple>
#include <type_traits>

#include "theon/core/graph_walk.hpp"
#include "theon/rewrite/pattern.hpp"

namespace theon {

// rule(pattern, replacement[, guard]): where pattern matches and guard holds,
// the node becomes replacement with the placeholders' bindings filled in.
template <class Pattern, class Replacement, class Guard>
struct pattern_rule {
  static_assert(is_node_v<Pattern> && !is_placeholder_v<Pattern>,
                "theon::rule: a pattern is an operation on placeholders (a bare placeholder would match every node)");

  template <class E>
  static constexpr auto apply(E) {
    if constexpr (!matching::operands_fit<Pattern, E>::value) {
      return no_match{};
    } else {
      using found = typename matching::match<Pattern, E, matching::bindings<>>::type;
      if constexpr (same_type<found, no_match>) return no_match{};
      else if constexpr (!Guard::template holds<found>) return no_match{};
      else return typename matching::substitute<Replacement, found>::type{};
    }
  }
};

template <expression Pattern, expression Replacement, class Guard = no_guard>
  requires std::derived_from<Guard, guard_base>
constexpr pattern_rule<Pattern, Replacement, Guard> rule(Pattern, Replacement, Guard = {}) {
  return {};
}

// A rule set: its rules are tried in order and the first that applies wins.
// A rule is any type with `static constexpr auto apply(E)` that returns
// no_match or the rewritten expression (held<T> marking parts kept as they are).
template <class... Rules>
struct rule_set {};

template <class... Rules>
constexpr rule_set<Rules...> rules(Rules...) { return {}; }

template <class... R1, class... R2>
constexpr rule_set<R1..., R2...> operator+(rule_set<R1...>, rule_set<R2...>) { return {}; }

// A rewrite may not change what the node is: its static shape and its dtype
// (any two literal dtypes count as the same).
template <class E, class R>
concept keeps_type_v =
    same_type<static_shape_t<E>, static_shape_t<R>> &&
    (same_type<dtype_t<E>, dtype_t<R>> || (literal_dtype<dtype_t<E>> && literal_dtype<dtype_t<R>>));

// A rule that folds nested nodes of some ops into one list (collect_terms: the
// terms of a sum through + - and unary minus) says which:
//   template <class Op> static constexpr bool flattens = ...;
// At the outermost node of such a chain it sees every node inside, so inside
// the chain it need not run: a sum of n terms is collected once, not once per
// partial sum (n times, each of up to n terms). The other rules still run there.
template <class Rule, class Op>
constexpr bool flattens_v() {
  if constexpr (requires { Rule::template flattens<Op>; }) return Rule::template flattens<Op>;
  else return false;
}

// The rules of Rules that flatten Op.
template <class Rules, class Op>
struct flattening;
template <class... R, class Op>
struct flattening<rule_set<R...>, Op> {
  using type = decltype((rule_set<>{} + ... + std::conditional_t<flattens_v<R, Op>(), rule_set<R>, rule_set<>>{}));
};

template <class Rule, class Rules>
inline constexpr bool in_set_v = false;
template <class Rule, class... R>
inline constexpr bool in_set_v<Rule, rule_set<R...>> = (same_type<Rule, R> || ...);

// Rules without those in Skipped.
template <class Rules, class Skipped>
struct without;
template <class... R, class Skipped>
struct without<rule_set<R...>, Skipped> {
  using type = decltype((rule_set<>{} + ... + std::conditional_t<in_set_v<R, Skipped>, rule_set<>, rule_set<R>>{}));
};

// Whether Rule may rewrite a node of Op: a pattern only where its root op is
// Op, any other rule anywhere.
template <class Rule, class Op>
inline constexpr bool may_rewrite_v = true;
template <class Pattern, class Replacement, class Guard, class Op>
inline constexpr bool may_rewrite_v<pattern_rule<Pattern, Replacement, Guard>, Op> = same_type<node_op_t<Pattern>, Op>;

// The rules of a set that may rewrite a node of Op, chosen once per set and op:
// a node then tries only those (a sum meets no pattern of log or exp).
template <class Rules, class Op>
struct rules_for;
template <class... R, class Op>
struct rules_for<rule_set<R...>, Op> {
  using type = decltype((rule_set<>{} + ... + std::conditional_t<may_rewrite_v<R, Op>, rule_set<R>, rule_set<>>{}));
};

// What a rule sees of node E. Structural rules see the sums and products
// kept whole as marked, and keep the marks in what they return. A pattern
// sees through them: log(1 + exp(a)) -> softplus(a) for any 1 + exp(a).
template <class Rule, class E>
struct rule_input {
  using type = E;
};
template <class Pattern, class Replacement, class Guard, class E>
struct rule_input<pattern_rule<Pattern, Replacement, Guard>, E> {
  using type = unmarked_t<E>;
};

// Whether a rule's result R is taken for E.
template <class E, class R>
concept taken_v = !std::is_same<R, no_match>::value && keeps_type_v<E, R>;

// What the first rule of Rules, from the I-th on, that applies to E and keeps
// its type rewrites E to, or no_match.
template <class E, class Rules, std::size_t I = 0>
struct first_rewrite {
  using type = no_match;
};
template <class E, class... Rules, std::size_t I>
  requires(I < sizeof...(Rules))
struct first_rewrite<E, rule_set<Rules...>, I> {
  using rule = std::tuple_element_t<I, std::tuple<Rules...>>;
  using result = decltype(rule::apply(typename rule_input<rule, E>::type{}));
  using type = typename std::conditional_t<taken_v<E, result>, std::type_identity<result>,
                                           first_rewrite<E, rule_set<Rules...>, I + 1>>::type;
};

// Rewrites at one node before the engine gives up on a rule set that loops.
inline constexpr std::size_t rewrite_step_limit = 64;

template <class E, class Rules, std::size_t Step, class Skipped = rule_set<>>
struct settle;

// A rule's result with its new nodes settled (held parts are taken as they are).
template <class R, class Rules, std::size_t Step>
struct instantiate {
  using type = R;
};
template <class T, class Rules, std::size_t Step>
struct instantiate<held<T>, Rules, Step> {
  using type = T;
};
template <class Op, class... Args, class Rules, std::size_t Step>
  requires(sizeof...(Args) > 0)
struct instantiate<node<Op, Args...>, Rules, Step> {
  using type = typename settle<decltype(build_node<Op, typename instantiate<Args, Rules, Step>::type...>()), Rules,
                               Step>::type;
};

template <class E, class R, class Rules, std::size_t Step>
struct settle_result {
  using type = typename instantiate<R, Rules, Step + 1>::type;
};
template <class E, class Rules, std::size_t Step>
struct settle_result<E, no_match, Rules, Step> {
  using type = E;
};

// E with simplified children, rewritten at its root until no rule applies
// (but those in Skipped: they run at an enclosing node). What a rule creates
// is settled with every rule.
template <class E, class Rules, std::size_t Step, class Skipped>
struct settle {
  using tried = typename rules_for<typename without<Rules, Skipped>::type, node_op_t<E>>::type;
  using type = typename settle_result<E, typename first_rewrite<E, tried>::type, Rules, Step>::type;
};
template <class E, class Rules, class Skipped>
struct settle<E, Rules, rewrite_step_limit, Skipped> {
  static_assert(dependent_false<E>::value,
                "theon::simplify: the rule set did not reach a fixed point (64 rewrites at one node); two of its "
                "rules undo each other or one keeps growing its own pattern: see rule_set<...> in the "
                "instantiation below");
  using type = E;
};

// The sums and products kept whole in a graph of unique nodes Nodes, whose
// roots (the expressions being simplified) are the last Roots of a sweep:
// those that more than one node uses (or a node and a root), and that would
// spread into more than kept_whole_above terms or factors. Each is collected
// once, at itself, and is one term or factor of its users: flattened into
// every user, a shared step of a chain would be spelled again in each, and
// the graph would grow with its paths. Smaller ones are flattened, where
// like terms and factors may still cancel.
inline constexpr std::size_t kept_whole_above = 8;

template <class Nodes, class Roots>
struct kept_whole_nodes;
template <class... N, class... Roots>
struct kept_whole_nodes<type_list<N...>, type_list<Roots...>> {
  static constexpr std::size_t size = sizeof...(N);
  using nodes = type_list<N...>;
  static constexpr std::array<bool, size> flags = [] {
    constexpr bool sum_family[] = {is_op_v<N, add_op> || is_op_v<N, sub_op> || is_op_v<N, neg_op>..., false};
    constexpr bool product_family[] = {is_op_v<N, mul_op> || is_op_v<N, div_op> || is_op_v<N, neg_op>..., false};
    const std::array<std::size_t, max_arity> operands[] = {as_array(typename operand_positions<N, nodes>::type{})..., {}};
    std::array<std::size_t, size> users{}, terms{}, factors{};
    for (std::size_t r : {index_of<Roots, nodes>::value...})
      if (r < size) ++users[r];
    for (std::size_t i = 0; i < size; ++i) {
      // The terms (factors) node i spreads into where a user flattens it.
      const auto items = [&](const bool* family, const std::array<std::size_t, size>& count) {
        if (!family[i]) return std::size_t{1};
        std::size_t n = 0;
        for (std::size_t c : operands[i])
          if (c != no_node) n += family[c] ? count[c] : 1;
        return std::min<std::size_t>(n, std::size_t{1} << 20);  // saturated: a DAG can double it per level
      };
      terms[i] = items(sum_family, terms);
      factors[i] = items(product_family, factors);
      for (std::size_t k = 0; k < max_arity; ++k) {
        bool again = false;  // x * x is one user of x
        for (std::size_t j = 0; j < k; ++j) again = again || operands[i][j] == operands[i][k];
        if (operands[i][k] != no_node && !again) ++users[operands[i][k]];
      }
    }
    std::array<bool, size> out{};
    for (std::size_t i = 0; i < size; ++i)
      out[i] = users[i] > 1 && ((sum_family[i] && terms[i] > kept_whole_above) ||
                                (product_family[i] && factors[i] > kept_whole_above));
    return out;
  }();
  template <class E, std::size_t I = index_of<E, nodes>::value>
  struct holds : std::bool_constant<(I < size && flags[I < size ? I : 0])> {};
};

// A simplified operand, marked when Kept::holds<its unsimplified form>.
template <class Simplified, bool Mark>
struct mark_if {
  using type = Simplified;
};
template <class Op, class... Args>
  requires(sizeof...(Args) > 0)
struct mark_if<node<Op, Args...>, true> {
  using type = kept_whole<node<Op, Args...>>;
};

// Outer: the rules that flatten the parent's op, and so run at the parent or
// above; Kept: the sums and products kept whole, collected each at itself.
template <class E, class Rules, class Kept, class Outer = rule_set<>>
struct simplified {
  using type = E;
};
template <class Op, class... Args, class Rules, class Kept, class Outer>
  requires(sizeof...(Args) > 0)
struct simplified<node<Op, Args...>, Rules, Kept, Outer> {
  template <class A>
  using operand = typename mark_if<
      typename simplified<A, Rules, Kept,
                          std::conditional_t<Kept::template holds<A>::value, rule_set<>,
                                             typename flattening<Rules, Op>::type>>::type,
      Kept::template holds<A>::value>::type;
  using type = typename settle<node<Op, operand<Args>...>, Rules, 0, typename flattening<Outer, Op>::type>::type;
};

// Nothing is kept whole for a rule set that flattens neither sums nor
// products: there a mark would change nothing, and the analysis is skipped.
struct nothing_kept {
  template <class E>
  struct holds : std::false_type {};
};
template <class Rules>
concept flattens_sums_or_products = !same_type<typename flattening<Rules, add_op>::type, rule_set<>> ||
                                    !same_type<typename flattening<Rules, mul_op>::type, rule_set<>>;
template <class Rules, class... Es>
struct kept_whole_for {
  using type = nothing_kept;
};
template <class Rules, class... Es>
  requires flattens_sums_or_products<Rules>
struct kept_whole_for<Rules, Es...> {
  using type = kept_whole_nodes<unique_nodes_t<Es...>, type_list<Es...>>;
};

// Expressions Es simplified together, phase by phase: what they share is
// shared in what they become (the outputs of one function, say).
template <class Es, class... RuleSets>
struct simplified_in_phases {
  using type = Es;
};
template <class... Es, class First, class... Rest>
struct simplified_in_phases<type_list<Es...>, First, Rest...>
    : simplified_in_phases<
          type_list<unmarked_t<typename simplified<Es, First, typename kept_whole_for<First, Es...>::type>::type>...>,
          Rest...> {};

// simplify(e, rules1, rules2, ...): e rewritten to a fixed point of rules1,
// then of rules2, ... (phases, as in Theano's optimiser).
template <expression E, class... Rules, class... More>
constexpr auto simplify(E, rule_set<Rules...>, More...) {
  return typename type_at<0, typename simplified_in_phases<type_list<E>, rule_set<Rules...>, More...>::type>::type{};
}

}  // namespace theon
