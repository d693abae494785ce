#pragma once
// The expression vocabulary. An expression's type is its graph: var<...>
// leaves, lit<...> constants and node<Op, Args...> operations. Every
// expression object is empty; two expressions are the same node exactly when
// their types are the same.
#include <concepts>
#include <memory>
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "theon/core/dtype.hpp"
#include "theon/core/fixed_string.hpp"
#include "theon/core/rational.hpp"
#include "theon/core/shape.hpp"
#include "theon/core/type_list.hpp"

// Loops over compile-time counts compare with zero in the instantiations
// where the count is zero; nvcc warns about each (warning 186) and prints
// whole expression types with it, which on gradient graphs takes minutes.
#if defined(__CUDACC__)
#pragma nv_diag_suppress 186
#endif

namespace theon {

template <class Op, class... Args>
struct node {
  // Basic indexing, as NumPy's (ops/subscript.hpp): e(theon::slice<1, -1>), e(theon::index<0>, theon::_).
  template <class... Items>
  constexpr auto operator()(Items... items) const {
    return subscript(*this, items...);
  }
};

// A value bound to the input variable Var for one call: `x = xs`. Writable:
// bound as a non-const lvalue, so an update (api/updates.hpp) may write it.
template <class Var, class Value, bool Writable = false>
struct binding {
  using variable = Var;
  using value_type = Value;
  static constexpr bool writable = Writable;
  const Value* value;
};

// A variable's name as a type, one character per template argument. nvcc
// writes the types of a translation unit back out as host code and cannot
// spell a string template argument there; characters it spells.
template <char... C>
struct name_chars {
  static constexpr fixed_string<sizeof...(C) + 1> value{std::array<char, sizeof...(C) + 1>{C..., '\0'}};
};
template <fixed_string Name>
struct name_chars_of {
  template <std::size_t N, char... Tail>
  struct spell {
    using type = typename spell<N - 1, Name.value[N - 1], Tail...>::type;
  };
  template <char... Tail>
  struct spell<0, Tail...> {
    using type = name_chars<Tail...>;
  };
  using type = typename spell<Name.view().size()>::type;
};

template <class Name, dtype T, class Shape>
struct variable {
  static constexpr auto name = Name::value;
  using value_type = T;
  using shape_type = Shape;

  // Binds a value to this variable for one call of a compiled function.
  template <class Value>
  constexpr binding<variable, Value> operator=(const Value& value) const {
    return {std::addressof(value)};  // xtensor views overload unary &
  }
  template <class Value>
    requires(!std::is_const_v<Value>)
  constexpr binding<variable, Value, true> operator=(Value& value) const {
    return {std::addressof(value)};
  }

  // Basic indexing, as NumPy's (ops/subscript.hpp): x(theon::slice<1, -1>), X(theon::index<0>, theon::_).
  template <class... Items>
  constexpr auto operator()(Items... items) const {
    return subscript(*this, items...);
  }
};

// The name of variable E as a type (its name_chars), or void for any other
// expression: names compared as types, with no function or variable template
// instantiated (and named) per node.
template <class E>
struct name_type_of {
  using type = void;
};
template <class Name, dtype T, class Shape>
struct name_type_of<variable<Name, T, Shape>> {
  using type = Name;
};
template <class E>
using name_type_t = typename name_type_of<E>::type;

// var<"x", double, shape<3>>: the variable named x.
template <fixed_string Name, dtype T = double, class Shape = shape<>>
using var = variable<typename name_chars_of<Name>::type, T, Shape>;

template <fixed_string Name, dtype T = double>
using scalar = var<Name, T, shape<>>;
template <fixed_string Name, dtype T = double>
using vector = var<Name, T, dyn_shape<1>>;
template <fixed_string Name, dtype T = double>
using matrix = var<Name, T, dyn_shape<2>>;
template <fixed_string Name, dtype T, std::size_t Rank>
using tensor = var<Name, T, dyn_shape<Rank>>;

// Detected by its members rather than by matching var<Name, ...>: deducing a
// class-type template argument in a partial specialisation trips some
// compilers' front ends (nvcc's among them).
template <class T>
concept is_var_v = requires {
  T::name;
  typename T::value_type;
  typename T::shape_type;
} && !is_lit_v<T>;

// Properties of expression types are concepts or class templates deriving
// from a shared constant, never variable templates: a variable instantiated
// with an expression type is a symbol named with that type, and g++ takes
// time superlinear in a type's depth to name it.
template <class T>
struct is_node : std::false_type {};
template <class Op, class... Args>
struct is_node<node<Op, Args...>> : std::true_type {};
template <class T>
concept is_node_v = is_node<T>::value;

template <class E>
concept expression = is_var_v<std::remove_cvref_t<E>> || is_lit_v<std::remove_cvref_t<E>> ||
                     is_node_v<std::remove_cvref_t<E>>;

// What every expression type knows about itself: its static shape and dtype.
template <class E>
struct expr_traits;

template <class V>
  requires is_var_v<V>
struct expr_traits<V> {
  using shape_type = typename V::shape_type;
  using dtype = typename V::value_type;
};

template <std::intmax_t Num, std::intmax_t Den>
struct expr_traits<lit<Num, Den>> {
  using shape_type = shape<>;
  using dtype = typename lit<Num, Den>::dtype;
};

template <class Op, class... Args>
struct expr_traits<node<Op, Args...>> {
  using shape_type = typename Op::template shape_type<Args...>;
  using dtype = typename Op::template dtype<Args...>;
};

template <class E>
using static_shape_t = typename expr_traits<std::remove_cvref_t<E>>::shape_type;
template <class E>
using dtype_t = typename expr_traits<std::remove_cvref_t<E>>::dtype;
template <class E>
inline constexpr std::size_t rank_v = static_shape_t<E>::rank;

// The op of a node (void for leaves), and whether E is a node of Op.
template <class E>
struct node_op {
  using type = void;
};
template <class Op, class... Args>
struct node_op<node<Op, Args...>> {
  using type = Op;
};
template <class E>
using node_op_t = typename node_op<E>::type;
template <class E, class Op>
concept is_op_v = std::is_same<node_op_t<E>, Op>::value;

// Operands of a node, as a type list.
template <class E>
struct operands {
  using type = type_list<>;
};
template <class Op, class... Args>
struct operands<node<Op, Args...>> {
  using type = type_list<Args...>;
};

// Expressions held by type alone: an op's partial derivatives, one per
// operand, and the tangents of a node's operands. std::tuple would hold them
// too, but the constraints on its element-wise constructor make g++ 12 spend
// time exponential in the depth of shared subexpressions (each adjoint in a
// chain of shared steps is used twice by the next).
template <class... Es>
struct expr_list {
  constexpr expr_list() = default;
  constexpr expr_list(Es...) {}
};
template <class... Es>
expr_list(Es...) -> expr_list<Es...>;

template <std::size_t K, class... Es>
constexpr auto get(expr_list<Es...>) {
  return typename type_at<K, type_list<Es...>>::type{};
}

}  // namespace theon

// grad(cost, a, b) returns an expr_list: auto [ga, gb] = grad(cost, a, b).
template <class... Es>
struct std::tuple_size<theon::expr_list<Es...>> : std::integral_constant<std::size_t, sizeof...(Es)> {};
template <std::size_t K, class... Es>
struct std::tuple_element<K, theon::expr_list<Es...>> : theon::type_at<K, theon::type_list<Es...>> {};

namespace theon {

template <class T>
struct dependent_false : std::false_type {};

}  // namespace theon
