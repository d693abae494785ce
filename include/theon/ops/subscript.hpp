#pragma once
// Basic indexing, NumPy's, with static bounds: e(theon::slice<1, -1>),
// e(theon::index<2>), e(_, theon::newaxis), and any mix, one item per axis
// from the left (axes not named are taken whole). The result is a view: new
// extents, strides and a start in the operand's memory, read in place by the
// loops that use it, so a stencil such as x(slice<2>) - 2 x(slice<1, -1>) +
// x(slice<0, -2>) is one loop over x with no copies.
//
// Bounds follow Python's slices: negative ones count from the end, and they
// are clamped to the axis (an empty result is no error). An index must lie in
// its axis: out of range is a compile error where the extent is static, a
// shape_error naming the expression where it is known only at run time.
#include <array>
#include <cstddef>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include "theon/ops/axes.hpp"
#include "theon/ops/dense.hpp"
#include "theon/ops/linalg.hpp"

namespace theon {

// "To the end of the axis": Python's omitted slice bound.
inline constexpr std::ptrdiff_t end = std::numeric_limits<std::ptrdiff_t>::max();

// One item of a subscript: a range of an axis, a single position (which
// drops the axis), or a new axis of extent 1.
struct subscript_item {
  enum class form { range, single, new_axis };
  form kind = form::range;
  std::ptrdiff_t start = 0, stop = end, step = 1;
};

template <std::ptrdiff_t Start, std::ptrdiff_t Stop, std::ptrdiff_t Step>
struct slice_t {
  static_assert(Step != 0, "theon::slice: the step of a slice must not be 0");
  static constexpr subscript_item item{subscript_item::form::range, Start, Stop, Step};
};
template <std::ptrdiff_t I>
struct index_t {
  static constexpr subscript_item item{subscript_item::form::single, I, I, 1};
};
struct newaxis_t {
  static constexpr subscript_item item{subscript_item::form::new_axis};
};

// x[Start:Stop:Step]
template <std::ptrdiff_t Start, std::ptrdiff_t Stop = end, std::ptrdiff_t Step = 1>
inline constexpr slice_t<Start, Stop, Step> slice{};
// x[:], a whole axis
inline constexpr slice_t<0, end, 1> _{};
// x[I]: one position, the axis dropped; index<-1> is the last
template <std::ptrdiff_t I>
inline constexpr index_t<I> index{};
// x[None]: a new axis of extent 1
inline constexpr newaxis_t newaxis{};

namespace subscript_detail {
// The first position, the count and the step a range selects on an axis of
// extent n, by Python's rules (PySlice_AdjustIndices).
struct range {
  std::ptrdiff_t first = 0, count = 0, step = 1;
};
constexpr range resolve(const subscript_item& item, std::ptrdiff_t n) {
  if (item.kind == subscript_item::form::single) return {item.start < 0 ? item.start + n : item.start, 1, 1};
  const std::ptrdiff_t step = item.step;
  auto clamp = [&](std::ptrdiff_t bound, std::ptrdiff_t omitted) {
    if (bound == end) return omitted;
    if (bound < 0) bound += n;
    if (step > 0) return bound < 0 ? std::ptrdiff_t{0} : bound > n ? n : bound;
    return bound < 0 ? std::ptrdiff_t{-1} : bound >= n ? n - 1 : bound;
  };
  const std::ptrdiff_t start = clamp(item.start, step > 0 ? 0 : n - 1);
  const std::ptrdiff_t stop = clamp(item.stop, step > 0 ? n : -1);
  const std::ptrdiff_t count =
      step > 0 ? (stop > start ? (stop - start - 1) / step + 1 : 0) : (start > stop ? (start - stop - 1) / -step + 1 : 0);
  return {start, count, step};
}
constexpr bool single_in_range(const subscript_item& item, std::ptrdiff_t n) {
  return item.kind != subscript_item::form::single || (item.start >= -n && item.start < n);
}

// out seen as a row-major array of the given extents.
template <class T, std::size_t R>
strided_memory<T, R> row_major(T* out, const extents<R>& shape) {
  strided_memory<T, R> whole{out, shape, {}};
  std::ptrdiff_t count = 1;
  for (std::size_t k = R; k-- > 0;) {
    whole.strides[k] = count;
    count *= static_cast<std::ptrdiff_t>(shape[k]);
  }
  return whole;
}

// The same, filled with zeros: where an adjoint routine adds or writes its incoming gradient.
template <class T, std::size_t R>
strided_memory<T, R> zeroed(T* out, const extents<R>& shape) {
  const strided_memory<T, R> whole = row_major(out, shape);
  std::size_t count = 1;
  for (std::size_t n : shape) count *= n;
  for (std::size_t e = 0; e < count; ++e) out[e] = T(0);
  return whole;
}

// to = from, element by element, for two views of one shape.
template <class From, class To>
void copy(const From& from, const To& to) {
  dense_detail::for_each_index(from.shape, [&](const auto& at, std::size_t) {
    to.data[dense_detail::offset_at(to, at)] = from.data[dense_detail::offset_at(from, at)];
  });
}
}  // namespace subscript_detail

template <class... Items>
struct subscript_adjoint_op;

template <class... Items>
struct subscript_op : view_op<subscript_op<Items...>> {
  static constexpr const char* name = "subscript";
  static constexpr const char* mismatch_reason = "an index is out of range for its axis";
  static constexpr std::array<subscript_item, sizeof...(Items)> items{Items::item...};
  // Axes of the operand the items name, and of the result they make.
  static constexpr std::size_t named = ((Items::item.kind != subscript_item::form::new_axis) + ... + 0);
  static constexpr std::size_t dropped = ((Items::item.kind == subscript_item::form::single) + ... + 0);
  static constexpr std::size_t added = sizeof...(Items) - named;

