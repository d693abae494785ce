#pragma once
// updates(w, new_w, b, new_b, ...): Theano's updates. A compiled function
// given them also writes each new value into the array its variable is bound
// to, after computing every new value from the values before the call, so
// `updates(a, b, b, a)` swaps and a training step is one call.
#include <type_traits>

#include "theon/core/expr.hpp"

namespace theon {

template <class Targets, class Values>
struct updates_t {
  using targets = Targets;
  using values = Values;
};

template <class T>
inline constexpr bool is_updates_v = false;
template <class Targets, class Values>
inline constexpr bool is_updates_v<updates_t<Targets, Values>> = true;

namespace detail {
template <class V, class E, class Targets, class Values>
struct add_update;
template <class V, class E, class... Targets, class... Values>
struct add_update<V, E, type_list<Targets...>, type_list<Values...>> {
  static_assert(!(same_type<V, Targets> || ...), "theon::updates: a variable is given two new values");
  using type = updates_t<type_list<V, Targets...>, type_list<E, Values...>>;
};
}  // namespace detail

constexpr updates_t<type_list<>, type_list<>> updates() { return {}; }

// Pairs of (variable, its new value): the value has the variable's dtype and rank.
template <class V, class E, class... Rest>
constexpr auto updates(V, E, Rest... rest) {
  static_assert(is_var_v<V>, "theon::updates: the first of each pair is the variable (the state) to write");
  static_assert(expression<E>, "theon::updates: the second of each pair is the variable's new value, an expression");
  static_assert(sizeof...(Rest) % 2 == 0, "theon::updates: give pairs of (variable, new value)");
  if constexpr (is_var_v<V> && expression<E> && sizeof...(Rest) % 2 == 0) {
    static_assert(!is_lit_v<E>, "theon::updates: a new value is a bare constant; write it as an expression of the variable");
    static_assert(same_type<dtype_t<E>, typename V::value_type>,
                  "theon::updates: a new value's dtype differs from its variable's; convert it with theon::cast");
    static_assert(rank_v<E> == V::shape_type::rank, "theon::updates: a new value's rank differs from its variable's");
    using rest_t = decltype(updates(rest...));
    return typename detail::add_update<V, E, typename rest_t::targets, typename rest_t::values>::type{};
  } else {
    return updates();  // after the error above, nothing more to report
  }
}

}  // namespace theon
