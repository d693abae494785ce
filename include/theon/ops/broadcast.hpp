#pragma once
// Moving values between shapes, as reverse-mode differentiation needs:
// broadcast_like(g, x) repeats g over x's shape, sum_to(g, x) sums g down to
// x's shape (the adjoint of broadcasting). The second operand is read only for
// its shape, so it is never computed for their sake.
#include "theon/ops/arithmetic.hpp"
#include "theon/ops/axes.hpp"

namespace theon {

// g repeated to the broadcast shape of g and x.
struct broadcast_like_op : elementwise_op<same_rule> {
  static constexpr const char* name = "broadcast_like";
  static constexpr std::size_t shape_only_operand = 1;
  template <class G, class X> using dtype = storage_t<dtype_t<G>>;
  template <std::size_t I, class G, class X> using operand_dtype = dtype<G, X>;
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T g, T) { return g; }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<1>{}, lit<0>{}}; }
};

// g summed over the axes where x is broadcast: the leading axes x lacks, and
// the axes where x has extent 1 and g has more. The result has x's rank and
// extents where g has them, so g's own extent 1 stays 1.
struct sum_to_op {
  using kind = reduction;
  static constexpr const char* name = "sum_to";
  static constexpr std::size_t shape_only_operand = 1;

  template <std::size_t RG, std::size_t RX>
  static constexpr auto shape(bool& ok, const extents<RG>& g, const extents<RX>& x) {
    constexpr std::size_t rank = RG < RX ? RG : RX;
    extents<rank> out{};
    ok = true;
    for (std::size_t i = 0; i != rank; ++i) {
      const std::size_t eg = g[RG - rank + i], ex = x[RX - rank + i];
      ok = ok && (eg == ex || eg == 1 || ex == 1 || eg == dyn || ex == dyn);
      out[i] = ex == 1 ? 1 : eg;
    }
    return out;
  }
  template <class G, class X>
  static constexpr auto static_extents() {
    bool ok = true;
    return shape(ok, static_shape_t<G>::extents, static_shape_t<X>::extents);
  }
  template <class G, class X> using shape_type = shape_of_array<static_extents<G, X>()>;
  template <class G, class X> using dtype = dtype_t<G>;
  template <class T> static constexpr T identity() { return T(0); }
  THEON_HD_TEMPLATE(class T) static constexpr T combine(T a, T b) { return a + b; }
  // Summing is linear: the adjoint is broadcast back, the tangent summed alike.
  template <std::size_t K> static constexpr auto vjp(auto g, auto, auto x, auto) {
    if constexpr (K == 0) return broadcast_like(g, x);
    else return lit<0>{};
  }
  static constexpr auto jvp(auto, auto t, auto, auto like) { return sum_to(get<0>(t), like); }
};

// g itself, checked to have x's shape. Reverse mode sums an operand's adjoint
// over the axes its static shape broadcasts, as Theano does; this guard turns
// broadcasting that only happened at run time (an extent known only then was
// 1) into a clear error rather than a gradient of the wrong shape.
struct shaped_like_op : elementwise_op<same_rule> {
  static constexpr const char* name = "shaped_like";
  static constexpr const char* mismatch_reason =
      "a gradient flows through broadcasting of an axis whose extent is known only at run time; declare that axis "
      "with static extent 1 (theon::shape<..., 1, ...>) to broadcast it";
  static constexpr std::size_t shape_only_operand = 1;
  static constexpr bool prints_as_first_operand = true;  // a check, not math
  template <class G, class X> using dtype = storage_t<dtype_t<G>>;
  template <std::size_t I, class G, class X> using operand_dtype = dtype<G, X>;
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& g, const extents<R>& x) {
    ok = g == x;
    return x;
  }
  THEON_HD_TEMPLATE(class T) static constexpr T eval(T g, T) { return g; }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<1>{}, lit<0>{}}; }
};

template <expression G, expression X>
constexpr auto shaped_like(G g, X x) { return make_node<shaped_like_op>(g, x); }

template <expression G, expression X>
constexpr auto broadcast_like(G g, X x) { return make_node<broadcast_like_op>(g, x); }
// broadcast_like(k, x) for a literal k: a constant array, never stored.
template <class E>
struct is_repeated_literal : std::false_type {};
template <class K, class X>
struct is_repeated_literal<node<broadcast_like_op, K, X>> : is_lit<K> {};
template <class E>
concept is_repeated_literal_v = is_repeated_literal<E>::value;

template <expression G, expression X>
constexpr auto sum_to(G g, X x) { return make_node<sum_to_op>(g, x); }

}  // namespace theon
