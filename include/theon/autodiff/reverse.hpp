#pragma once
// Reverse mode on the graph, as Theano does it: list the cost's unique nodes
// in topological order, give each node one adjoint (the sum of what each of
// its consumers sends back through that consumer's derivative rule), and walk
// from the cost back to the leaves. Each adjoint is one type, instantiated
// once, so the gradient's size grows linearly with the graph. Contributions
// that are zero vanish as the expression is built.
#include <array>
#include <cstddef>
#include <tuple>
#include <utility>

#include "theon/core/graph_walk.hpp"
#include "theon/ops/broadcast.hpp"
#include "theon/ops/reduce.hpp"

namespace theon {

namespace ad {

template <class E>
struct partials_known : std::false_type {};
template <class Op, class... Args>
struct partials_known<node<Op, Args...>> : std::bool_constant<requires { Op::partials(node<Op, Args...>{}, Args{}...); }> {};
template <class E>
concept has_partials = partials_known<E>::value;

template <class E>
concept is_elementwise = same_type<typename node_op_t<E>::kind, elementwise>;

// Differentiating through an op that states no derivative (no partials, vjp
// or jvp) stops here; the instantiation names the op.
template <class Op>
struct op_without_derivative {
  static_assert(dependent_false<Op>::value,
                "theon: differentiating through an op that has no derivative (it gives no partials, vjp or jvp); the "
                "op is named in the instantiation below (trigamma, for one, is not differentiable)");
  static constexpr auto zero() { return lit<0>{}; }
};

// Ones shaped like a node: the adjoint a reduction spreads back from a scalar cost.
template <class E>
struct is_ones : std::false_type {};
template <class N>
struct is_ones<node<broadcast_like_op, lit<1>, N>> : std::true_type {};
template <class E>
concept is_ones_v = is_ones<E>::value;

// g p for an adjoint (or tangent) g and a local derivative p. Ones of a node's
// shape times a p of that same static shape is p itself: an operand whose
// extent differs at run time is caught by the shaped_like guard downstream.
template <class G, class P>
constexpr auto scale(G g, P p) {
  if constexpr (is_ones_v<G> && !is_lit_v<P> && same_type<static_shape_t<P>, static_shape_t<G>>) return p;
  else if constexpr (is_ones_v<P> && !is_lit_v<G> && same_type<static_shape_t<P>, static_shape_t<G>>) return g;
  else return times(g, p);
}

// Axes of a contribution with static shape From that the operand (static
// shape To, aligned on the right) broadcast: missing leading axes, and axes
// where the operand has extent 1 and the contribution does not.
template <class From, class To>
struct broadcast_axes {
  static constexpr std::size_t lead = From::rank - To::rank;
  static constexpr auto ones = [] {
    std::array<std::size_t, To::rank + 1> axes{};
    std::size_t n = 0;
    for (std::size_t i = 0; i != To::rank; ++i)
      if (To::extents[i] == 1 && From::extents[lead + i] != 1) axes[n++] = lead + i;
    axes[To::rank] = n;  // the count, last
    return axes;
  }();
};

// c, an adjoint contribution shaped like a node, summed down to the static
// shape of the node's operand X.
template <class X, class C>
constexpr auto unbroadcast(C c) {
  using from = static_shape_t<C>;
  using to = static_shape_t<X>;
  if constexpr (is_zero_v<C> || from::rank < to::rank) {
    return c;  // a lower-rank contribution broadcasts on use
  } else {
    using axes = broadcast_axes<from, to>;
    constexpr std::size_t ones = axes::ones[to::rank];
    auto kept = [&]<std::size_t... I>(std::index_sequence<I...>) {
      if constexpr (sizeof...(I) == 0) return c;
      else return make_node<sum_op<true, axes::ones[I]...>>(c);
    }(std::make_index_sequence<ones>{});
    return [&]<std::size_t... I>(std::index_sequence<I...>) {
      if constexpr (sizeof...(I) == 0) return kept;
      else return make_node<sum_op<false, I...>>(kept);
    }(std::make_index_sequence<axes::lead>{});
  }
}

// What node N = node<Op, Args...> with adjoint g sends to its operand K.
// A class template rather than a generic lambda: g++ 12 takes time
// exponential in the depth of shared subexpressions to instantiate a generic
// lambda whose body names a deeply shared adjoint type.
template <std::size_t K, class N>
struct sent_to;
template <std::size_t K, class Op, class... Args>
struct sent_to<K, node<Op, Args...>> {
  using self = node<Op, Args...>;
  using X = typename type_at<K, type_list<Args...>>::type;

  template <class G>
  static constexpr auto local(G g) {
    if constexpr (has_partials<self>) return scale(g, get<K>(Op::partials(self{}, Args{}...)));
    else if constexpr (requires { Op::template vjp<K>(g, self{}, Args{}...); }) return Op::template vjp<K>(g, self{}, Args{}...);
    else return op_without_derivative<Op>::zero();
  }

