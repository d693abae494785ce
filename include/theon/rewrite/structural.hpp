#pragma once
// Rules that a single pattern cannot say: they depend on reduction axes,
// permutations, dtypes or integer exponents. Each is a struct whose apply(E)
// returns the rewrite of E or no_match, like a rule() built from a pattern.
#include "theon/ops/linalg.hpp"
#include "theon/ops/nn.hpp"
#include "theon/ops/reduce.hpp"
#include "theon/rewrite/canonical.hpp"

namespace theon {

// Exact arithmetic on literals: pow(2, 3) -> 8 (+ - * / are folded with their sums and products).
struct fold_constants {
  template <class E>
  static constexpr auto apply(E) {
    if constexpr (!is_node_v<E>) return no_match{};
    else {
      return []<class Op, class... Args>(node<Op, Args...>*) {
        using folded = decltype(build_node<Op, Args...>());
        if constexpr (is_lit_v<folded>) return folded{};
        else return no_match{};
      }(static_cast<E*>(nullptr));
    }
  }
};

// cast<T>(x) where x is already a T: no conversion happens.
struct cast_to_same_dtype {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <dtype To, class A>
    requires same_type<dtype_t<A>, To>
  static constexpr auto apply(node<cast_op<To>, A>) { return hold(A{}); }
};

// The simplest expression with exactly S's run-time shape, read off the graph:
// an elementwise node whose operands of rank > 0 all have one shape source has
// that source's shape (scalars never enlarge a broadcast), so x stands for
// -0.5 * (x - mu) * (x - mu) / sigma. Two expressions with one shape source
// have equal shapes at run time.
template <class S>
struct shape_source {
  using type = S;
};
template <class Op, class... Args>
  requires(same_type<typename Op::kind, elementwise> && ((rank_v<Args> > 0) || ...))
struct shape_source<node<Op, Args...>> {
  template <class A>
  using source_if_shaped = std::conditional_t<(rank_v<A> > 0), type_list<typename shape_source<A>::type>, type_list<>>;
  template <class... Ss>
  static constexpr auto common(type_list<Ss...>) {
    using first = typename type_at<0, type_list<Ss...>>::type;
    if constexpr ((same_type<Ss, first> && ...)) return std::type_identity<first>{};
    else return std::type_identity<node<Op, Args...>>{};
  }
  using type = typename decltype(common(typename concat<source_if_shaped<Args>...>::type{}))::type;
};
template <class T>
struct shape_source<kept_whole<T>> : shape_source<T> {};
template <class S>
using shape_source_t = typename shape_source<S>::type;

// shaped_like(g, x) -> g where the run-time shape check it stands for cannot
// fail: both static shapes are the same and fully known (scalars above all),
// or the graph shows g and x have one shape source (shaped_like(x, x * x)).
struct static_shape_check {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <class G, class X>
    requires((same_type<static_shape_t<G>, static_shape_t<X>> && static_shape_t<G>::is_static) ||
             same_type<shape_source_t<G>, shape_source_t<X>>)
  static constexpr auto apply(node<shaped_like_op, G, X>) {
    return hold(G{});
  }
};

// f(broadcast_like(k, s)) -> broadcast_like(f(k), s) for a literal k and an
// elementwise f: the function of a repeated constant is its repeated value,
// which the literal rules can then fold (exp(x - x) -> 1 of x's shape).
struct function_of_repeated_constant {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <class Op, class K, class S>
    requires(same_type<typename Op::kind, elementwise> && is_lit_v<K>)
  static constexpr auto apply(node<Op, node<broadcast_like_op, K, S>>) {
    return node<broadcast_like_op, node<Op, K>, decltype(hold(S{}))>{};
  }
};

// ------------------------------------------------------- repeated constants

// broadcast_like(g, s), sum_to(g, s) and shaped_like(g, s) read s for its
// shape only: its shape source serves (and the rules below can then see that
// two operands have one shape).
struct simpler_shape_operand {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <class Op, class G, class S>
    requires((same_type<Op, broadcast_like_op> || same_type<Op, sum_to_op> ||
              same_type<Op, shaped_like_op>) && !same_type<shape_source_t<S>, S>)
  static constexpr auto apply(node<Op, G, S>) {
    return node<Op, decltype(hold(G{})), decltype(hold(shape_source_t<S>{}))>{};
  }
};

// k repeated over s, met by y of exactly s's shape (or s a scalar, which
// never enlarges a broadcast): the literal k itself
// (broadcast_like(-1, x) * (x - mu) -> -1 * (x - mu)), and no array of k's.
struct repeated_constant_operand {
  template <class X, class Y>
  static constexpr bool repeats_over_shape_of() {
    if constexpr (is_repeated_literal_v<X>) {
      using s = typename type_at<1, typename operands<X>::type>::type;
      return rank_v<s> == 0 || same_type<shape_source_t<s>, shape_source_t<Y>>;
    } else {
      return false;
    }
  }
  template <class X>
  using constant_of = typename type_at<0, typename operands<X>::type>::type;

  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <class Op, class X, class Y>
    requires((same_type<Op, mul_op> || same_type<Op, div_op> || same_type<Op, add_op> ||
              same_type<Op, sub_op>) &&
             (repeats_over_shape_of<X, Y>() || repeats_over_shape_of<Y, X>()))
  static constexpr auto apply(node<Op, X, Y>) {
    if constexpr (repeats_over_shape_of<X, Y>()) return node<Op, constant_of<X>, decltype(hold(Y{}))>{};
    else return node<Op, decltype(hold(X{})), constant_of<Y>>{};
  }
};

// ----------------------------------------------------------------- reductions

template <class E>
inline constexpr bool is_reduction_node_v = false;
template <template <bool, std::size_t...> class Op, bool K, std::size_t... Ax, class X>
inline constexpr bool is_reduction_node_v<node<Op<K, Ax...>, X>> =
    std::is_base_of_v<reduction_op<K, Ax...>, Op<K, Ax...>>;

// sum over axes B, then over axes A of what is left: one sum over both.
// Both keep their axes (the numbering is the same), or neither does (A is
// renumbered onto the operand's axes), or the outer sum drops every axis the
// inner one kept.
struct merge_nested_sums {
  template <class E>
  static constexpr no_match apply(E) { return {}; }

