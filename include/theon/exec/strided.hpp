#pragma once
// Memory seen through a shape and element strides.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>

#include "theon/core/errors.hpp"  // shape_error, which the users of views throw
#include "theon/core/shape.hpp"

namespace theon {

template <std::size_t R>
using strides_t = std::array<std::ptrdiff_t, R>;

template <std::size_t R>
constexpr strides_t<R> row_major_strides(const extents<R>& shape) {
  strides_t<R> s{};
  std::ptrdiff_t step = 1;
  for (std::size_t i = R; i-- > 0;) {
    s[i] = step;
    step *= static_cast<std::ptrdiff_t>(shape[i]);
  }
  return s;
}

template <class T, std::size_t R>
struct strided {
  T* data = nullptr;
  extents<R> shape{};
  strides_t<R> strides{};
};

// The strides that read `from` broadcast to a loop of rank L (aligned on the
// right; an axis of extent 1 or a missing axis repeats its element).
template <std::size_t L, class T, std::size_t R>
strides_t<L> broadcast_strides(const strided<T, R>& from) {
  static_assert(R <= L);
  strides_t<L> s{};
  for (std::size_t i = 0; i != R; ++i) s[L - R + i] = from.shape[i] == 1 ? 0 : from.strides[i];
  return s;
}

// Whether two views can reach a common byte: their address ranges overlap
// (a view with no element reaches none).
template <class T, class U, std::size_t R, std::size_t S>
bool shares_memory(const strided<T, R>& a, const strided<U, S>& b) {
  auto range = [](const auto& v) {
    using E = std::remove_cv_t<std::remove_pointer_t<decltype(v.data)>>;
    std::ptrdiff_t low = 0, high = 0;
    for (std::size_t i = 0; i < v.shape.size(); ++i) {
      if (v.shape[i] == 0) return std::pair<std::uintptr_t, std::uintptr_t>{0, 0};
      const std::ptrdiff_t reach = static_cast<std::ptrdiff_t>(v.shape[i] - 1) * v.strides[i];
      (reach < 0 ? low : high) += reach;
    }
    const auto first = reinterpret_cast<std::uintptr_t>(v.data);
    return std::pair<std::uintptr_t, std::uintptr_t>{first + static_cast<std::uintptr_t>(low * static_cast<std::ptrdiff_t>(sizeof(E))),
                                                     first + static_cast<std::uintptr_t>((high + 1) * static_cast<std::ptrdiff_t>(sizeof(E)))};
  };
  const auto [a_first, a_last] = range(a);
  const auto [b_first, b_last] = range(b);
  return a_first < a_last && b_first < b_last && a_first < b_last && b_first < a_last;
}

// The strides that walk the row-major positions of an array of `shape` over
// a loop of rank L it broadcasts to: a draw's element counter.
template <std::size_t L, std::size_t R>
strides_t<L> position_strides(const extents<R>& shape) {
  return broadcast_strides<L>(strided<const void, R>{nullptr, shape, row_major_strides(shape)});
}

}  // namespace theon
