#pragma once
// Comparisons, choices and bounds: < <= > >= == !=, where, maximum, minimum, clip.
#include "theon/ops/arithmetic.hpp"

namespace theon {

struct less_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "less";
  static constexpr const char* symbol = "<";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a < b; }
};
struct less_equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "less_equal";
  static constexpr const char* symbol = "<=";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a <= b; }
};
struct greater_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "greater";
  static constexpr const char* symbol = ">";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a > b; }
};
struct greater_equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "greater_equal";
  static constexpr const char* symbol = ">=";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a >= b; }
};
struct equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "equal";
  static constexpr const char* symbol = "==";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a == b; }
};
struct not_equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "not_equal";
  static constexpr const char* symbol = "!=";
  static constexpr precedence binds = precedence::comparison;
  // !(a == b), not a != b: IEEE makes NaN unequal to everything, and xsimd's
  // AVX-512 != is an ordered compare that says otherwise.
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return !(a == b); }
};

template <class A, class B> requires operand_pair<A, B>
constexpr auto operator<(A a, B b) { return make_binary<less_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator<=(A a, B b) { return make_binary<less_equal_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator>(A a, B b) { return make_binary<greater_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator>=(A a, B b) { return make_binary<greater_equal_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator==(A a, B b) { return make_binary<equal_op>(a, b); }
template <class A, class B> requires operand_pair<A, B>
constexpr auto operator!=(A a, B b) { return make_binary<not_equal_op>(a, b); }

// where(cond, a, b): a where cond holds, else b.
struct where_op : elementwise_op<select_rule> {
  static constexpr const char* name = "where";
  template <class C, class A, class B>
  static constexpr void check() {
    static_assert(std::is_same_v<dtype_t<C>, bool>,
                  "theon::where: the condition must be a boolean expression, such as x > 0_c");
  }
  THEON_HD_TEMPLATE(class C, class T) static constexpr T eval(C cond, T a, T b) { return select(cond, a, b); }
};

// The larger of a and b; NaN in either gives NaN, as NumPy's maximum does.
struct maximum_op : elementwise_op<same_rule> {
  static constexpr const char* name = "maximum";
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return select((b < a) | is_nan(a), a, b); }
};

// The smaller of a and b; NaN in either gives NaN.
struct minimum_op : elementwise_op<same_rule> {
  static constexpr const char* name = "minimum";
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return select((a < b) | is_nan(a), a, b); }
};

// clip(x, lo, hi) = minimum(maximum(x, lo), hi).
struct clip_op : elementwise_op<same_rule> {
  static constexpr const char* name = "clip";
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T x, T lo, T hi) {
    return minimum_op::eval(maximum_op::eval(x, lo), hi);
  }
};

template <expression C, operand A, operand B>
constexpr auto where(C c, A a, B b) { return make_checked<where_op>(c, a, b); }
template <operand A, operand B>
constexpr auto maximum(A a, B b) { return make_checked<maximum_op>(a, b); }
template <operand A, operand B>
constexpr auto minimum(A a, B b) { return make_checked<minimum_op>(a, b); }
template <expression X, operand Lo, operand Hi>
constexpr auto clip(X x, Lo lo, Hi hi) { return make_checked<clip_op>(x, lo, hi); }

}  // namespace theon
