#pragma once
// An operand of dot or matmul as a matrix: its extents and strides, with a
// vector read as a 1 x n row on the left or an n x 1 column on the right, so
// one product serves every rank combination on every runner.
#include <cstddef>
#include <tuple>

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

// Stacks of matrices (matmul of rank-3 operands): f(a_b, b_b, c_b) for each
// batch b of C = A B, with c_b the b-th matrix of the contiguous result and
// an operand of rank 2 shared by every batch. Operands of rank 1 or 2: f once.
template <class T, std::size_t RA, std::size_t RB, class F>
void for_each_batch(const strided<const T, RA>& a, const strided<const T, RB>& b, T* c, F f) {
  if constexpr (RA < 3 && RB < 3) {
    f(a, b, c);
  } else {
    auto item = [](const auto& m, std::size_t k) {
      if constexpr (std::tuple_size_v<decltype(m.shape)> == 3)
        return strided<const T, 2>{m.data + static_cast<std::ptrdiff_t>(k) * m.strides[0], {m.shape[1], m.shape[2]},
                                   {m.strides[1], m.strides[2]}};
      else return m;
    };
    const std::size_t batches = RA == 3 ? a.shape[0] : b.shape[0];
    const std::size_t size = a.shape[RA - 2] * b.shape[RB - 1];
    for (std::size_t k = 0; k < batches; ++k) f(item(a, k), item(b, k), c + k * size);
  }
}

}  // namespace theon
