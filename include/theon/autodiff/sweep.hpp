#pragma once
// Jacobians and Hessians of vector variables: a sweep evaluates an inner
// expression (a Jacobian-vector or Hessian-vector product, with a direction
// variable) once per basis direction of x at run time and stacks the results.
// For scalar variables both stay symbolic (grad of grad, jvp).
#include "theon/autodiff/forward.hpp"
#include "theon/autodiff/reverse.hpp"

namespace theon {

// The direction of a sweep, named so that it cannot meet a user's variable.
template <class X>
using direction_t = var<"theon.direction", typename X::value_type, typename X::shape_type>;

// Rows indexed by x's elements, each shaped like the operand Y (read only for
// its shape); the remaining operands are the inputs the inner expression reads.
template <class Name, class Inner, class Direction>
struct sweep_op {
  using kind = sweep;
  using inner = Inner;
  using direction = Direction;
  static constexpr const char* name = Name::value;
  static constexpr std::size_t shape_only_operand = 0;
  static constexpr std::size_t printed_operands = 2;

  template <std::size_t RY, std::size_t RX, std::size_t... R>
  static constexpr auto shape(bool& ok, const extents<RY>& y, const extents<RX>& x, const extents<R>&...) {
    ok = true;
    extents<RX + RY> out{};
    for (std::size_t i = 0; i != RX; ++i) out[i] = x[i];
    for (std::size_t i = 0; i != RY; ++i) out[RX + i] = y[i];
    return out;
  }
  template <class Y, class X, class... Vars>
  static constexpr auto static_extents() {
    bool ok = true;
    return shape(ok, static_shape_t<Y>::extents, static_shape_t<X>::extents, static_shape_t<Vars>::extents...);
  }
  template <class Y, class X, class... Vars>
  using shape_type = shape_of_array<static_extents<Y, X, Vars...>()>;
  template <class... Args>
  using dtype = storage_t<dtype_t<Inner>>;
};

namespace ad {
struct jacobian_name {
  static constexpr const char* value = "jacobian";
};
struct hessian_name {
  static constexpr const char* value = "hessian";
};

template <class Direction, class Nodes>
struct inputs_besides;
template <class Direction, class... Nodes>
struct inputs_besides<Direction, type_list<Nodes...>> {
  template <class N>
  using keep = std::conditional_t<is_var_v<N> && !same_type<N, Direction>, type_list<N>, type_list<>>;
  using type = typename concat<keep<Nodes>...>::type;
};

// node<sweep_op<Name, Inner, D>, Y, X, inputs of Inner...>
template <class Name, class Inner, class D, class Y, class X>
constexpr auto make_sweep(Inner, Y, X) {
  return []<class... Vars>(type_list<Vars...>) {
    return make_node<sweep_op<Name, Inner, D>>(Y{}, X{}, Vars{}...);
  }(typename inputs_besides<D, unique_nodes_t<Inner>>::type{});
}
}  // namespace ad

// jacobian(y, x): the m x n matrix d y_i / d x_j for a vector y and a vector x
// (a vector when one of them is a scalar). Computed column by column with
// forward mode, one Jacobian-vector product per element of x.
template <expression Y, expression X>
constexpr auto jacobian(Y y, X x) {
  static_assert(is_var_v<X>, "theon::jacobian: the derivative is taken with respect to a variable (theon::var)");
  static_assert(rank_v<Y> <= 1 && rank_v<X> <= 1, "theon::jacobian: y and x must be scalars or vectors");
  if constexpr (rank_v<X> == 0) return jvp(y, x, lit<1>{});
  else if constexpr (rank_v<Y> == 0) return grad(y, x);
  else {
    using D = direction_t<X>;
    constexpr auto jvp_along = jvp(y, x, D{});
    return transpose(ad::make_sweep<ad::jacobian_name, std::remove_const_t<decltype(jvp_along)>, D, Y, X>(jvp_along, y, x));
  }
}

// hessian(cost, x): second derivatives of a scalar cost. Symbolic for a scalar
// x (grad of grad); for a vector x, one Hessian-vector product (forward mode
// over reverse mode) per element of x, giving the n x n matrix.
template <expression Cost, expression X>
constexpr auto hessian(Cost cost, X x) {
  static_assert(is_var_v<X>, "theon::hessian: the derivative is taken with respect to a variable (theon::var)");
  static_assert(rank_v<Cost> == 0, "theon::hessian: the cost must be a scalar (rank 0)");
  static_assert(rank_v<X> <= 1, "theon::hessian: x must be a scalar or a vector variable");
  if constexpr (rank_v<X> == 0) return grad(grad(cost, x), x);
  else {
    using D = direction_t<X>;
    constexpr auto hvp = jvp(grad(cost, x), x, D{});
    return ad::make_sweep<ad::hessian_name, std::remove_const_t<decltype(hvp)>, D, X, X>(hvp, x, x);
  }
}

}  // namespace theon
