#pragma once
// The rewrite engine: rules, rule sets, and simplify.
//
// simplify rewrites children first, then tries the rules at the node in order;
// when one applies, the nodes its result creates are settled the same way
// (the parts it kept from the match are fixed points already). Each
// (expression, rule set) is simplified once per program: the result is a
// class template's member, memoised by the compiler. A rewrite is taken only
// if it keeps the node's static shape and dtype.
#include <cstddef>
#include <type_traits>

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
    using found = typename matching::match<Pattern, E, matching::bindings<>>::type;
    if constexpr (std::is_same_v<found, no_match>) return no_match{};
    else if constexpr (!Guard::template holds<found>) return no_match{};
    else return typename matching::substitute<Replacement, found>::type{};
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
inline constexpr bool keeps_type_v =
    std::is_same_v<static_shape_t<E>, static_shape_t<R>> &&
    (std::is_same_v<dtype_t<E>, dtype_t<R>> || (literal_dtype<dtype_t<E>> && literal_dtype<dtype_t<R>>));

template <class E, class Rule, class... Rest>
constexpr auto first_rewrite(rule_set<Rule, Rest...>) {
  using attempt = decltype(Rule::apply(E{}));
  if constexpr (!std::is_same_v<attempt, no_match>) {
    if constexpr (keeps_type_v<E, attempt>) return attempt{};
    else return first_rewrite<E>(rule_set<Rest...>{});
  } else {
    return first_rewrite<E>(rule_set<Rest...>{});
  }
}
template <class E>
constexpr no_match first_rewrite(rule_set<>) { return {}; }

// Rewrites at one node before the engine gives up on a rule set that loops.
inline constexpr std::size_t rewrite_step_limit = 64;

template <class E, class Rules, std::size_t Step>
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

// E with simplified children, rewritten at its root until no rule applies.
template <class E, class Rules, std::size_t Step>
struct settle {
  using type = typename settle_result<E, decltype(first_rewrite<E>(Rules{})), Rules, Step>::type;
};
template <class E, class Rules>
struct settle<E, Rules, rewrite_step_limit> {
  static_assert(dependent_false<E>::value,
                "theon::simplify: the rule set did not reach a fixed point (64 rewrites at one node); two of its "
                "rules undo each other or one keeps growing its own pattern: see rule_set<...> in the "
                "instantiation below");
  using type = E;
};

template <class E, class Rules>
struct simplified {
  using type = E;
};
template <class Op, class... Args, class Rules>
  requires(sizeof...(Args) > 0)
struct simplified<node<Op, Args...>, Rules> {
  using type = typename settle<node<Op, typename simplified<Args, Rules>::type...>, Rules, 0>::type;
};

template <class E, class... RuleSets>
struct simplified_in_phases {
  using type = E;
};
template <class E, class First, class... Rest>
struct simplified_in_phases<E, First, Rest...>
    : simplified_in_phases<typename simplified<E, First>::type, Rest...> {};

// simplify(e, rules1, rules2, ...): e rewritten to a fixed point of rules1,
// then of rules2, ... (phases, as in Theano's optimiser).
template <expression E, class... Rules, class... More>
constexpr auto simplify(E, rule_set<Rules...>, More...) {
  return typename simplified_in_phases<E, rule_set<Rules...>, More...>::type{};
}

}  // namespace theon