  template <bool Outer, std::size_t... A, bool Inner, std::size_t... B, class X>
  static constexpr auto apply(node<sum_op<Outer, A...>, node<sum_op<Inner, B...>, X>>) {
    constexpr auto axes = [] {
      constexpr std::size_t rank = rank_v<X>;
      std::array<bool, rank> reduced{};
      ((reduced[B] = true), ...);
      if constexpr (Inner) {
        ((reduced[A] = true), ...);
      } else {
        std::array<std::size_t, rank> original{};  // axis i of the inner result is axis original[i] of X
        for (std::size_t i = 0, o = 0; i < rank; ++i)
          if (!reduced[i]) original[o++] = i;
        std::array<bool, rank> outer{};
        ((outer[original[A]] = true), ...);
        for (std::size_t i = 0; i < rank; ++i) reduced[i] = reduced[i] || outer[i];
      }
      struct result {
        std::array<std::size_t, rank> list{};
        std::size_t count = 0;
      } r;
      for (std::size_t i = 0; i < rank; ++i)
        if (reduced[i]) r.list[r.count++] = i;
      return r;
    }();
    constexpr bool inner_axes_dropped_too = [] {
      constexpr std::array<std::size_t, sizeof...(A)> outer{A...};
      for (std::size_t b : std::array<std::size_t, sizeof...(B)>{B...})
        if (std::find(outer.begin(), outer.end(), b) == outer.end()) return false;
      return true;
    }();
    constexpr bool outer_drops_kept = Inner && !Outer && inner_axes_dropped_too;
    if constexpr (Inner != Outer && !outer_drops_kept) return no_match{};
    else {
      return [&]<std::size_t... I>(std::index_sequence<I...>) {
        return node<sum_op<Outer, axes.list[I]...>, decltype(hold(X{}))>{};
      }(std::make_index_sequence<axes.count>{});
    }
  }
};

// Sums and means: linear reductions, which scalar factors and terms leave.
template <class Reduction>
inline constexpr bool sums_or_averages_v = false;
template <bool K, std::size_t... Ax>
inline constexpr bool sums_or_averages_v<sum_op<K, Ax...>> = true;
template <bool K, std::size_t... Ax>
inline constexpr bool sums_or_averages_v<mean_op<K, Ax...>> = true;

// sum(k * x) -> k * sum(x) and sum(x / k) -> sum(x) / k for a scalar k: one
// multiplication instead of one per element. The same for mean.
struct scalar_out_of_sum {
  template <class E>
  static constexpr no_match apply(E) { return {}; }

