#pragma once
// Comparisons, choices and bounds: < <= > >= == !=, where, maximum, minimum, clip.
#include "theon/ops/arithmetic.hpp"

namespace theon {

struct less_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "less";
  static constexpr const char* symbol = "<";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a < b; }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }  // piecewise constant
};
struct less_equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "less_equal";
  static constexpr const char* symbol = "<=";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a <= b; }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }  // piecewise constant
};
struct greater_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "greater";
  static constexpr const char* symbol = ">";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a > b; }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }  // piecewise constant
};
struct greater_equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "greater_equal";
  static constexpr const char* symbol = ">=";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a >= b; }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }  // piecewise constant
};
struct equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "equal";
  static constexpr const char* symbol = "==";
  static constexpr precedence binds = precedence::comparison;
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return a == b; }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }  // piecewise constant
};
struct not_equal_op : elementwise_op<compare_rule> {
  static constexpr const char* name = "not_equal";
  static constexpr const char* symbol = "!=";
  static constexpr precedence binds = precedence::comparison;
  // !(a == b), not a != b: IEEE makes NaN unequal to everything, and xsimd's
  // AVX-512 != is an ordered compare that says otherwise.
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a, T b) { return !(a == b); }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }  // piecewise constant
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
    static_assert(same_type<dtype_t<C>, bool>,
                  "theon::where: the condition must be a boolean expression, such as x > 0_c");
  }
  THEON_HD_TEMPLATE(class C, class T) static constexpr T eval(C cond, T a, T b) { return select(cond, a, b); }
  // The adjoint flows to the branch that was taken; the condition has none.
  template <std::size_t K> static constexpr auto vjp(auto g, auto, auto c, auto, auto) {
    if constexpr (K == 0) return lit<0>{};
    else if constexpr (K == 1) return where(c, g, lit<0>{});
    else return where(c, lit<0>{}, g);
  }
  static constexpr auto jvp(auto, auto t, auto c, auto, auto) { return where(c, get<1>(t), get<2>(t)); }
};

// The larger of a and b; NaN in either gives NaN, as NumPy's maximum does.
struct maximum_op : elementwise_op<same_rule> {
  static constexpr const char* name = "maximum";
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return select((b < a) | is_nan(a), a, b); }
  // The adjoint flows to the larger operand; a tie gives it all to a.
  template <std::size_t K> static constexpr auto vjp(auto g, auto, auto a, auto b) {
    if constexpr (K == 0) return where(a >= b, g, lit<0>{});
    else return where(a >= b, lit<0>{}, g);
  }
  static constexpr auto jvp(auto, auto t, auto a, auto b) { return where(a >= b, get<0>(t), get<1>(t)); }
};

// The smaller of a and b; NaN in either gives NaN.
struct minimum_op : elementwise_op<same_rule> {
  static constexpr const char* name = "minimum";
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T a, T b) { return select((a < b) | is_nan(a), a, b); }
  // The adjoint flows to the smaller operand; a tie gives it all to a.
  template <std::size_t K> static constexpr auto vjp(auto g, auto, auto a, auto b) {
    if constexpr (K == 0) return where(a <= b, g, lit<0>{});
    else return where(a <= b, lit<0>{}, g);
  }
  static constexpr auto jvp(auto, auto t, auto a, auto b) { return where(a <= b, get<0>(t), get<1>(t)); }
};

// clip(x, lo, hi) = minimum(maximum(x, lo), hi).
struct clip_op : elementwise_op<same_rule> {
  static constexpr const char* name = "clip";
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T x, T lo, T hi) {
    return minimum_op::eval(maximum_op::eval(x, lo), hi);
  }
  // Inside [lo, hi] the adjoint flows to x; below to lo, above to hi.
  template <std::size_t K> static constexpr auto vjp(auto g, auto, auto x, auto lo, auto hi) {
    if constexpr (K == 0) return where(x < lo, lit<0>{}, where(hi < x, lit<0>{}, g));
    else if constexpr (K == 1) return where(x < lo, g, lit<0>{});
    else return where(hi < x, g, lit<0>{});
  }
  static constexpr auto jvp(auto, auto t, auto x, auto lo, auto hi) {
    return where(x < lo, get<1>(t), where(hi < x, get<2>(t), get<0>(t)));
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
