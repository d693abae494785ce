#pragma once
// Reductions over all elements or given axes, with keepdims: sum, mean, prod, max, min.
#include <limits>

#include "theon/ops/axes.hpp"
#include "theon/ops/broadcast.hpp"
#include "theon/ops/compare.hpp"
#include "theon/ops/linalg.hpp"

namespace theon {

template <bool Keep, std::size_t... Axes>
struct sum_op;

// What every reduction shares: which axes it removes, its shape rule, and the
// shape algebra its derivative rules are written with.
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

  // g with the reduced axes put back as extent 1 (the keepdims form).
  static constexpr auto with_kept_dims(auto g) {
    if constexpr (Keep) return g;
    else return expand_dims_at<Axes...>(g);
  }
  // The adjoint of a reduction's result, spread back over its operand's shape.
  static constexpr auto spread(auto g, auto x) { return broadcast_like(with_kept_dims(g), x); }
  // The sum over the reduced axes, keeping them (the shape results are compared in).
  static constexpr auto kept_sum(auto e) { return make_node<sum_op<true, Axes...>>(e); }
  // The sum over the reduced axes, as this reduction shapes its result.
  static constexpr auto same_sum(auto e) { return make_node<sum_op<Keep, Axes...>>(e); }
  // Where x equals the result: the elements a max or min picked, ties included.
  static constexpr auto picked(auto out, auto x) { return x == with_kept_dims(out); }

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
  static constexpr auto vjp(auto g, auto, auto x) { return reduction_op<Keep, Axes...>::spread(g, x); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<sum_op>(get<0>(t)); }
};

template <class Op>
inline constexpr bool is_sum_v = false;
template <bool Keep, std::size_t... Axes>
inline constexpr bool is_sum_v<sum_op<Keep, Axes...>> = true;

template <bool Keep, std::size_t... Axes>
struct mean_op : reduction_op<Keep, Axes...> {
  static constexpr const char* name = "mean";
  template <class A> using dtype = floating_t<dtype_t<A>>;
  template <class T> static constexpr T identity() { return T(0); }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return a + b; }
  // The mean of no elements is NaN (0/0), as in NumPy.
  template <class T> static constexpr T finalize(T sum, std::size_t count) { return sum / static_cast<T>(count); }
  // Each element gets g / n, n the number of elements averaged (read from x's
  // shape). The division is done on g's shape, before g is spread over x's.
  static constexpr auto vjp(auto g, auto, auto x) {
    using base = reduction_op<Keep, Axes...>;
    return base::spread(g / base::same_sum(broadcast_like(lit<1>{}, x)), x);
  }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<mean_op>(get<0>(t)); }
};

template <bool Keep, std::size_t... Axes>
struct prod_op : reduction_op<Keep, Axes...> {
  static constexpr const char* name = "prod";
  template <class A> using dtype = accumulate_t<arithmetic_t<dtype_t<A>>>;
  template <class T> static constexpr T identity() { return T(1); }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return a * b; }
  // d prod / d x_i is the product of the other elements: prod / x_i without zeros,
  // the product of the nonzero elements at the one zero, and 0 with two zeros.
  static constexpr auto local_derivative(auto out, auto x) {
    using base = reduction_op<Keep, Axes...>;
    const auto zero_here = x == lit<0>{};
    const auto zeros = base::kept_sum(where(zero_here, lit<1>{}, lit<0>{}));
    const auto nonzero_product = make_node<prod_op<true, Axes...>>(where(zero_here, lit<1>{}, x));
    return where(zeros == lit<0>{}, base::with_kept_dims(out) / x,
                 where(zeros == lit<1>{}, where(zero_here, nonzero_product, lit<0>{}), lit<0>{}));
  }
  static constexpr auto vjp(auto g, auto out, auto x) {
    return reduction_op<Keep, Axes...>::spread(g, x) * local_derivative(out, x);
  }
  static constexpr auto jvp(auto out, auto t, auto x) {
    return reduction_op<Keep, Axes...>::same_sum(local_derivative(out, x) * get<0>(t));
  }
};

// max and min: reductions that pick an element. They have no identity a user
// would want for an empty set, so an empty axis throws. The adjoint is shared
// equally by the elements that tie for the picked value.
template <bool Keep, std::size_t... Axes>
struct selection_op : reduction_op<Keep, Axes...> {
  using base = reduction_op<Keep, Axes...>;
  static constexpr bool needs_elements = true;
  template <class A> using dtype = dtype_t<A>;

  static constexpr auto share(auto out, auto x) {
    const auto picked = base::picked(out, x);
    return where(picked, lit<1>{} / base::kept_sum(where(picked, lit<1>{}, lit<0>{})), lit<0>{});
  }
  static constexpr auto vjp(auto g, auto out, auto x) { return base::spread(g, x) * share(out, x); }
  static constexpr auto jvp(auto out, auto t, auto x) { return base::same_sum(share(out, x) * get<0>(t)); }
};

template <bool Keep, std::size_t... Axes>
struct max_op : selection_op<Keep, Axes...> {
  static constexpr const char* name = "max";
  template <class T> static constexpr T identity() {
    if constexpr (std::numeric_limits<T>::has_infinity) return -std::numeric_limits<T>::infinity();
    else return std::numeric_limits<T>::lowest();
  }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return maximum_op::eval(a, b); }
};

template <bool Keep, std::size_t... Axes>
struct min_op : selection_op<Keep, Axes...> {
  static constexpr const char* name = "min";
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