  template <template <bool, std::size_t...> class Op, bool K, std::size_t... Ax, class A, class B>
    requires sums_or_averages_v<Op<K, Ax...>>
  static constexpr auto apply(node<Op<K, Ax...>, node<mul_op, A, B>>) {
    if constexpr (rank_v<A> == 0 && rank_v<B> > 0) return node<mul_op, decltype(hold(A{})), node<Op<K, Ax...>, decltype(hold(B{}))>>{};
    else if constexpr (rank_v<B> == 0 && rank_v<A> > 0) return node<mul_op, decltype(hold(B{})), node<Op<K, Ax...>, decltype(hold(A{}))>>{};
    else return no_match{};
  }
  template <template <bool, std::size_t...> class Op, bool K, std::size_t... Ax, class A, class B>
    requires sums_or_averages_v<Op<K, Ax...>>
  static constexpr auto apply(node<Op<K, Ax...>, node<div_op, A, B>>) {
    if constexpr (rank_v<B> == 0 && rank_v<A> > 0) return node<div_op, node<Op<K, Ax...>, decltype(hold(A{}))>, decltype(hold(B{}))>{};
    else return no_match{};
  }
};

// sum(-x) -> -sum(x), mean alike; max(-x) -> -min(x) and min(-x) -> -max(x).
struct negation_out_of_reduction {
  template <class E>
  static constexpr no_match apply(E) { return {}; }

  template <bool K, std::size_t... Ax, class X>
  static constexpr auto apply(node<sum_op<K, Ax...>, node<neg_op, X>>) { return -node<sum_op<K, Ax...>, decltype(hold(X{}))>{}; }
  template <bool K, std::size_t... Ax, class X>
  static constexpr auto apply(node<mean_op<K, Ax...>, node<neg_op, X>>) { return -node<mean_op<K, Ax...>, decltype(hold(X{}))>{}; }
  template <bool K, std::size_t... Ax, class X>
  static constexpr auto apply(node<max_op<K, Ax...>, node<neg_op, X>>) { return -node<min_op<K, Ax...>, decltype(hold(X{}))>{}; }
  template <bool K, std::size_t... Ax, class X>
  static constexpr auto apply(node<min_op<K, Ax...>, node<neg_op, X>>) { return -node<max_op<K, Ax...>, decltype(hold(X{}))>{}; }
};

// max and min over any axes commute with a nondecreasing function defined on
// every real: max(exp(x)) = exp(max(x)), one exp per result instead of one per
// element (the max of a softmax's exponentials, of sigmoids, ...). NaN kept:
// the functions map NaN, and only NaN, to NaN. Values are exact; where the
// function rounds distinct elements to one value (exp underflowing, sigmoid
// reaching 1), the original's gradient is shared among those ties and the
// rewrite's goes to the largest x: both are the function's slope there, 0 to
// the last bits.
struct monotone_out_of_selection {
  template <class F>
  static constexpr bool nondecreasing_everywhere =
      same_type<F, exp_op> || same_type<F, expm1_op> || same_type<F, tanh_op> || same_type<F, sigmoid_op> ||
      same_type<F, softplus_op> || same_type<F, erf_op>;

  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <bool K, std::size_t... Ax, class F, class X>
    requires nondecreasing_everywhere<F>
  static constexpr auto apply(node<max_op<K, Ax...>, node<F, X>>) {
    return node<F, node<max_op<K, Ax...>, decltype(hold(X{}))>>{};
  }
  template <bool K, std::size_t... Ax, class F, class X>
    requires nondecreasing_everywhere<F>
  static constexpr auto apply(node<min_op<K, Ax...>, node<F, X>>) {
    return node<F, node<min_op<K, Ax...>, decltype(hold(X{}))>>{};
  }
};

// A reduction over no axes (of a scalar) is its operand; mean, max and min of
// a scalar repeated over a shape, over every axis, are that scalar.
struct trivial_reduction {
  template <class E>
  static constexpr auto apply(E) {
    if constexpr (!is_reduction_node_v<E>) return no_match{};
    else {
      return []<template <bool, std::size_t...> class Op, bool K, std::size_t... Ax, class X>(node<Op<K, Ax...>, X>*) {
        constexpr bool repeats_scalar = [] {
          if constexpr (is_op_v<X, broadcast_like_op>) return rank_v<typename type_at<0, typename operands<X>::type>::type> == 0;
          else return false;
        }();
        constexpr bool picks_or_averages = same_type<Op<K, Ax...>, mean_op<K, Ax...>> ||
                                           same_type<Op<K, Ax...>, max_op<K, Ax...>> ||
                                           same_type<Op<K, Ax...>, min_op<K, Ax...>>;
        if constexpr (sizeof...(Ax) == 0) return hold(X{});
        else if constexpr (repeats_scalar && picks_or_averages && !K && sizeof...(Ax) == rank_v<X>) {
          return hold(typename type_at<0, typename operands<X>::type>::type{});
        } else {
          return no_match{};
        }
      }(static_cast<E*>(nullptr));
    }
  }
};

// sum(a + s) -> sum(a) + s * n for a scalar s and n the number of elements
// summed (a sum of ones, which the runner counts without a pass over memory);
// mean(a + s) -> mean(a) + s. The sum of a then stands alone, to be shared
// with other outputs (a value and its gradient often sum the same thing).
struct scalar_term_out_of_sum {
  template <class Reduction>
  struct as_sum;
  template <template <bool, std::size_t...> class Op, bool K, std::size_t... Ax>
  struct as_sum<Op<K, Ax...>> {
    using type = sum_op<K, Ax...>;
  };