  // As Python writes it: "[1:-1]", "[2, :, None]" (newaxis is None).
  static constexpr auto suffix_text = [] {
    std::array<char, 24 * sizeof...(Items) + 3> out{};
    std::size_t at = 0;
    auto put = [&](const char* text) {
      while (*text) out[at++] = *text++;
    };
    auto number = [&](std::ptrdiff_t v) {
      if (v < 0) out[at++] = '-';
      char digits[20]{};
      std::size_t count = 0;
      for (std::size_t m = static_cast<std::size_t>(v < 0 ? -v : v); count == 0 || m > 0; m /= 10)
        digits[count++] = static_cast<char>('0' + m % 10);
      while (count > 0) out[at++] = digits[--count];
    };
    put("[");
    for (std::size_t k = 0; k < items.size(); ++k) {
      const subscript_item& item = items[k];
      if (k > 0) put(", ");
      if (item.kind == subscript_item::form::new_axis) put("None");
      else if (item.kind == subscript_item::form::single) number(item.start);
      else {
        if (item.start != end && (item.start != 0 || item.step < 0)) number(item.start);
        put(":");
        if (item.stop != end) number(item.stop);
        if (item.step != 1) put(":"), number(item.step);
      }
    }
    put("]");
    return out;
  }();
  static constexpr const char* suffix = suffix_text.data();

  template <class A>
  static constexpr void check() {
    static_assert(named <= rank_v<A>, "theon: a subscript names more axes than its operand has");
    if constexpr (named <= rank_v<A>) {
      constexpr auto in = static_shape_t<A>::extents;
      constexpr bool in_range = [&] {
        std::size_t axis = 0;
        for (const subscript_item& item : items) {
          if (item.kind == subscript_item::form::new_axis) continue;
          if (in[axis] != dyn && !subscript_detail::single_in_range(item, static_cast<std::ptrdiff_t>(in[axis])))
            return false;
          ++axis;
        }
        return true;
      }();
      static_assert(in_range, "theon: an index is out of range for the static extent of its axis");
    }
  }

  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<R>& in) {
    ok = true;
    extents<R - dropped + added> out{};
    std::size_t axis = 0, o = 0;
    for (const subscript_item& item : items) {
      if (item.kind == subscript_item::form::new_axis) {
        out[o++] = 1;
        continue;
      }
      const std::size_t n = in[axis++];
      if (item.kind == subscript_item::form::single) {
        ok = ok && (n == dyn || subscript_detail::single_in_range(item, static_cast<std::ptrdiff_t>(n)));
        continue;
      }
      out[o++] = n == dyn ? dyn : static_cast<std::size_t>(subscript_detail::resolve(item, static_cast<std::ptrdiff_t>(n)).count);
    }
    for (; axis < R; ++axis) out[o++] = in[axis];
    return out;
  }

