#pragma once
// Patterns: expressions with placeholders, matched against expressions by
// unification on types, and replacements built from what they bound.
//
//   _a .. _e      match any subexpression; used twice, they must bind the same one
//   _k1 .. _k3    match only exact literals; replacements may compute with them
//
// A replacement's placeholders become held<T> leaves: T was already simplified,
// so the engine settles only the nodes a rule creates.
#include <string>

#include "theon/ops/arithmetic.hpp"
#include "theon/ops/broadcast.hpp"
#include "theon/ops/math.hpp"

namespace theon {

// Leaves that exist only inside rules: never planned, never evaluated.
struct pattern_leaf {};

struct any_subexpression {};
struct any_literal {};

template <char Id, class Accepts>
struct placeholder_op {
  using kind = pattern_leaf;
  static constexpr char id = Id;
  static constexpr char text_chars[] = {'_', Id, '\0'};
  static constexpr const char* text = text_chars;
  template <class...> using shape_type = shape<>;  // broadcasts with anything
  // bool converts to every dtype, so a placeholder may stand where any operand can
  // (the condition of where included); matching ignores it.
  template <class...> using dtype = std::conditional_t<same_type<Accepts, any_literal>, fractional_literal, bool>;
  template <class E>
  static constexpr bool accepts = same_type<Accepts, any_subexpression> || is_lit_v<E>;
};

inline constexpr node<placeholder_op<'a', any_subexpression>> _a{};
inline constexpr node<placeholder_op<'b', any_subexpression>> _b{};
inline constexpr node<placeholder_op<'c', any_subexpression>> _c{};
inline constexpr node<placeholder_op<'d', any_subexpression>> _d{};
inline constexpr node<placeholder_op<'e', any_subexpression>> _e{};
inline constexpr node<placeholder_op<'1', any_literal>> _k1{};
inline constexpr node<placeholder_op<'2', any_literal>> _k2{};
inline constexpr node<placeholder_op<'3', any_literal>> _k3{};

template <class T>
inline constexpr bool is_placeholder_v = false;
template <char Id, class Accepts>
inline constexpr bool is_placeholder_v<node<placeholder_op<Id, Accepts>>> = true;

// A leaf standing for the expression T inside the engine: never planned or
// evaluated, with T's static shape and dtype.
template <class T>
struct stands_for {
  using kind = pattern_leaf;
  template <class...> using shape_type = static_shape_t<T>;
  template <class...> using dtype = dtype_t<T>;
};

// An already simplified subexpression inside a rule's result.
template <class T>
struct held_op : stands_for<T> {};
template <class T>
using held = node<held_op<T>>;

template <class T>
struct unheld {
  using type = T;
};
template <class T>
struct unheld<held<T>> {
  using type = T;
};
template <class T>
using unheld_t = typename unheld<T>::type;

// A subexpression of a fixed point, kept as it is by the engine. Leaves need no holding.
template <class T>
constexpr auto hold(T) {
  if constexpr (is_node_v<T>) return held<unheld_t<T>>{};
  else return T{};
}

// A large sum or product, marked as such inside its users while a phase
// runs: collect_terms and collect_factors take it as one term or factor
// instead of flattening it into each user. Flattening spells a sum's terms
// again in every user, and a chain of shared steps would grow with its paths.
// Structural rules see the mark (and keep it in what they return); patterns
// see through it; the engine removes every mark when the phase ends.
template <class T>
struct kept_whole_op : stands_for<T> {};
template <class T>
using kept_whole = node<kept_whole_op<T>>;

template <class T>
struct unmarked {
  using type = T;
};
template <class T>
struct unmarked<kept_whole<T>> : unmarked<T> {};
template <class Op, class... Args>
  requires(sizeof...(Args) > 0)
struct unmarked<node<Op, Args...>> {
  using type = node<Op, typename unmarked<Args>::type...>;
};
template <class T>
using unmarked_t = typename unmarked<T>::type;

// A rule that does not apply to a node returns no_match.
struct no_match {};

// ------------------------------------------------------- exact constant folding

// node<Op, Args...>, or the exact literal it equals when every operand is one.
template <class Op, class... Args>
constexpr auto build_node() {
  if constexpr (folds_literals<Op> && (is_lit_v<Args> && ...)) {
    constexpr rational r = Op::fold(rational_of<Args>...);
    if constexpr (r.ok) return lit<r.num, r.den>{};
    else return node<Op, Args...>{};
  } else {
    return node<Op, Args...>{};
  }
}

// Matching and substitution: their own namespace, as their names (match, bound,
// bindings) would meet users' own under `using namespace theon`.
namespace matching {

// ------------------------------------------------------------------ matching

template <class Placeholder, class E>
struct bound {};

template <class... Bs>
struct bindings : Bs... {};

template <class Placeholder, class E>
E bound_to(const bound<Placeholder, E>&);

template <class B, class Placeholder>
concept binds_placeholder = requires(B b) { bound_to<Placeholder>(b); };

template <class B, class Placeholder>
using lookup_t = decltype(bound_to<Placeholder>(std::declval<B>()));

template <class B, class Placeholder, class E>
struct extend;
template <class... Bs, class Placeholder, class E>
struct extend<bindings<Bs...>, Placeholder, E> {
  using type = bindings<Bs..., bound<Placeholder, E>>;
};

template <class P, class E, class B>
struct match;

template <class Ps, class Es, class B>
struct match_all {
  using type = no_match;
};
template <class B>
struct match_all<type_list<>, type_list<>, B> {
  using type = B;
};
template <class P, class... Ps, class E, class... Es, class B>
struct match_all<type_list<P, Ps...>, type_list<E, Es...>, B> {
  using first = typename match<P, E, B>::type;
  using type = typename std::conditional_t<same_type<first, no_match>, std::type_identity<no_match>,
                                           match_all<type_list<Ps...>, type_list<Es...>, first>>::type;
};

template <class P, class E, class B>
struct match {
  using type = std::conditional_t<same_type<P, E>, B, no_match>;
};

template <class P, class E, class B>
constexpr auto bind_placeholder() {
  if constexpr (!P::template accepts<E>) return std::type_identity<no_match>{};
  else if constexpr (binds_placeholder<B, node<P>>) {
    return std::type_identity<std::conditional_t<same_type<lookup_t<B, node<P>>, E>, B, no_match>>{};
  } else {
    return std::type_identity<typename extend<B, node<P>, E>::type>{};
  }
}

template <char Id, class Accepts, class E, class B>
struct match<node<placeholder_op<Id, Accepts>>, E, B> {
  using type = typename decltype(bind_placeholder<placeholder_op<Id, Accepts>, E, B>())::type;
};

template <class Op, class Ps, class Es, class B>
constexpr auto match_operands() {
  using in_order = typename match_all<Ps, Es, B>::type;
  if constexpr (!same_type<in_order, no_match> || !commutative_op<Op>) {
    return std::type_identity<in_order>{};
  } else {
    using swapped = type_list<typename type_at<1, Es>::type, typename type_at<0, Es>::type>;
    return match_all<Ps, swapped, B>{};
  }
}

// Whether E may match pattern P, judged by the ops one level down: a cheap
// test that spares the full match its instantiations where an operand's op
// differs (log(1 - exp(a)) at log(S / K)). A placeholder or a literal in the
// pattern leaves it to the full match.
template <class P, class E>
struct head_fits : std::true_type {};
template <class Op, class... Ps, class E>
  requires(sizeof...(Ps) > 0)
struct head_fits<node<Op, Ps...>, E> : std::bool_constant<is_op_v<E, Op>> {};

template <class P, class E>
struct operands_fit : std::true_type {};
template <class Op, class... Ps, class... Es>
  requires(sizeof...(Ps) == sizeof...(Es))
struct operands_fit<node<Op, Ps...>, node<Op, Es...>> : std::bool_constant<(head_fits<Ps, Es>::value && ...)> {};
template <class Op, class P0, class P1, class E0, class E1>
  requires commutative_op<Op>
struct operands_fit<node<Op, P0, P1>, node<Op, E0, E1>>
    : std::bool_constant<(head_fits<P0, E0>::value && head_fits<P1, E1>::value) ||
                         (head_fits<P0, E1>::value && head_fits<P1, E0>::value)> {};

template <class Op, class... Ps, class... Es, class B>
  requires(sizeof...(Ps) == sizeof...(Es) && sizeof...(Ps) > 0)
struct match<node<Op, Ps...>, node<Op, Es...>, B> {
  using type = typename decltype(match_operands<Op, type_list<Ps...>, type_list<Es...>, B>())::type;
};

// ------------------------------------------------------------- substitution

// The replacement R with each placeholder replaced by what it bound.
template <class R, class B>
struct substitute {
  using type = R;
};
template <char Id, class Accepts, class B>
struct substitute<node<placeholder_op<Id, Accepts>>, B> {
  using type = decltype(hold(lookup_t<B, node<placeholder_op<Id, Accepts>>>{}));
};
template <class Op, class... Rs, class B>
  requires(sizeof...(Rs) > 0)
struct substitute<node<Op, Rs...>, B> {
  using type = decltype(build_node<Op, typename substitute<Rs, B>::type...>());
};

}  // namespace matching

// --------------------------------------------------------------- domain facts

// What is known of an expression's value (value_facts): a literal's from its
// value, a node's from its op and what is known of its operands. Each is a
// class named by its facts alone, not a constant per node type.
template <value_facts F>
struct known_facts {
  static constexpr value_facts value = F;
};
template <class E>
struct sign_facts : known_facts<value_facts{}> {};
template <std::intmax_t N, std::intmax_t D>
struct sign_facts<lit<N, D>> : known_facts<(value_facts{.positive = N > 0, .nonnegative = N >= 0, .nonzero = N != 0,
                                                         .integer = D == 1, .even = D == 1 && N % 2 == 0})> {};
template <class T>
struct sign_facts<held<T>> : sign_facts<T> {};
template <class T>
struct sign_facts<kept_whole<T>> : sign_facts<T> {};
template <class Op, class... Args>
  requires(sizeof...(Args) > 0 && requires { Op::facts(sign_facts<Args>::value...); })
struct sign_facts<node<Op, Args...>> : known_facts<Op::facts(sign_facts<Args>::value...)> {};

// ---------------------------------------------------------------------- guards

// A guard is a condition on what a rule's placeholders bound.
struct guard_base {};

struct no_guard : guard_base {
  template <class B> static constexpr bool holds = true;
};

template <template <class> class Test, class Placeholder>
struct guard_on : guard_base {
  template <class B> static constexpr bool holds = Test<matching::lookup_t<B, Placeholder>>::value;
};

template <class G1, class G2>
struct both_guard : guard_base {
  template <class B> static constexpr bool holds = G1::template holds<B> && G2::template holds<B>;
};
template <class G1, class G2>
struct either_guard : guard_base {
  template <class B> static constexpr bool holds = G1::template holds<B> || G2::template holds<B>;
};
template <class G>
struct not_guard : guard_base {
  template <class B> static constexpr bool holds = !G::template holds<B>;
};

template <class G1, class G2>
  requires std::derived_from<G1, guard_base> && std::derived_from<G2, guard_base>
constexpr both_guard<G1, G2> operator&&(G1, G2) { return {}; }
template <class G1, class G2>
  requires std::derived_from<G1, guard_base> && std::derived_from<G2, guard_base>
constexpr either_guard<G1, G2> operator||(G1, G2) { return {}; }
template <class G>
  requires std::derived_from<G, guard_base>
constexpr not_guard<G> operator!(G) { return {}; }

namespace facts {
template <class E> struct literal : std::bool_constant<is_lit_v<E>> {};
template <class E> struct positive : std::bool_constant<sign_facts<E>::value.positive> {};
template <class E> struct nonnegative : std::bool_constant<sign_facts<E>::value.nonnegative> {};
template <class E> struct nonzero : std::bool_constant<sign_facts<E>::value.nonzero> {};
template <class E> struct floating : std::bool_constant<std::is_floating_point_v<dtype_t<E>>> {};
template <class E> struct integer_literal : std::bool_constant<is_lit_v<E> && E::den == 1> {};
template <std::size_t R>
struct rank {
  template <class E> struct is : std::bool_constant<rank_v<E> == R> {};
};
}  // namespace facts

template <class P> requires is_placeholder_v<P>
constexpr guard_on<facts::literal, P> is_literal(P) { return {}; }
template <class P> requires is_placeholder_v<P>
constexpr guard_on<facts::integer_literal, P> is_integer_literal(P) { return {}; }
template <class P> requires is_placeholder_v<P>
constexpr guard_on<facts::positive, P> is_positive(P) { return {}; }
template <class P> requires is_placeholder_v<P>
constexpr guard_on<facts::nonnegative, P> is_nonnegative(P) { return {}; }
template <class P> requires is_placeholder_v<P>
constexpr guard_on<facts::nonzero, P> is_nonzero(P) { return {}; }
template <class P> requires is_placeholder_v<P>
constexpr guard_on<facts::floating, P> is_floating(P) { return {}; }
template <std::size_t R, class P> requires is_placeholder_v<P>
constexpr guard_on<facts::rank<R>::template is, P> has_rank(P) { return {}; }

}  // namespace theon
