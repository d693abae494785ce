#pragma once
// Canonical sums and products, so that equal graphs get equal types.
//
// A sum is flattened into terms k*b (k an exact rational, b anything that is
// not a sum), a product into factors b^e (e an integer) times a constant; like
// terms and like factors are merged, and the result is rebuilt in one order:
//
//   sum:      c + t1 + t2 + ... - u1 - u2 - ...     (c > 0 first, c < 0 last)
//   product:  k * (f1 * f2 * ... / (g1 * g2 * ...))
//
// Operands are ordered by a key computed from their types: literals, then
// variables by name, then operations by op name, ties broken by a hash of the
// whole subexpression.
#include <array>
#include <cstdint>
#include <string_view>

#include "theon/rewrite/pattern.hpp"

namespace theon {
// The helpers live in their own namespace: names such as chain or item would
// meet users' own under `using namespace theon`.
namespace canonical {

// ------------------------------------------------------------------- ordering

namespace detail {

template <class T>
constexpr std::string_view type_text() {
  return __PRETTY_FUNCTION__;  // names T: distinct for distinct types
}

constexpr std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ull) {
  for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// The first eight characters, big-endian: integers that sort as the names do.
constexpr std::uint64_t name_prefix(std::string_view s) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0u);
  return v;
}

}  // namespace detail

struct order_key {
  int category = 0;          // 0 literal, 1 variable, 2 operation
  std::uint64_t name = 0;    // variable or op name, first 8 characters
  std::uint64_t hash = 0;    // the whole subexpression

  friend constexpr bool operator<(const order_key& a, const order_key& b) {
    if (a.category != b.category) return a.category < b.category;
    if (a.name != b.name) return a.name < b.name;
    return a.hash < b.hash;
  }
};

template <class E>
struct key_of {
  static constexpr order_key value{0, 0, detail::fnv1a(detail::type_text<E>())};
};
template <class E>
  requires is_var_v<E>
struct key_of<E> {
  static constexpr order_key value{1, detail::name_prefix(E::name.view()), detail::fnv1a(detail::type_text<E>())};
};
template <class T>
struct key_of<held<T>> : key_of<T> {};
template <class T>
struct key_of<kept_whole<T>> : key_of<T> {};
template <class Op, class... Args>
  requires(sizeof...(Args) > 0)
struct key_of<node<Op, Args...>> {
  static constexpr order_key value{2, detail::name_prefix(Op::name), [] {
                                     std::uint64_t h = detail::fnv1a(detail::type_text<Op>());
                                     ((h = (h ^ key_of<Args>::value.hash) * 1099511628211ull), ...);
                                     return h;
                                   }()};
};

// ------------------------------------------------------ collecting like items

// One summand (weight = coefficient) or factor (weight = exponent) with its base.
template <class Weight, class Base>
struct item {};

template <class Scale, class List>
struct scaled;
template <class Scale, class... W, class... B>
struct scaled<Scale, type_list<item<W, B>...>> {
  using type = type_list<item<decltype(build_node<mul_op, Scale, W>()), B>...>;
};

// Items sorted by their bases' keys, equal bases merged into one weight (or,
// where Merge says a base may not cancel, into a positive and a negative part).
struct merged_weights {
  rational positive{0, 1, true};
  rational negative{0, 1, true};
};

template <class Base>
struct always_cancels : std::true_type {};

// Cancels<B>::value: whether weights of opposite signs on base B may cancel.
template <class List, template <class> class Cancels>
struct collect_items;
template <class... W, class... B, template <class> class Cancels>
struct collect_items<type_list<item<W, B>...>, Cancels> {
  static constexpr std::size_t n = sizeof...(B);
  static constexpr std::array<order_key, n> keys{key_of<B>::value...};
  static constexpr std::array<rational, n> weights{rational_of<W>...};

  static constexpr auto order = [] {
    std::array<std::size_t, n> idx{};
    for (std::size_t i = 0; i < n; ++i) idx[i] = i;
    for (std::size_t i = 1; i < n; ++i)  // insertion sort: stable, and n is small
      for (std::size_t j = i; j > 0 && keys[idx[j]] < keys[idx[j - 1]]; --j) std::swap(idx[j], idx[j - 1]);
    return idx;
  }();

  template <std::size_t I>
  using base_at = typename type_at<order[I], type_list<B...>>::type;

