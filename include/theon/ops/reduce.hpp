#pragma once
// Reductions over all elements or given axes, with keepdims: sum, mean, prod, max, min.
#include <limits>

#include "theon/ops/axes.hpp"
#include "theon/ops/compare.hpp"

namespace theon {

// What every reduction shares: which axes it removes and its shape rule.
template <bool Keep, std::size_t... Axes>
struct reduction_op {
  using kind = reduction;
  static constexpr bool keep = Keep;
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};

  static constexpr bool reduces(std::size_t axis) { return ((axis == Axes) || ...); }

  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& in) {
    ok = true;
    extents<Keep ? R : R - sizeof...(Axes)> out{};
    for (std::size_t i = 0, o = 0; i < R; ++i) {
      if (!reduces(i)) out[o++] = in[i];
      else if (Keep) out[o++] = 1;
    }
    return out;
  }

  template <class A>
  static constexpr auto static_extents() {
    bool ok = true;
    return shape(ok, static_shape_t<A>::extents);
  }
  template <class A>
  using shape_type = shape_of_array<static_extents<A>()>;

  // Number of elements combined into each result.
  template <std::size_t R>
  static constexpr std::size_t count(const extents<R>& in) {
    std::size_t n = 1;
    for (std::size_t i = 0; i < R; ++i) n *= reduces(i) ? in[i] : 1;
    return n;
  }
};

template <bool Keep, std::size_t... Axes>
struct sum_op : reduction_op<Keep, Axes...> {
  static constexpr const char* name = "sum";
  template <class A> using dtype = accumulate_t<arithmetic_t<dtype_t<A>>>;
  template <class T> static constexpr T identity() { return T(0); }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return a + b; }
};

template <bool Keep, std::size_t... Axes>
struct mean_op : reduction_op<Keep, Axes...> {
  static constexpr const char* name = "mean";
  template <class A> using dtype = floating_t<dtype_t<A>>;
  template <class T> static constexpr T identity() { return T(0); }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return a + b; }
  // The mean of no elements is NaN (0/0), as in NumPy.
  template <class T> static constexpr T finalize(T sum, std::size_t count) { return sum / static_cast<T>(count); }
};

template <bool Keep, std::size_t... Axes>
struct prod_op : reduction_op<Keep, Axes...> {
  static constexpr const char* name = "prod";
  template <class A> using dtype = accumulate_t<arithmetic_t<dtype_t<A>>>;
  template <class T> static constexpr T identity() { return T(1); }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return a * b; }
};

// max and min have no identity a user would want for an empty set: they throw.
template <bool Keep, std::size_t... Axes>
struct max_op : reduction_op<Keep, Axes...> {
  static constexpr const char* name = "max";
  static constexpr bool needs_elements = true;
  template <class A> using dtype = dtype_t<A>;
  template <class T> static constexpr T identity() {
    if constexpr (std::numeric_limits<T>::has_infinity) return -std::numeric_limits<T>::infinity();
    else return std::numeric_limits<T>::lowest();
  }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return maximum_op::eval(a, b); }
};

template <bool Keep, std::size_t... Axes>
struct min_op : reduction_op<Keep, Axes...> {
  static constexpr const char* name = "min";
  static constexpr bool needs_elements = true;
  template <class A> using dtype = dtype_t<A>;
  template <class T> static constexpr T identity() {
    if constexpr (std::numeric_limits<T>::has_infinity) return std::numeric_limits<T>::infinity();
    else return std::numeric_limits<T>::max();
  }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return minimum_op::eval(a, b); }
};

template <template <bool, std::size_t...> class Op, expression E, class... Options>
constexpr auto make_reduction(E e, Options...) {
  using op = decltype(op_for_options<Op, rank_v<E>, Options...>());
  if constexpr (!std::is_void_v<op>) return make_node<op>(e);
}

template <expression E, class... Options>
constexpr auto sum(E e, Options... o) { return make_reduction<sum_op>(e, o...); }
template <expression E, class... Options>
constexpr auto mean(E e, Options... o) { return make_reduction<mean_op>(e, o...); }
template <expression E, class... Options>
constexpr auto prod(E e, Options... o) { return make_reduction<prod_op>(e, o...); }
template <expression E, class... Options>
constexpr auto max(E e, Options... o) { return make_reduction<max_op>(e, o...); }
template <expression E, class... Options>
constexpr auto min(E e, Options... o) { return make_reduction<min_op>(e, o...); }

}  // namespace theon