  template <class Reduction, class Sign, class A, class S>
  static constexpr auto split(A, S) {
    using reduced = node<Reduction, decltype(hold(A{}))>;
    using count = node<typename as_sum<Reduction>::type, node<broadcast_like_op, lit<1>, decltype(hold(A{}))>>;
    if constexpr (is_sum_v<Reduction>) {
      return node<Sign, reduced, node<mul_op, decltype(hold(S{})), count>>{};
    } else {
      return node<Sign, reduced, decltype(hold(S{}))>{};  // a mean
    }
  }

  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <template <bool, std::size_t...> class Op, bool K, std::size_t... Ax, class Sign, class A, class B>
    requires(sums_or_averages_v<Op<K, Ax...>> && (same_type<Sign, add_op> || same_type<Sign, sub_op>))
  static constexpr auto apply(node<Op<K, Ax...>, node<Sign, A, B>>) {
    if constexpr (rank_v<B> == 0 && rank_v<A> > 0) return split<Op<K, Ax...>, Sign>(A{}, B{});
    else if constexpr (rank_v<A> == 0 && rank_v<B> > 0 && same_type<Sign, add_op>) return split<Op<K, Ax...>, Sign>(B{}, A{});
    else return no_match{};
  }
};

// sum(broadcast_like(s, x)) -> s * sum(broadcast_like(1, x)) for a scalar s:
// the scalar times the count.
struct sum_of_repeated_scalar {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <bool K, std::size_t... Ax, class S, class X>
    requires(rank_v<S> == 0 && !same_type<S, lit<1>>)
  static constexpr auto apply(node<sum_op<K, Ax...>, node<broadcast_like_op, S, X>>) {
    return node<mul_op, decltype(hold(S{})), node<sum_op<K, Ax...>, node<broadcast_like_op, lit<1>, decltype(hold(X{}))>>>{};
  }
};

// log(sum(exp(x))) -> logsumexp(x): the stable form never overflows.
struct log_sum_exp {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <bool K, std::size_t... Ax, class X>
  static constexpr auto apply(node<log_op, node<sum_op<K, Ax...>, node<exp_op, X>>>) {
    return node<logsumexp_op<K, Ax...>, decltype(hold(X{}))>{};
  }
};

// log(softmax(x)) -> log_softmax(x), and x - logsumexp(x) along one axis
// (kept, or a vector's) -> log_softmax(x): exact where softmax underflows to 0.
struct log_of_softmax {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <std::size_t Axis, class X>
  static constexpr auto apply(node<log_op, node<softmax_op<Axis>, X>>) {
    return node<log_softmax_op<Axis>, decltype(hold(X{}))>{};
  }
  template <std::size_t Axis, class X>
  static constexpr auto apply(node<sub_op, X, node<logsumexp_op<true, Axis>, X>>) {
    return node<log_softmax_op<Axis>, decltype(hold(X{}))>{};
  }
  // A vector less its logsumexp (a number, broadcast back).
  template <class X>
    requires(rank_v<X> == 1)
  static constexpr auto apply(node<sub_op, X, node<logsumexp_op<false, 0>, X>>) {
    return node<log_softmax_op<0>, decltype(hold(X{}))>{};
  }
};

// ---------------------------------------------------------- linear algebra

// transpose(transpose(a)) is one permutation, or a itself.
struct transpose_of_transpose {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <std::size_t... Outer, std::size_t... Inner, class A>
  static constexpr auto apply(node<transpose_op<Outer...>, node<transpose_op<Inner...>, A>>) {
    constexpr std::array<std::size_t, sizeof...(Inner)> inner{Inner...};
    constexpr std::array<std::size_t, sizeof...(Outer)> composed{inner[Outer]...};
    constexpr bool identity = [&] {
      for (std::size_t i = 0; i < composed.size(); ++i)
        if (composed[i] != i) return false;
      return true;
    }();
    if constexpr (identity) return hold(A{});
    else return node<transpose_op<inner[Outer]...>, decltype(hold(A{}))>{};
  }
};

// transpose(transpose(a) transpose(b)) -> b a: three transposes fewer.
struct transpose_of_product {
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <class A, class B>
  static constexpr auto apply(node<transpose_op<1, 0>, node<matmul_op, node<transpose_op<1, 0>, A>, node<transpose_op<1, 0>, B>>>) {
    return node<matmul_op, decltype(hold(B{})), decltype(hold(A{}))>{};
  }
};

// ----------------------------------------------------------------- specialise

// alpha * matmul(A, B) + beta * C (either order, or a difference) -> one gemm
// node: the product is scaled and added to in place, with no second buffer.
// Alpha and beta are scalars; C has A's dtype and broadcasts to the product.
struct fused_gemm {
  // k * t or t * k for a scalar k, or t alone (k = 1): the scale and the term.
  template <class T>
  struct scaled {
    using scale = lit<1>;
    using term = T;
  };
  template <class K, class T>
    requires(rank_v<K> == 0 && rank_v<T> > 0)
  struct scaled<node<mul_op, K, T>> {
    using scale = K;
    using term = T;
  };
  template <class T, class K>
    requires(rank_v<K> == 0 && rank_v<T> > 0 && !is_lit_v<T>)
  struct scaled<node<mul_op, T, K>> {
    using scale = K;
    using term = T;
  };

