#pragma once
// Elementwise functions of one argument. Each eval serves scalars and SIMD
// batches alike: the std:: names serve scalars, and argument-dependent lookup
// finds the SIMD library's overloads for batches.
#include <cmath>
#include <tuple>

#include "theon/ops/op_base.hpp"

namespace theon {

struct exp_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "exp";
  static constexpr value_facts facts(value_facts) { return positive_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::exp; return exp(a); }
  static constexpr auto partials(auto out, auto) { return expr_list{out}; }  // d exp(a) = exp(a)
};

struct log_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "log";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::log; return log(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<1>{} / a}; }  // d log(a) = 1 / a
};

// log(1 + a), accurate for tiny a.
struct log1p_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "log1p";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::log1p; return log1p(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<1>{} / (a + lit<1>{})}; }  // 1 / (1 + a)
};

// exp(a) - 1, accurate for tiny a.
struct expm1_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "expm1";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::expm1; return expm1(a); }
  static constexpr auto partials(auto out, auto) { return expr_list{out + lit<1>{}}; }  // d expm1(a) = exp(a)
};

struct sqrt_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "sqrt";
  static constexpr value_facts facts(value_facts) { return nonnegative_value; }  // or NaN
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::sqrt; return sqrt(a); }
  static constexpr auto partials(auto out, auto) { return expr_list{lit<1, 2>{} / out}; }  // 1 / (2 sqrt(a))
};

struct square_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "square";
  static constexpr value_facts facts(value_facts) { return nonnegative_value; }
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a) { return a * a; }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<2>{} * a}; }  // d a^2 = 2 a
};

struct abs_op : elementwise_op<same_rule> {
  static constexpr const char* name = "abs";
  static constexpr value_facts facts(value_facts) { return nonnegative_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::abs; return abs(a); }
  // d|a| = sign(a): the subgradient 0 at a = 0.
  static constexpr auto partials(auto, auto a) { return expr_list{sign(a)}; }
};

// -1, 0 or 1; NaN stays NaN.
struct sign_op : elementwise_op<same_rule> {
  static constexpr const char* name = "sign";
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    const T zero(0);
    return select(is_nan(a), a, select(zero < a, T(1), select(a < zero, T(-1), zero)));
  }
  static constexpr auto partials(auto, auto) { return expr_list{lit<0>{}}; }  // flat almost everywhere
};

struct sin_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "sin";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::sin; return sin(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{cos(a)}; }
};

struct cos_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "cos";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::cos; return cos(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{-sin(a)}; }
};

struct tan_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "tan";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::tan; return tan(a); }
  static constexpr auto partials(auto out, auto) { return expr_list{lit<1>{} + out * out}; }  // 1 + tan^2
};

namespace constants {
// Literals for derivatives and rules, to double precision.
using two_over_sqrt_pi = lit<5641895835477563, 5000000000000000>;
using sqrt_pi_over_2 = lit<443113462726379, 500000000000000>;
using sqrt_two_over_pi = lit<3989422804014327, 5000000000000000>;  // sqrt(2 / pi)
using sqrt2 = lit<14142135623730951, 10000000000000000>;
using sqrt_half = lit<1767766952966369, 2500000000000000>;  // 1 / sqrt(2)
using ln2 = lit<6931471805599453, 10000000000000000>;
using ln10 = lit<1151292546497023, 500000000000000>;
}  // namespace constants

// The error function; the standard normal CDF is (1 + erf(a / sqrt 2)) / 2.
struct erf_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "erf";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::erf; return erf(a); }
  // d erf(a) = 2 / sqrt(pi) exp(-a^2)
  static constexpr auto partials(auto, auto a) { return expr_list{constants::two_over_sqrt_pi{} * exp(-square(a))}; }
};

struct tanh_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "tanh";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::tanh; return tanh(a); }
  static constexpr auto partials(auto out, auto) { return expr_list{lit<1>{} - out * out}; }  // 1 - tanh^2
};

// 1 / (1 + exp(-a)): exp overflowing to inf gives the correct limit 0.
struct sigmoid_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "sigmoid";
  static constexpr value_facts facts(value_facts) { return positive_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    using std::exp;
    return T(1) / (T(1) + exp(-a));
  }
  static constexpr auto partials(auto out, auto) { return expr_list{out * (lit<1>{} - out)}; }  // s (1 - s)
};

// log(1 + exp(a)) in the form that neither overflows for large a nor loses
// digits for very negative a: max(a, 0) + log1p(exp(-|a|)).
struct softplus_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "softplus";
  static constexpr value_facts facts(value_facts) { return positive_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    using std::abs, std::exp, std::log1p;
    const T zero(0);
    return select(zero < a, a, zero) + log1p(exp(-abs(a)));
  }
  // d softplus(a) = sigmoid(a): 1 at a = 1000, no overflow.
  static constexpr auto partials(auto, auto a) { return expr_list{sigmoid(a)}; }
};

// Conversion to dtype To (C++ conversion rules: truncation toward zero for integers).
template <dtype To>
struct cast_op : elementwise_op<same_rule> {
  static constexpr const char* name = "cast";
  template <class A> using dtype = To;
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a) { return a; }
  // 1 into a floating dtype; 0 into an integer or bool one (a step function).
  static constexpr auto partials(auto, auto) {
    if constexpr (std::is_floating_point_v<To>) return expr_list{lit<1>{}};
    else return expr_list{lit<0>{}};
  }
};

template <dtype To, expression A> constexpr auto cast(A a) { return make_node<cast_op<To>>(a); }
template <expression A> constexpr auto exp(A a) { return make_node<exp_op>(a); }
template <expression A> constexpr auto log(A a) { return make_node<log_op>(a); }
template <expression A> constexpr auto log1p(A a) { return make_node<log1p_op>(a); }
template <expression A> constexpr auto expm1(A a) { return make_node<expm1_op>(a); }
template <expression A> constexpr auto sqrt(A a) { return make_node<sqrt_op>(a); }
template <expression A> constexpr auto square(A a) { return make_node<square_op>(a); }
template <expression A> constexpr auto abs(A a) { return make_node<abs_op>(a); }
template <expression A> constexpr auto sign(A a) { return make_node<sign_op>(a); }
template <expression A> constexpr auto sin(A a) { return make_node<sin_op>(a); }
template <expression A> constexpr auto cos(A a) { return make_node<cos_op>(a); }
template <expression A> constexpr auto tan(A a) { return make_node<tan_op>(a); }
template <expression A> constexpr auto tanh(A a) { return make_node<tanh_op>(a); }
template <expression A> constexpr auto erf(A a) { return make_node<erf_op>(a); }
template <expression A> constexpr auto sigmoid(A a) { return make_node<sigmoid_op>(a); }
template <expression A> constexpr auto softplus(A a) { return make_node<softplus_op>(a); }

}  // namespace theon
