#pragma once
// + - * / pow and unary minus.
#include <cmath>
#include <tuple>

#include "theon/ops/op_base.hpp"

namespace theon {

// Infix printing: higher binds tighter.
enum class precedence : int { comparison = 1, additive = 2, multiplicative = 3, unary = 4 };

struct add_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "add";
  static constexpr const char* symbol = "+";
  static constexpr precedence binds = precedence::additive;
  static constexpr bool commutative = true;
  static constexpr rational fold(rational a, rational b) { return a + b; }
  static constexpr value_facts facts(value_facts a, value_facts b) {
    const bool positive = (a.positive && b.nonnegative) || (a.nonnegative && b.positive);
    return {.positive = positive, .nonnegative = a.nonnegative && b.nonnegative, .nonzero = positive};
  }
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a + b; }
  // d(a + b) = (1, 1)
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<1>{}, lit<1>{}}; }
};

struct sub_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "sub";
  static constexpr const char* symbol = "-";
  static constexpr precedence binds = precedence::additive;
  static constexpr rational fold(rational a, rational b) { return a - b; }
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a - b; }
  // d(a - b) = (1, -1)
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<1>{}, lit<-1>{}}; }
};

struct mul_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "mul";
  static constexpr const char* symbol = "*";
  static constexpr precedence binds = precedence::multiplicative;
  static constexpr bool commutative = true;
  static constexpr rational fold(rational a, rational b) { return a * b; }
  static constexpr value_facts facts(value_facts a, value_facts b) {
    return {.positive = a.positive && b.positive,
            .nonnegative = a.nonnegative && b.nonnegative,
            .nonzero = a.nonzero && b.nonzero};
  }
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a * b; }
  // d(a b) = (b, a)
  static constexpr auto partials(auto, auto a, auto b) { return expr_list{b, a}; }
};

// True division, as in Theano and NumPy: integers divide in double.
struct div_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "div";
  static constexpr const char* symbol = "/";
  static constexpr precedence binds = precedence::multiplicative;
  static constexpr rational fold(rational a, rational b) { return a / b; }
  static constexpr value_facts facts(value_facts a, value_facts b) { return mul_op::facts(a, b); }
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return a / b; }
  // d(a / b) = (1 / b, -(a / b) / b)
  static constexpr auto partials(auto out, auto, auto b) { return expr_list{lit<1>{} / b, -(out / b)}; }
};

struct neg_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "neg";
  static constexpr const char* symbol = "-";
  static constexpr precedence binds = precedence::unary;
  static constexpr rational fold(rational a) { return -a; }
  static constexpr value_facts facts(value_facts a) { return {.nonzero = a.nonzero, .integer = a.integer, .even = a.even}; }
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a) { return -a; }
  // d(-a) = -1
  static constexpr auto partials(auto, auto) { return expr_list{lit<-1>{}}; }
};

struct pow_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "pow";
  static constexpr bool cheap = false;
  // Exact for an integer exponent; a fractional power is irrational in general.
  static constexpr rational fold(rational a, rational b) { return b.den == 1 ? power(a, b.num) : rational{0, 1, false}; }
  // An even power is never negative; a power of a positive base is positive.
  static constexpr value_facts facts(value_facts a, value_facts b) {
    const bool positive = a.positive || (b.even && a.nonzero);
    return {.positive = positive, .nonnegative = a.nonnegative || b.even, .nonzero = positive || (a.nonzero && b.integer)};
  }
  THEON_HD_TEMPLATE(class T) static T eval(T a, T b) {
    using std::pow;
    return pow(a, b);
  }
  // d(a^b) = (b a^(b-1), a^b log a)
  static constexpr auto partials(auto out, auto a, auto b) {
    return expr_list{times(b, pow(a, minus_one(b))), times(out, log(a))};
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

namespace theon {

// Building derivatives: lit<0> stands for "no contribution" and vanishes
// when the expression is built, and multiplying by 1 or -1 adds no node.
template <class T>
concept is_zero_v = same_type<std::remove_cvref_t<T>, lit<0>>;

template <expression A, expression B>
constexpr auto plus(A a, B b) {
  if constexpr (is_zero_v<A>) return b;
  else if constexpr (is_zero_v<B>) return a;
  else return a + b;
}

template <expression A, expression B>
constexpr auto times(A a, B b) {
  if constexpr (is_zero_v<A> || is_zero_v<B>) return lit<0>{};
  else if constexpr (same_type<A, lit<1>>) return b;
  else if constexpr (same_type<B, lit<1>>) return a;
  else if constexpr (same_type<B, lit<-1>>) return -a;
  else if constexpr (same_type<A, lit<-1>>) return -b;
  else return a * b;
}

// b - 1, folded when b is a literal (the exponent in d pow(a, b) / da).
template <expression B>
constexpr auto minus_one(B b) {
  if constexpr (is_lit_v<B>) return lit<B::num - B::den, B::den>{};
  else return b - lit<1>{};
}

}  // namespace theon
