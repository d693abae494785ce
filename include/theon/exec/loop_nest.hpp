#pragma once
// Walking N operands over one loop shape, row by row.
//
// Axes of extent 1 are dropped and neighbouring axes that every operand walks
// contiguously are merged, so a contiguous or scalar-broadcast loop of any
// rank becomes one long row; only real broadcasting and transposes leave
// several rows. Rows are what the kernels vectorise.
#include <array>
#include <cstddef>

#include "theon/exec/strided.hpp"

namespace theon {

template <std::size_t R, std::size_t N>
struct loop_nest {
  std::size_t rank = 0;  // after merging; the last axis is the row
  extents<R> shape{};
  std::array<strides_t<R>, N> strides{};

  std::size_t row_length() const { return rank ? shape[rank - 1] : 1; }
  std::size_t row_count() const {
    std::size_t n = 1;
    for (std::size_t i = 0; i + 1 < rank; ++i) n *= shape[i];
    return rank ? n : 1;
  }
  std::ptrdiff_t row_stride(std::size_t op) const { return rank ? strides[op][rank - 1] : 0; }

  // Element offsets of each operand at the start of row `row`.
  std::array<std::ptrdiff_t, N> row_start(std::size_t row) const {
    std::array<std::ptrdiff_t, N> offset{};
    for (std::size_t axis = rank >= 1 ? rank - 1 : 0; axis-- > 0;) {
      const std::size_t i = row % shape[axis];
      row /= shape[axis];
      for (std::size_t op = 0; op < N; ++op) offset[op] += static_cast<std::ptrdiff_t>(i) * strides[op][axis];
    }
    return offset;
  }
};

template <std::size_t R, std::size_t N>
loop_nest<R, N> make_loop_nest(const extents<R>& shape, const std::array<strides_t<R>, N>& strides) {
  loop_nest<R, N> nest;
  for (std::size_t axis = 0; axis != R; ++axis) {
    if (shape[axis] == 1) continue;
    const std::size_t k = nest.rank;
    bool merges = k > 0;
    for (std::size_t op = 0; op < N && merges; ++op)
      merges = nest.strides[op][k - 1] == strides[op][axis] * static_cast<std::ptrdiff_t>(shape[axis]);
    if (merges) {
      nest.shape[k - 1] *= shape[axis];
      for (std::size_t op = 0; op < N; ++op) nest.strides[op][k - 1] = strides[op][axis];
    } else {
      nest.shape[k] = shape[axis];
      for (std::size_t op = 0; op < N; ++op) nest.strides[op][k] = strides[op][axis];
      ++nest.rank;
    }
  }
  // An empty loop keeps one axis of extent 0 so that it runs no row.
  for (std::size_t axis = 0; axis != R; ++axis)
    if (shape[axis] == 0) {
      nest.rank = 1;
      nest.shape[0] = 0;
    }
  return nest;
}

}  // namespace theon

namespace theon {

// to[...] = from[...] over from's shape.
template <class T, std::size_t R>
void copy_strided(const strided<const T, R>& from, const strided<T, R>& to) {
  const auto nest = make_loop_nest<R, 2>(from.shape, {from.strides, to.strides});
  for (std::size_t r = 0; r < nest.row_count(); ++r) {
    const auto offset = nest.row_start(r);
    const T* src = from.data + offset[0];
    T* dst = to.data + offset[1];
    for (std::size_t t = 0; t < nest.row_length(); ++t)
      dst[static_cast<std::ptrdiff_t>(t) * nest.row_stride(1)] = src[static_cast<std::ptrdiff_t>(t) * nest.row_stride(0)];
  }
}

// to[...] = from[...], `to` contiguous row-major with from's shape.
template <class T, std::size_t R>
void copy_strided(const strided<const T, R>& from, T* to) {
  copy_strided(from, strided<T, R>{to, from.shape, row_major_strides(from.shape)});
}

}  // namespace theon
