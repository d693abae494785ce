#pragma once
// + - * / pow and unary minus.
#include <cmath>

#include "theon/ops/op_base.hpp"

namespace theon {

// Infix printing: higher binds tighter.
enum class precedence : int { comparison = 1, additive = 2, multiplicative = 3, unary = 4 };

struct add_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "add";
  static constexpr const char* symbol = "+";
  static constexpr precedence binds = precedence::additive;
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a + b; }
};

struct sub_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "sub";
  static constexpr const char* symbol = "-";
  static constexpr precedence binds = precedence::additive;
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a - b; }
};

struct mul_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "mul";
  static constexpr const char* symbol = "*";
  static constexpr precedence binds = precedence::multiplicative;
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a * b; }
};

// True division, as in Theano and NumPy: integers divide in double.
struct div_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "div";
  static constexpr const char* symbol = "/";
  static constexpr precedence binds = precedence::multiplicative;
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a / b; }
};

struct neg_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "neg";
  static constexpr const char* symbol = "-";
  static constexpr precedence binds = precedence::unary;
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a) { return -a; }
};

struct pow_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "pow";
  THEON_HD_TEMPLATE(class T) static T eval(T a, T b) {
    using std::pow;
    return pow(a, b);
  }
};

// Operands of the operators and functions: expressions only. A plain number
// would have to be stored in the (empty) expression object, so it is refused
// with a sentence, on the line that wrote it.
template <class T>
concept operand = expression<T> || std::is_arithmetic_v<T>;
template <class A, class B>
concept operand_pair = operand<A> && operand<B> && (expression<A> || expression<B>);

template <class Op, operand... Args>
constexpr auto make_checked(Args... args) {
  static_assert((expression<Args> && ...),
                "theon: a plain number cannot appear in an expression; write it as an exact literal (2_c, 0.5_c, 1e-3_c) "
                "or bind it at run time through a theon::scalar variable");
  if constexpr ((expression<Args> && ...)) return make_node<Op>(args...);
}

template <class Op, class A, class B>
constexpr auto make_binary(A a, B b) { return make_checked<Op>(a, b); }

template <class A, class B> requires operand_pair<A, B>
constexpr auto operator+(A a, B b) { return make_binary<add_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator-(A a, B b) { return make_binary<sub_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator*(A a, B b) { return make_binary<mul_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator/(A a, B b) { return make_binary<div_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto pow(A a, B b) { return make_binary<pow_op>(a, b); }

template <expression A>
constexpr auto operator-(A a) {
  // -2_c is the literal -2 itself, not an operation on 2.
  if constexpr (is_lit_v<A>) return lit<-A::num, A::den>{};
  else return make_node<neg_op>(a);
}

}  // namespace theon
