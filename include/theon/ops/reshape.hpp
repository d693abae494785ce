#pragma once
// reshape<Extents...>(x) and flatten(x): the same elements in row-major order
// under new extents, NumPy's reshape (one extent may be -1: whatever the
// element count leaves). Extents that cannot hold x's elements are a compile
// error where x's extents are static, a shape_error naming the expression
// where they are known only at run time. The elements are copied (a routine
// over the whole operand, like the dense ops); the gradient is g reshaped back.
#include <array>
#include <cstddef>

#include "theon/ops/dense.hpp"

namespace theon {

// reshape and its adjoint: x's elements copied in row-major order, in x's dtype.
template <class Derived>
struct reshape_base : routine_op<Derived> {
  template <class A, class... Rest>
  using dtype = dtype_t<A>;
  template <std::size_t I, class A, class... Rest>
  using operand_dtype = dtype_t<A>;
  template <class T, class X, class... Rest>
  static void compute(T* out, const X& x, const Rest&...) {
    dense_detail::copy_row_major(out, x);
  }
};

struct reshape_like_op;

template <std::ptrdiff_t... Extents>
struct reshape_op : reshape_base<reshape_op<Extents...>> {
  static constexpr const char* name = "reshape";
  static constexpr const char* mismatch_reason = "the new extents cannot hold its elements";
  static constexpr std::array<std::ptrdiff_t, sizeof...(Extents)> new_extents{Extents...};

  template <class X>
  static constexpr void check() {
    static_assert(((Extents == -1) + ... + 0) <= 1, "theon::reshape: at most one extent may be -1");
    static_assert(sizeof...(Extents) >= 1 && sizeof...(Extents) <= 8, "theon::reshape: from 1 to 8 extents");
    static_assert(((Extents >= -1) && ...), "theon::reshape: an extent is a count, or -1 for what the others leave");
    static_assert(
        [] {
          bool ok = true;
          shape(ok, static_shape_t<X>::extents);
          return ok;
        }(),
        "theon::reshape: the new extents cannot hold the elements of the operand's static shape");
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& in) {
    std::size_t count = 1, known = 1;
    bool dynamic = false;
    for (std::size_t n : in) dynamic = dynamic || n == dyn, count *= n == dyn ? 1 : n;
    for (std::ptrdiff_t e : new_extents) known *= e == -1 ? 1 : static_cast<std::size_t>(e);
    extents<sizeof...(Extents)> out{};
    for (std::size_t k = 0; k < out.size(); ++k) {
      if (new_extents[k] != -1) out[k] = static_cast<std::size_t>(new_extents[k]);
      else out[k] = dynamic ? dyn : known == 0 ? 0 : count / known;
    }
    const bool free_axis = ((Extents == -1) || ...);
    ok = dynamic || (free_axis ? (known == 0 ? count == 0 : count % known == 0) : count == known);
    return out;
  }
  static constexpr auto vjp(auto g, auto, auto x) { return make_node<reshape_like_op>(g, x); }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<reshape_op>(get<0>(t)); }
};

// g's elements under x's extents (x is read only for its shape): the adjoint of reshape.
struct reshape_like_op : reshape_base<reshape_like_op> {
  static constexpr const char* name = "reshape_like";
  static constexpr std::size_t shape_only_operand = 1;
  static constexpr const char* mismatch_reason = "the operands hold different numbers of elements";
  template <std::size_t RG, std::size_t RX>
  static constexpr auto shape(bool& ok, const extents<RG>& g, const extents<RX>& x) {
    std::size_t from = 1, to = 1;
    bool dynamic = false;
    for (std::size_t n : g) dynamic = dynamic || n == dyn, from *= n;
    for (std::size_t n : x) dynamic = dynamic || n == dyn, to *= n;
    ok = dynamic || from == to;
    return x;
  }
  // The adjoint of h reshaped like x is g reshaped like h.
  static constexpr auto vjp(auto g, auto, auto h, auto) { return make_node<reshape_like_op>(g, h); }
  static constexpr auto jvp(auto, auto t, auto, auto x) { return make_node<reshape_like_op>(get<0>(t), x); }
};

template <std::ptrdiff_t... Extents, expression X>
constexpr auto reshape(X x) {
  return make_checked<reshape_op<Extents...>>(x);
}
template <expression X>
constexpr auto flatten(X x) {
  return reshape<-1>(x);
}

}  // namespace theon
