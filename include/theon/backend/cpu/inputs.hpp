#pragma once
// What a caller may bind to an input variable, seen as a strided view:
// xtensor containers and views (read in place, any strides), other xtensor
// expressions (evaluated once), std::vector and std::span (rank 1), numbers
// (rank 0), and theon::ref(pointer, {extents...}) for raw row-major memory.
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "theon/exec/strided.hpp"
#include "theon/core/expr.hpp"

namespace theon {

// Contiguous row-major memory the caller owns, with its extents.
template <class T, std::size_t R>
struct array_ref {
  const T* data;
  extents<R> shape;
};

template <class T, std::size_t R>
array_ref<T, R> ref(const T* data, const std::size_t (&shape)[R]) {
  array_ref<T, R> r{data, {}};
  for (std::size_t i = 0; i < R; ++i) r.shape[i] = shape[i];
  return r;
}
template <class T, std::size_t Extent, std::size_t R>
array_ref<std::remove_const_t<T>, R> ref(std::span<T, Extent> data, const std::size_t (&shape)[R]) {
  auto r = ref(static_cast<const std::remove_const_t<T>*>(data.data()), shape);
  if (element_count(r.shape) != data.size())
    throw shape_error("theon::ref: the extents " + to_string(r.shape) + " hold " + std::to_string(element_count(r.shape)) +
                      " elements but the span has " + std::to_string(data.size()));
  return r;
}

template <class V>
concept strided_xtensor = requires(const V& v) {
  v.data();
  v.data_offset();
  v.shape();
  v.strides();
  typename V::value_type;
};

template <class V>
inline constexpr bool is_std_vector_v = false;
template <class T, class A>
inline constexpr bool is_std_vector_v<std::vector<T, A>> = true;
template <class V>
inline constexpr bool is_span_v = false;
template <class T, std::size_t E>
inline constexpr bool is_span_v<std::span<T, E>> = true;
template <class V>
inline constexpr bool is_strided_v = false;
template <class T, std::size_t R>
inline constexpr bool is_strided_v<strided<T, R>> = true;
template <class V>
inline constexpr bool is_array_ref_v = false;
template <class T, std::size_t R>
inline constexpr bool is_array_ref_v<array_ref<T, R>> = true;

// Throws unless the extents an input was bound with match its variable's static ones.
template <class Var, std::size_t R>
void check_static_extents(const extents<R>& got) {
  for (std::size_t i = 0; i != R; ++i) {
    const std::size_t want = Var::shape_type::extents[i];
    if (want != dyn && want != got[i])
      throw shape_error("theon::function: input '" + std::string(Var::name.view()) + "' has static extent " +
                        std::to_string(want) + " on axis " + std::to_string(i) + " but was bound to an array of shape " +
                        to_string(got));
  }
}

// The view of one bound input. Evaluated expressions and numbers are kept
// inside, so the view stays valid as long as this object lives (it never moves).
template <class Var, class Value>
class bound_input {
 public:
  using T = typename Var::value_type;
  static constexpr std::size_t rank = Var::shape_type::rank;
  static constexpr bool is_number = std::is_arithmetic_v<Value>;
  // An xtensor expression without memory of its own is evaluated into a copy.
  static constexpr bool evaluates = !is_number && !strided_xtensor<Value> && !is_std_vector_v<Value> &&
                                    !is_span_v<Value> && !is_array_ref_v<Value> && !is_strided_v<Value> &&
                                    xt::is_xexpression<Value>::value;

 private:
  template <class V>
  struct element_of {
    using type = void;
  };
  template <class V>
    requires requires { typename V::value_type; }
  struct element_of<V> {
    using type = std::remove_const_t<typename V::value_type>;
  };
  template <class U, std::size_t R>
  struct element_of<array_ref<U, R>> {
    using type = U;
  };
  template <class U, std::size_t R>
  struct element_of<strided<U, R>> {
    using type = std::remove_const_t<U>;
  };
  using element = typename element_of<Value>::type;

  static_assert(is_number || strided_xtensor<Value> || is_std_vector_v<Value> || is_span_v<Value> ||
                    is_array_ref_v<Value> || is_strided_v<Value> || evaluates,
                "theon::function: an input can be bound to an xtensor container or expression, a std::vector, a "
                "std::span, theon::ref(pointer, {extents...}) or a number");
  static_assert(!is_number || rank == 0, "theon::function: a number can only be bound to a rank-0 (scalar) variable");
  static_assert(!(is_std_vector_v<Value> || is_span_v<Value>) || rank == 1,
                "theon::function: a std::vector or std::span can only be bound to a rank-1 variable; use theon::ref(data, {extents...}) for other ranks");
  static_assert(is_number || std::is_same_v<element, T>,
                "theon::function: the bound array's element type differs from the variable's dtype");
  static_assert(!std::is_same_v<Value, std::vector<bool>>, "theon::function: std::vector<bool> stores bits, not bools; bind an xt::xtensor<bool, 1>");
  template <class V>
  static constexpr std::size_t static_rank() {
    if constexpr (is_array_ref_v<V> || is_strided_v<V>) return std::tuple_size_v<decltype(V::shape)>;
    else if constexpr (xt::is_xexpression<V>::value) return xt::get_rank<V>::value;  // SIZE_MAX when dynamic
    else return SIZE_MAX;
  }
  static_assert(static_rank<Value>() == SIZE_MAX || static_rank<Value>() == rank,
                "theon::function: the bound array's rank differs from the variable's rank");

  const Value& value_;
  T number_{};
  std::conditional_t<evaluates, xt::xtensor<T, rank>, std::monostate> evaluated_;

  static std::string name() { return std::string(Var::name.view()); }

 public:
  explicit bound_input(const Value& value) : value_(value) {
    if constexpr (is_number) number_ = static_cast<T>(value);
    if constexpr (strided_xtensor<Value> || evaluates) {
      if (value.dimension() != rank)
        throw shape_error("theon::function: input '" + name() + "' has rank " + std::to_string(rank) +
                          " but was bound to an array of rank " + std::to_string(value.dimension()));
    }
    if constexpr (evaluates) evaluated_ = value;
    check_static_extents<Var>(view().shape);
  }
  bound_input(const bound_input&) = delete;
  bound_input& operator=(const bound_input&) = delete;

  strided<const T, rank> view() const {
    strided<const T, rank> v;
    if constexpr (is_number) {
      v.data = &number_;
    } else if constexpr (is_std_vector_v<Value> || is_span_v<Value>) {
      v = {value_.data(), {value_.size()}, {1}};
    } else if constexpr (is_array_ref_v<Value>) {
      v = {value_.data, value_.shape, row_major_strides(value_.shape)};
    } else if constexpr (is_strided_v<Value>) {
      v = {value_.data, value_.shape, value_.strides};
    } else {
      const auto& source = [&]() -> const auto& {
        if constexpr (evaluates) return evaluated_;
        else return value_;
      }();
      v.data = source.data() + source.data_offset();
      for (std::size_t i = 0; i != rank; ++i) {
        v.shape[i] = source.shape()[i];
        v.strides[i] = static_cast<std::ptrdiff_t>(source.strides()[i]);
      }
    }
    return v;
  }
};

}  // namespace theon
