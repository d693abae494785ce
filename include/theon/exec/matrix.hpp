#pragma once
// An operand of dot or matmul as a matrix: its extents and strides, with a
// vector read as a 1 x n row on the left or an n x 1 column on the right, so
// one product serves every rank combination on every runner.
#include <cstddef>

#include "theon/exec/strided.hpp"

namespace theon {

struct matrix_operand {
  std::size_t rows, cols;
  std::ptrdiff_t row_stride, col_stride;
};

template <class T, std::size_t R>
matrix_operand as_left_matrix(const strided<const T, R>& a) {
  if constexpr (R == 1) return {1, a.shape[0], 0, a.strides[0]};
  else return {a.shape[0], a.shape[1], a.strides[0], a.strides[1]};
}
template <class T, std::size_t R>
matrix_operand as_right_matrix(const strided<const T, R>& b) {
  if constexpr (R == 1) return {b.shape[0], 1, b.strides[0], 0};
  else return {b.shape[0], b.shape[1], b.strides[0], b.strides[1]};
}

}  // namespace theon