  // The operand's memory seen through the items: a start, new extents and strides.
  template <class View>
  static auto seen_through(const View& from) {
    using T = std::remove_reference_t<decltype(*from.data)>;
    constexpr std::size_t R = std::tuple_size_v<decltype(from.shape)>;
    strided_memory<T, R - dropped + added> out{};
    std::ptrdiff_t offset = 0;
    std::size_t axis = 0, o = 0;
    for (const subscript_item& item : items) {
      if (item.kind == subscript_item::form::new_axis) {
        out.shape[o] = 1;
        out.strides[o++] = 0;
        continue;
      }
      const auto r = subscript_detail::resolve(item, static_cast<std::ptrdiff_t>(from.shape[axis]));
      if (r.count > 0) offset += r.first * from.strides[axis];
      if (item.kind == subscript_item::form::range) {
        out.shape[o] = static_cast<std::size_t>(r.count);
        out.strides[o++] = from.strides[axis] * r.step;
      }
      ++axis;
    }
    for (; axis < R; ++axis, ++o) {
      out.shape[o] = from.shape[axis];
      out.strides[o] = from.strides[axis];
    }
    out.data = from.data + offset;
    return out;
  }

  // The adjoint puts g back where the view reads, zeros elsewhere.
  static constexpr auto vjp(auto g, auto self, auto a) {
    return make_node<subscript_adjoint_op<Items...>>(in_memory(g, self), a);
  }
  static constexpr auto jvp(auto, auto t, auto) { return make_node<subscript_op>(get<0>(t)); }
};

// The adjoint of a subscript: an array of a's shape (a is read only for its
// shape), zero except where the subscript reads, which holds g. Repeated
// positions cannot occur in a basic subscript, so nothing adds up.
template <class... Items>
struct subscript_adjoint_op {
  using kind = dense;
  static constexpr const char* name = "subscript_adjoint";
  static constexpr std::size_t shape_only_operand = 1;
  template <class G, class A>
  using shape_type = static_shape_t<A>;
  template <class G, class A>
  using dtype = dtype_t<G>;
  template <std::size_t I, class G, class A>
  using operand_dtype = dtype_t<G>;
  template <std::size_t RG, std::size_t RA>
  static constexpr auto shape(bool& ok, const extents<RG>&, const extents<RA>& a) {
    ok = true;
    return a;
  }
  template <class T, class G, class A>
  static void compute(T* out, const G& g, const A& a) {
    subscript_detail::copy(g, subscript_op<Items...>::seen_through(subscript_detail::zeroed(out, a.shape)));
  }
  static constexpr auto vjp(auto g, auto, auto, auto) { return make_node<subscript_op<Items...>>(g); }
  static constexpr auto jvp(auto, auto t, auto, auto a) { return make_node<subscript_adjoint_op>(get<0>(t), a); }
};

// e(items...), which expressions' operator() calls.
template <class Item>
concept subscript_item_type = requires { Item::item; };
template <expression A, subscript_item_type... Items>
constexpr auto subscript(A a, Items...) {
  return make_checked<subscript_op<Items...>>(a);
}

// e reversed along Axis: e[:, ..., ::-1].
template <std::size_t Axis, expression E>
constexpr auto flip_axis(E e) {
  return [&]<std::size_t... K>(std::index_sequence<K...>) {
    return subscript(e, (static_cast<void>(K), _)..., slice<end, end, -1>);
  }(std::make_index_sequence<Axis>{});
}

// NumPy's flip: every axis reversed, or those named (flip(x, theon::axis<1>)).
// A view: the same memory read backwards.
template <expression E, int... A>
constexpr auto flip(E e, axes_t<A...> = {}) {
  constexpr int rank = static_cast<int>(rank_v<E>);
  static_assert(((A >= -rank && A < rank) && ...), "theon::flip: an axis is out of range for the rank of its operand");
  constexpr auto reversed = [](int axis) { return sizeof...(A) == 0 || ((axis == (A < 0 ? A + rank : A)) || ...); };
  return [&]<int... K>(std::integer_sequence<int, K...>) {
    return subscript(e, std::conditional_t<reversed(K), slice_t<end, end, -1>, slice_t<0, end, 1>>{}...);
  }(std::make_integer_sequence<int, rank>{});
}

}  // namespace theon