  template <class K>
  static constexpr auto negated(K k) { return -k; }  // a literal folds: -1, not neg(1)

  // Negate says which of alpha (the product's scale) and beta is subtracted.
  template <int Negate, class P, class C>
  static constexpr auto gemm_of() {
    using product = typename scaled<P>::term;
    using c = typename scaled<C>::term;
    if constexpr (!is_op_v<product, matmul_op>) return no_match{};
    else {
      using A = typename type_at<0, typename operands<product>::type>::type;
      using B = typename type_at<1, typename operands<product>::type>::type;
      constexpr bool fits = std::is_floating_point_v<dtype_t<A>> && same_type<dtype_t<A>, dtype_t<B>> &&
                            same_type<dtype_t<c>, dtype_t<A>> && rank_v<c> <= rank_v<product> &&
                            rank_v<A> <= 2 && rank_v<B> <= 2;  // gemm takes no stacks
      if constexpr (!fits) return no_match{};
      else {
        using alpha = decltype(hold(typename scaled<P>::scale{}));
        using beta = decltype(hold(typename scaled<C>::scale{}));
        using signed_alpha = std::conditional_t<Negate == 1, decltype(negated(alpha{})), alpha>;
        using signed_beta = std::conditional_t<Negate == 2, decltype(negated(beta{})), beta>;
        return node<gemm_op, signed_alpha, decltype(hold(A{})), decltype(hold(B{})), signed_beta, decltype(hold(c{}))>{};
      }
    }
  }
  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <class X, class Y>
  static constexpr auto apply(node<add_op, X, Y>) {
    using first = decltype(gemm_of<0, X, Y>());
    if constexpr (!same_type<first, no_match>) return first{};
    else return decltype(gemm_of<0, Y, X>()){};
  }
  template <class X, class Y>
  static constexpr auto apply(node<sub_op, X, Y>) {  // alpha A B - beta C, or C - alpha A B
    using first = decltype(gemm_of<2, X, Y>());
    if constexpr (!same_type<first, no_match>) return first{};
    else return decltype(gemm_of<1, Y, X>()){};
  }
};



// pow(x, n) for a small integer n: multiplications by repeated squaring
// (x^5 = (x^2)^2 * x), and 1 / x^|n| for negative n. Exact in real arithmetic;
// in floating point within a few ulp of pow.
struct power_by_squaring {
  static constexpr std::intmax_t largest = 16;

  template <std::intmax_t N, class X>
  static constexpr auto power(X x) {
    if constexpr (N == 1) return x;
    else if constexpr (N % 2 == 0) {
      using half = decltype(power<N / 2>(x));
      return node<mul_op, half, half>{};
    } else {
      return node<mul_op, decltype(power<N - 1>(x)), X>{};
    }
  }

  template <class E>
  static constexpr no_match apply(E) { return {}; }
  template <class X, std::intmax_t N>
    requires((N >= 2 && N <= largest) || (N <= -1 && N >= -largest))
  static constexpr auto apply(node<pow_op, X, lit<N>>) {
    using x = decltype(hold(X{}));
    if constexpr (N > 0) return power<N>(x{});
    else return node<div_op, lit<1>, decltype(power<-N>(x{}))>{};
  }
};

}  // namespace theon