  static constexpr auto same_as_previous = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<bool, n>{(I > 0 && same_type<base_at<I>, base_at<(I > 0 ? I - 1 : 0)>>)...};
  }(std::make_index_sequence<n>{});
  static constexpr auto cancels = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<bool, n>{Cancels<base_at<I>>::value...};
  }(std::make_index_sequence<n>{});

  // Group g: the first sorted position of its base and its merged weight.
  static constexpr auto groups = [] {
    struct result {
      std::array<std::size_t, n> first{};
      std::array<merged_weights, n> weight{};
      std::size_t count = 0;
      bool ok = true;
    } r;
    for (std::size_t i = 0; i < n; ++i) {
      if (!same_as_previous[i]) r.first[r.count++] = i;
      merged_weights& m = r.weight[r.count - 1];
      const rational w = weights[order[i]];
      rational& part = (cancels[i] || w.num > 0) ? m.positive : m.negative;
      part = part + w;
      r.ok = r.ok && part.ok;
    }
    return r;
  }();
};

// ------------------------------------------------------------------ rebuilding

// ((x1 o1 x2) o2 x3) ...: link<Op, X> appends X with Op.
template <class Op, class X>
struct link {};

template <class Acc, class... Links>
struct chain {
  using type = Acc;
};
template <class Acc, class Op, class X, class... Links>
struct chain<Acc, link<Op, X>, Links...> : chain<node<Op, Acc, X>, Links...> {};

template <class T>
struct strip_held {
  using type = T;
};
template <class T>
struct strip_held<held<T>> {
  using type = T;
};
template <class Op, class... Args>
  requires(sizeof...(Args) > 0)
struct strip_held<node<Op, Args...>> {
  using type = node<Op, typename strip_held<Args>::type...>;
};

// The same chain with its inner nodes held: they are canonical by construction,
// so only the outermost node is settled again.
template <class T>
struct held_below {
  using type = T;
};
template <class Op, class A, class B>
struct held_below<node<Op, A, B>> {
  using type = node<Op, decltype(hold(typename strip_held<A>::type{})), decltype(hold(typename strip_held<B>::type{}))>;
};

template <class D, class L>
constexpr auto typed_literal(L l) {
  if constexpr (literal_dtype<D> || same_type<D, double>) return l;
  else return cast<D>(l);
}

// R spread over the shapes of the bases that cancelled out of E (x + y - y
// has y's shape too, not only x's), and typed as E when only a literal is left.
template <class E, class R>
constexpr auto keep_shape(R r, type_list<>) { return r; }
template <class E, class R, class D, class... More>
constexpr auto keep_shape(R r, type_list<D, More...>) {
  constexpr bool bare_literal = is_lit_v<R> && !literal_dtype<dtype_t<E>>;
  if constexpr (rank_v<D> == 0 && !bare_literal) return keep_shape<E>(r, type_list<More...>{});
  else if constexpr (is_lit_v<R>) return keep_shape<E>(broadcast_like(typed_literal<dtype_t<E>>(r), hold(D{})), type_list<More...>{});
  else return keep_shape<E>(broadcast_like(r, hold(D{})), type_list<More...>{});
}

// The rewrite R of E, or no_match when R is E again (E is canonical already).
template <class E, class R>
constexpr auto unless_same(R r) {
  if constexpr (same_type<typename strip_held<R>::type, E>) return no_match{};
  else return r;
}

// --------------------------------------------------------------------- sums

template <class E>
struct terms_of {
  using type = type_list<item<lit<1>, E>>;
};
template <std::intmax_t N, std::intmax_t D>
struct terms_of<lit<N, D>> {
  using type = type_list<item<lit<N, D>, lit<1>>>;  // a constant: k * 1
};
template <class A, class B>
struct terms_of<node<add_op, A, B>> : concat<typename terms_of<A>::type, typename terms_of<B>::type> {};
template <class A, class B>
struct terms_of<node<sub_op, A, B>>
    : concat<typename terms_of<A>::type, typename scaled<lit<-1>, typename terms_of<B>::type>::type> {};
template <class A>
struct terms_of<node<neg_op, A>> : scaled<lit<-1>, typename terms_of<A>::type> {};
template <std::intmax_t N, std::intmax_t D, class B>
  requires(!is_lit_v<B>)
struct terms_of<node<mul_op, lit<N, D>, B>> {
  using type = type_list<item<lit<N, D>, B>>;
};

template <rational K, class B>
constexpr auto times_literal(B b) {
  if constexpr (K.num == K.den) return hold(b);
  else return node<mul_op, lit<K.num, K.den>, decltype(hold(b))>{};
}

template <class E>
struct collect_terms_of {
  using terms = typename terms_of<E>::type;
  using collected = collect_items<terms, always_cancels>;
  static constexpr auto& g = collected::groups;

  template <std::size_t G>
  using base = typename collected::template base_at<g.first[G]>;
  template <std::size_t G>
  static constexpr rational weight = g.weight[G].positive;
  template <std::size_t G>
  static constexpr bool is_constant = same_type<base<G>, lit<1>>;

