#pragma once
// Forward mode: one tangent per unique node, in topological order, from the
// same derivative rules reverse mode uses (partials of elementwise ops, the
// jvp rules of the others). jvp(e, x, v) is the directional derivative of e
// at the bound inputs along v: (d e / d x) v, shaped like e.
#include <tuple>
#include <utility>

#include "theon/autodiff/reverse.hpp"

namespace theon {

namespace ad {

template <class E, class X, class V>
struct forward {
  using nodes = unique_nodes_t<E>;
  template <std::size_t I>
  using node_t = typename type_at<I, nodes>::type;

  template <class A>
  static constexpr auto tangent_of() {
    if constexpr (is_lit_v<A>) return lit<0>{};
    else return typename tangent<index_of<A, nodes>::value>::type{};
  }

  template <class N>
  static constexpr auto derive(N self) {
    return []<class Op, class... Args>(node<Op, Args...> self) {
      // Operands read only for their shape carry no tangent.
      const auto tangents = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return expr_list{[&] {
          if constexpr (reads_shape_only<N, K>) return lit<0>{};
          else return tangent_of<Args>();
        }()...};
      }(std::index_sequence_for<Args...>{});
      constexpr bool all_zero = []<class... T>(expr_list<T...>) { return (is_zero_v<T> && ...); }(decltype(tangents){});
      if constexpr (all_zero) {
        return lit<0>{};
      } else if constexpr (is_elementwise<N>) {
        const auto local = [&] {
          if constexpr (has_partials<N>) {
            const auto partials = Op::partials(self, Args{}...);
            return [&]<std::size_t... K>(std::index_sequence<K...>) {
              auto total = lit<0>{};
              return fold(total, scale(get<K>(partials), get<K>(tangents))...);
            }(std::index_sequence_for<Args...>{});
          } else if constexpr (requires { Op::jvp(self, tangents, Args{}...); }) {
            return Op::jvp(self, tangents, Args{}...);
          } else {
            return op_without_derivative<Op>::zero();
          }
        }();
        // A tangent from some operands only may be smaller than the node: spread it.
        constexpr std::size_t non_literal = (!is_lit_v<Args> + ...);
        if constexpr (non_literal > 1 || rank_v<decltype(local)> < rank_v<N>) return broadcast_like(local, self);
        else return local;
      } else {
        return Op::jvp(self, tangents, Args{}...);
      }
    }(self);
  }

  template <class Acc>
  static constexpr auto fold(Acc acc) { return acc; }
  template <class Acc, class First, class... Rest>
  static constexpr auto fold(Acc acc, First first, Rest... rest) { return fold(plus(acc, first), rest...); }

  template <std::size_t I>
  struct tangent {
    static constexpr auto make() {
      using N = node_t<I>;
      if constexpr (same_type<N, X>) return V{};
      else if constexpr (is_var_v<N>) return lit<0>{};
      else return derive(N{});
    }
    using type = decltype(make());
  };

  static constexpr auto result() {
    using t = typename tangent<nodes::size - 1>::type;
    if constexpr (is_zero_v<t> || rank_v<t> < rank_v<E>) return broadcast_like(t{}, E{});
    else return t{};
  }
};

}  // namespace ad

// jvp(e, x, v): the derivative of e along the direction v of the variable x.
template <expression E, expression X, expression V>
constexpr auto jvp(E, X, V) {
  static_assert(is_var_v<X>, "theon::jvp: the derivative is taken with respect to a variable (theon::var)");
  static_assert(rank_v<V> == rank_v<X>, "theon::jvp: the direction v must have the rank of the variable x");
  if constexpr (is_lit_v<E>) return lit<0>{};
  else return ad::forward<E, X, V>::result();
}

}  // namespace theon