  template <class G>
  static constexpr auto contribution(G g) {
    if constexpr (is_zero_v<G> || is_lit_v<X> || reads_shape_only<self, K>) {
      return lit<0>{};
    } else if constexpr (is_elementwise<self>) {
      const auto summed = unbroadcast<X>(local(g));
      // With two or more operands, an extent known only at run time may have
      // been broadcast: the guard checks the adjoint has the operand's shape.
      // (Fully static equal shapes cannot differ at run time: no guard there.)
      constexpr std::size_t non_literal = (!is_lit_v<Args> + ...);
      using summed_shape = static_shape_t<decltype(summed)>;
      constexpr bool known_equal = same_type<summed_shape, static_shape_t<X>> && summed_shape::is_static;
      if constexpr (non_literal > 1 && !is_lit_v<decltype(summed)> && rank_v<decltype(summed)> == rank_v<X> &&
                    !known_equal)
        return shaped_like(summed, X{});
      else return summed;
    } else if constexpr (requires { Op::template vjp<K>(g, self{}, Args{}...); }) {
      return Op::template vjp<K>(g, self{}, Args{}...);
    } else {
      return Op::vjp(g, self{}, Args{}...);
    }
  }
};

template <class Cost>
struct reverse {
  using nodes = unique_nodes_t<Cost>;
  static constexpr std::size_t size = nodes::size;
  template <std::size_t I>
  using node_t = typename type_at<I, nodes>::type;

  static constexpr auto operand_table = []<class... N>(type_list<N...>) {
    return std::array<std::array<std::size_t, max_arity>, sizeof...(N)>{as_array(typename operand_positions<N, nodes>::type{})...};
  }(nodes{});

  // The (consumer, operand position) pairs through which node I is used,
  // encoded as consumer * max_arity + position.
  struct uses_list {
    std::array<std::size_t, size * max_arity> items{};
    std::size_t count = 0;
  };
  static constexpr uses_list uses_of(std::size_t i) {
    uses_list u;
    for (std::size_t j = i + 1; j < size; ++j)
      for (std::size_t k = 0; k < max_arity; ++k)
        if (operand_table[j][k] == i) u.items[u.count++] = j * max_arity + k;
    return u;
  }

  template <std::size_t I>
  struct adjoint;

  template <std::size_t Use>
  static constexpr auto sent_through() {
    constexpr std::size_t j = Use / max_arity, k = Use % max_arity;
    return sent_to<k, node_t<j>>::contribution(typename adjoint<j>::type{});
  }

  template <std::size_t I>
  struct adjoint {
    static constexpr auto sum_of_uses() {
      if constexpr (I + 1 == size) {
        return lit<1>{};  // d cost / d cost
      } else {
        constexpr uses_list uses = uses_of(I);
        return [&]<std::size_t... U>(std::index_sequence<U...>) {
          auto total = lit<0>{};
          return fold(total, sent_through<uses.items[U]>()...);
        }(std::make_index_sequence<uses.count>{});
      }
    }
    template <class Acc>
    static constexpr auto fold(Acc acc) { return acc; }
    template <class Acc, class First, class... Rest>
    static constexpr auto fold(Acc acc, First first, Rest... rest) { return fold(plus(acc, first), rest...); }

    using type = decltype(sum_of_uses());
  };

  // d cost / d x, shaped like x (zeros where the cost does not depend on x).
  template <class X>
  static constexpr auto gradient(X x) {
    if constexpr (!contains<X, nodes>::value) return broadcast_like(lit<0>{}, x);
    else {
      using g = typename adjoint<index_of<X, nodes>::value>::type;
      if constexpr (is_zero_v<g>) return broadcast_like(lit<0>{}, x);
      else if constexpr (rank_v<g> < rank_v<X>) return broadcast_like(g{}, x);
      else return g{};
    }
  }
};

}  // namespace ad

// grad(cost, x): d cost / d x, an expression shaped like x. grad(cost, a, x)
// gives a tuple of gradients for structured bindings.
template <expression Cost, expression... Wrt>
constexpr auto grad(Cost, Wrt... wrt) {
  static_assert(rank_v<Cost> == 0, "theon::grad: the cost must be a scalar (rank 0); reduce it with sum or mean, or use jacobian");
  static_assert((is_var_v<Wrt> && ...), "theon::grad: gradients are taken with respect to variables (theon::var) only");
  static_assert(sizeof...(Wrt) > 0, "theon::grad: name at least one variable to differentiate with respect to");
  if constexpr (rank_v<Cost> == 0 && (is_var_v<Wrt> && ...)) {
    if constexpr (sizeof...(Wrt) == 1) return ad::reverse<Cost>::gradient(wrt...);
    else return expr_list{ad::reverse<Cost>::gradient(wrt)...};
  }
}

// vjp(e, v, x): the vector-Jacobian product v^T (d e / d x), shaped like x.
template <expression E, expression V, expression X>
constexpr auto vjp(E e, V v, X x) {
  return grad(sum(e * v), x);
}

}  // namespace theon