  // The constant term sorts first (literals have the smallest keys).
  static constexpr rational constant() {
    if constexpr (g.count > 0) {
      if constexpr (is_constant<0>) return weight<0>;
    }
    return {0, 1, true};
  }

  // k*b with k > 0 (added) and k < 0 (subtracted as |k|*b), in key order.
  static constexpr auto build() {
    return []<std::size_t... G>(std::index_sequence<G...>) {
      using added = typename concat<std::conditional_t<!is_constant<G> && (weight<G>.num > 0),
                                                       type_list<link<add_op, decltype(times_literal<weight<G>>(base<G>{}))>>,
                                                       type_list<>>...>::type;
      using subtracted = typename concat<std::conditional_t<!is_constant<G> && (weight<G>.num < 0),
                                                            type_list<link<sub_op, decltype(times_literal<-weight<G>>(base<G>{}))>>,
                                                            type_list<>>...>::type;
      using dropped = typename concat<std::conditional_t<!is_constant<G> && weight<G>.num == 0,
                                                         type_list<base<G>>, type_list<>>...>::type;
      return keep_shape<E>(assemble<constant()>(added{}, subtracted{}), dropped{});
    }(std::make_index_sequence<g.count>{});
  }

  template <rational C, class... Added, class... Subtracted>
  static constexpr auto assemble(type_list<Added...>, type_list<Subtracted...>) {
    if constexpr (C.num > 0) return finish<C>(typename chain<lit<C.num, C.den>, Added..., Subtracted...>::type{});
    else if constexpr (sizeof...(Added) + sizeof...(Subtracted) > 0) return first_then<C>(type_list<Added..., Subtracted...>{});
    else return lit<C.num, C.den>{};
  }
  // No positive constant: the first added term leads, or the first subtracted one, negated.
  template <rational C, class Op, class X, class... Rest>
  static constexpr auto first_then(type_list<link<Op, X>, Rest...>) {
    if constexpr (same_type<Op, add_op>) return finish<C>(typename chain<X, Rest...>::type{});
    else return finish<C>(typename chain<decltype(negated(X{})), Rest...>::type{});
  }
  template <class X>
  static constexpr auto negated(X) {
    if constexpr (is_op_v<X, mul_op>) {
      return node<mul_op, lit<-type_at<0, typename operands<X>::type>::type::num,
                                type_at<0, typename operands<X>::type>::type::den>,
                  typename type_at<1, typename operands<X>::type>::type>{};
    } else {
      return node<neg_op, X>{};
    }
  }
  template <rational C, class Chain>
  static constexpr auto finish(Chain) {
    if constexpr (C.num < 0) return node<sub_op, typename held_below<Chain>::type, lit<-C.num, C.den>>{};
    else return typename held_below<Chain>::type{};
  }
};

// + - and unary minus: flatten, fold constants, merge like terms, order.
struct collect_terms {
  template <class Op>
  static constexpr bool flattens = same_type<Op, add_op> || same_type<Op, sub_op> || same_type<Op, neg_op>;

  template <class E>
  static constexpr auto apply(E) {
    if constexpr (!is_op_v<E, add_op> && !is_op_v<E, sub_op> && !is_op_v<E, neg_op>) {
      return no_match{};
    } else if constexpr (!collect_items<typename terms_of<E>::type, always_cancels>::groups.ok) {
      return no_match{};  // a coefficient would overflow: leave the sum as written
    } else {
      return unless_same<E>(collect_terms_of<E>::build());
    }
  }
};

// ----------------------------------------------------------------- products

template <class E>
struct factors_of {
  using constant = lit<1>;
  using type = type_list<item<lit<1>, E>>;
};
template <std::intmax_t N, std::intmax_t D>
struct factors_of<lit<N, D>> {
  using constant = lit<N, D>;
  using type = type_list<>;
};
// Literal parts combine exactly; where they cannot (overflow, 1/0), the
// constant is left a node and the rule does not fire.
template <class Op, class A, class B>
struct combined_factors {
  using constant = decltype(build_node<Op, typename factors_of<A>::constant, typename factors_of<B>::constant>());
  using type = typename concat<typename factors_of<A>::type,
                               std::conditional_t<same_type<Op, div_op>,
                                                  typename scaled<lit<-1>, typename factors_of<B>::type>::type,
                                                  typename factors_of<B>::type>>::type;
};
template <class A, class B>
struct factors_of<node<mul_op, A, B>> : combined_factors<mul_op, A, B> {};
template <class A, class B>
struct factors_of<node<div_op, A, B>> : combined_factors<div_op, A, B> {};
template <class A>
struct factors_of<node<neg_op, A>> {
  using constant = decltype(build_node<neg_op, typename factors_of<A>::constant>());
  using type = typename factors_of<A>::type;
};
template <class A, std::intmax_t N>
  requires(N >= -64 && N <= 64 && !is_lit_v<A>)
