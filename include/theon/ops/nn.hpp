#pragma once
// softmax, log_softmax and logsumexp, lowered to their numerically stable forms:
// the maximum is subtracted before exponentiating, so exp never overflows.
#include "theon/ops/linalg.hpp"
#include "theon/ops/math.hpp"
#include "theon/ops/reduce.hpp"

namespace theon {

// softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m), m = max_j x_j, along Axis.
template <std::size_t Axis>
struct softmax_op : composite_op<softmax_op<Axis>> {
  static constexpr const char* name = "softmax";
  static constexpr std::array<std::size_t, 1> axes{Axis};
  template <class X>
  static constexpr auto lower(X x) {
    constexpr auto e = exp(x - make_node<max_op<true, Axis>>(x));
    return e / make_node<sum_op<true, Axis>>(e);
  }
  // With s = softmax(x): ds = s (dx - sum(s dx)), and the adjoint s (g - sum(g s)).
  static constexpr auto vjp(auto g, auto s, auto) { return s * (g - make_node<sum_op<true, Axis>>(g * s)); }
  static constexpr auto jvp(auto s, auto t, auto) {
    return s * (get<0>(t) - make_node<sum_op<true, Axis>>(s * get<0>(t)));
  }
};

// log_softmax(x)_i = (x_i - m) - log(sum_j exp(x_j - m)).
template <std::size_t Axis>
struct log_softmax_op : composite_op<log_softmax_op<Axis>> {
  static constexpr const char* name = "log_softmax";
  static constexpr std::array<std::size_t, 1> axes{Axis};
  template <class X>
  static constexpr auto lower(X x) {
    constexpr auto shifted = x - make_node<max_op<true, Axis>>(x);
    return shifted - log(make_node<sum_op<true, Axis>>(exp(shifted)));
  }
  // With l = log_softmax(x), exp(l) is the softmax: dl = dx - sum(exp(l) dx).
  static constexpr auto vjp(auto g, auto l, auto) { return g - exp(l) * make_node<sum_op<true, Axis>>(g); }
  static constexpr auto jvp(auto l, auto t, auto) {
    return get<0>(t) - make_node<sum_op<true, Axis>>(exp(l) * get<0>(t));
  }
};

// logsumexp(x) = m + log(sum exp(x - m)) over the given axes.
template <bool Keep, std::size_t... Axes>
struct logsumexp_op : composite_op<logsumexp_op<Keep, Axes...>> {
  static constexpr const char* name = "logsumexp";
  static constexpr bool keep = Keep;
  static constexpr std::array<std::size_t, sizeof...(Axes)> axes{Axes...};
  template <class X>
  static constexpr auto lower(X x) {
    constexpr auto m = make_node<max_op<true, Axes...>>(x);
    constexpr auto kept = log(make_node<sum_op<true, Axes...>>(exp(x - m))) + m;
    if constexpr (Keep) return kept;
    else return make_node<squeeze_op<Axes...>>(kept);
  }
  // d logsumexp = sum(p dx) with p = exp(x - logsumexp(x)), the softmax over the
  // axes: bounded by 1, so the gradient stays finite for any x.
  static constexpr auto weights(auto out, auto x) {
    if constexpr (Keep) return exp(x - out);
    else return exp(x - expand_dims_at<Axes...>(out));
  }
  static constexpr auto vjp(auto g, auto out, auto x) {
    if constexpr (Keep) return broadcast_like(g, x) * weights(out, x);
    else return broadcast_like(expand_dims_at<Axes...>(g), x) * weights(out, x);
  }
  static constexpr auto jvp(auto out, auto t, auto x) {
    return make_node<sum_op<Keep, Axes...>>(weights(out, x) * get<0>(t));
  }
};

// Builds Op<axis> for softmax-like ops that work along one axis.
template <template <std::size_t> class Op, int Axis, expression X>
constexpr auto make_along_axis(X x) {
  constexpr int rank = static_cast<int>(rank_v<X>);
  static_assert(Axis >= -rank && Axis < rank, "theon: softmax axis is out of range for the rank of its operand");
  if constexpr (Axis >= -rank && Axis < rank) return make_node<Op<static_cast<std::size_t>(Axis < 0 ? Axis + rank : Axis)>>(x);
}

template <expression X, int Axis = -1>
constexpr auto softmax(X x, axes_t<Axis> = {}) {
  static_assert(rank_v<X> >= 1, "theon::softmax: the operand must have at least one axis");
  if constexpr (rank_v<X> >= 1) return make_along_axis<softmax_op, Axis>(x);
}
template <expression X, int Axis = -1>
constexpr auto log_softmax(X x, axes_t<Axis> = {}) {
  static_assert(rank_v<X> >= 1, "theon::log_softmax: the operand must have at least one axis");
  if constexpr (rank_v<X> >= 1) return make_along_axis<log_softmax_op, Axis>(x);
}
template <expression X, class... Options>
constexpr auto logsumexp(X x, Options... o) { return make_reduction<logsumexp_op>(x, o...); }

}  // namespace theon