struct factors_of<node<pow_op, A, lit<N>>> {
  using constant = lit<1>;
  using type = type_list<item<lit<N>, A>>;
};
template <class A>
struct factors_of<node<square_op, A>> {
  using constant = lit<1>;
  using type = type_list<item<lit<2>, A>>;
};

template <rational E, class B>
constexpr auto power_of(B b) {
  if constexpr (E.num == 1 && E.den == 1) return hold(b);
  else return node<pow_op, decltype(hold(b)), lit<E.num, E.den>>{};
}

template <class E, template <class> class Cancels>
struct collect_factors_of {
  using factors = factors_of<E>;
  using K = typename factors::constant;
  using collected = collect_items<typename factors::type, Cancels>;
  static constexpr auto& g = collected::groups;

  template <std::size_t G>
  using base = typename collected::template base_at<g.first[G]>;
  template <std::size_t G>
  static constexpr rational up = g.weight[G].positive;
  template <std::size_t G>
  static constexpr rational down = g.weight[G].negative;

  template <bool Numerator, std::size_t G>
  static constexpr auto part() {
    if constexpr (Numerator && up<G>.num > 0) return type_list<decltype(power_of<up<G>>(base<G>{}))>{};
    else if constexpr (!Numerator && up<G>.num < 0) return type_list<decltype(power_of<-up<G>>(base<G>{}))>{};
    else if constexpr (!Numerator && down<G>.num < 0) return type_list<decltype(power_of<-down<G>>(base<G>{}))>{};
    else return type_list<>{};
  }

  static constexpr auto build() {
    return []<std::size_t... G>(std::index_sequence<G...>) {
      using all = type_list<base<G>...>;
      using dropped = typename concat<std::conditional_t<up<G>.num == 0 && down<G>.num == 0, type_list<base<G>>,
                                                         type_list<>>...>::type;
      if constexpr (K::num == 0) return keep_shape<E>(lit<0>{}, all{});  // x * 0 (x finite)
      else {
        using num = typename concat<decltype(part<true, G>())...>::type;
        using den = typename concat<decltype(part<false, G>())...>::type;
        return keep_shape<E>(assemble(num{}, den{}), dropped{});
      }
    }(std::make_index_sequence<g.count>{});
  }

  template <class First, class... Rest>
  static constexpr auto product_of(type_list<First, Rest...>) {
    return typename chain<First, link<mul_op, Rest>...>::type{};
  }

  template <class... Num, class... Den>
  static constexpr auto assemble(type_list<Num...> num, type_list<Den...> den) {
    if constexpr (sizeof...(Num) == 0 && sizeof...(Den) == 0) return K{};
    else if constexpr (sizeof...(Num) == 0) return node<div_op, K, decltype(product_of(den))>{};
    else if constexpr (sizeof...(Den) == 0) return scaled_by_constant(product_of(num));
    else return scaled_by_constant(node<div_op, decltype(product_of(num)), decltype(product_of(den))>{});
  }
  template <class Body>
  static constexpr auto scaled_by_constant(Body body) {
    if constexpr (same_type<K, lit<1>>) return body;
    else if constexpr (same_type<K, lit<-1>>) return node<neg_op, Body>{};
    else return node<mul_op, K, Body>{};
  }
};

// * / and square: flatten, fold constants, merge like factors into powers,
// cancel a factor against a divisor only where Cancels says it may (by
// default: where it is known to be nonzero), order.
template <template <class> class Cancels>
struct collect_factors_where {
  // Not square: its operand is a base, never flattened.
  template <class Op>
  static constexpr bool flattens = same_type<Op, mul_op> || same_type<Op, div_op> || same_type<Op, neg_op>;

  template <class E>
  static constexpr auto apply(E) {
    if constexpr (!is_op_v<E, mul_op> && !is_op_v<E, div_op> && !is_op_v<E, square_op>) return no_match{};
    else if constexpr (!is_lit_v<typename factors_of<E>::constant> ||
                       !collect_items<typename factors_of<E>::type, Cancels>::groups.ok) {
      return no_match{};
    } else {
      return unless_same<E>(collect_factors_of<E, Cancels>::build());
    }
  }
};
using collect_factors = collect_factors_where<facts::nonzero>;
// The same, cancelling every factor: x / x is 1 and (x y) / x is y even where x is 0.
using collect_factors_assuming_nonzero = collect_factors_where<always_cancels>;

}  // namespace canonical

using canonical::collect_factors;
using canonical::collect_factors_assuming_nonzero;
using canonical::collect_terms;

}  // namespace theon
