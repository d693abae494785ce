#pragma once
// dot and matmul: C[i, j] = sum_k A[i, k] * B[k, j] over strided operands.
// A vector operand is a 1 x n row (on the left) or an n x 1 column (on the
// right), so one kernel serves every rank combination. Rows of C are
// independent, so large products split them over threads.
//
// With THEON_CBLAS defined (CMake's THEON_BLAS, on where it finds a BLAS and
// <cblas.h>; link the BLAS yourself otherwise), float and double products
// large enough to pay for the call go to cblas_?gemm (cblas_?gemv when one
// side is a vector) whenever BLAS can read both operands in place: row-major
// or transposed, with a unit inner stride. The BLAS library's own threads do that work (for OpenBLAS,
// OPENBLAS_NUM_THREADS sets how many).
#include <algorithm>
#include <climits>
#include <cstddef>
#include <optional>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>
#ifdef THEON_CBLAS
#include <cblas.h>
#endif

#include "theon/exec/matrix.hpp"
#include "theon/exec/strided.hpp"
#include "theon/backend/cpu/threads.hpp"

namespace theon {

// y[0 .. n) += a * x[0 .. n), vectorised for floating types.
template <class T>
void axpy(T a, const T* x, T* y, std::size_t n) {
  std::size_t j = 0;
  if constexpr (std::is_floating_point_v<T>) {
    using batch = xsimd::batch<T>;
    const batch va(a);
    for (; j + batch::size <= n; j += batch::size)
      xsimd::fma(va, batch::load_unaligned(x + j), batch::load_unaligned(y + j)).store_unaligned(y + j);
  }
  for (; j < n; ++j) y[j] += a * x[j];
}

// sum_k x[k] * y[k] over contiguous x and y.
template <class T>
T dot_contiguous(const T* x, const T* y, std::size_t n) {
  std::size_t k = 0;
  T acc = 0;
  if constexpr (std::is_floating_point_v<T>) {
    using batch = xsimd::batch<T>;
    batch lanes0(T(0)), lanes1(T(0));
    for (; k + 2 * batch::size <= n; k += 2 * batch::size) {
      lanes0 = xsimd::fma(batch::load_unaligned(x + k), batch::load_unaligned(y + k), lanes0);
      lanes1 = xsimd::fma(batch::load_unaligned(x + k + batch::size), batch::load_unaligned(y + k + batch::size), lanes1);
    }
    acc = xsimd::hadd(lanes0 + lanes1);
  }
  for (; k < n; ++k) acc += x[k] * y[k];
  return acc;
}

#ifdef THEON_CBLAS
// Below this many multiply-adds, the BLAS call costs more than theon's loop.
inline constexpr std::size_t blas_min_work = 4096;

// An operand as BLAS reads it: a row-major matrix, transposed or not, and its
// leading dimension. None where BLAS cannot read it in place (a broadcast or
// negative stride, or no unit stride), or an extent does not fit BLAS's int.
struct blas_operand {
  CBLAS_TRANSPOSE transpose;
  int leading;
};
inline std::optional<blas_operand> as_blas_operand(const matrix_operand& m) {
  // rows x cols, stored with unit steps along a row and `outer` between rows.
  auto row_major = [](std::size_t rows, std::size_t cols, std::ptrdiff_t outer, std::ptrdiff_t inner) -> std::optional<int> {
    if (rows > INT_MAX || cols > INT_MAX || (cols > 1 && inner != 1)) return std::nullopt;
    const std::ptrdiff_t width = std::max<std::ptrdiff_t>(static_cast<std::ptrdiff_t>(cols), 1);
    const std::ptrdiff_t leading = rows > 1 ? outer : width;
    if (leading < width || leading > INT_MAX) return std::nullopt;
    return static_cast<int>(leading);
  };
  if (const auto leading = row_major(m.rows, m.cols, m.row_stride, m.col_stride)) return blas_operand{CblasNoTrans, *leading};
  if (const auto leading = row_major(m.cols, m.rows, m.col_stride, m.row_stride)) return blas_operand{CblasTrans, *leading};
  return std::nullopt;
}

// y = op(M) x for a matrix M stored row-major as rows x cols, x with a positive step.
template <class T>
void blas_gemv(CBLAS_TRANSPOSE op, int rows, int cols, const T* M, int leading, const T* x, int step, T* y) {
  if constexpr (std::is_same_v<T, float>) cblas_sgemv(CblasRowMajor, op, rows, cols, 1.0f, M, leading, x, step, 0.0f, y, 1);
  else cblas_dgemv(CblasRowMajor, op, rows, cols, 1.0, M, leading, x, step, 0.0, y, 1);
}

// out (contiguous, m x p) = A B through BLAS: gemv when one side is a vector
// (gemm with one column is several times slower), gemm otherwise. False where
// BLAS does not take it: little work, a dot product, or operands it cannot read.
template <class T>
bool blas_contract(const matrix_operand& a, const T* A, const matrix_operand& b, const T* B, T* out) {
  const std::size_t m = a.rows, n = a.cols, p = b.cols;
  if (m * p <= 1 || n == 0 || m * n * p < blas_min_work || m > INT_MAX || n > INT_MAX || p > INT_MAX) return false;
  const auto ba = as_blas_operand(a), bb = as_blas_operand(b);
  if (!ba || !bb) return false;
  const int rows = static_cast<int>(m), cols = static_cast<int>(p), inner = static_cast<int>(n);
  auto stored = [](CBLAS_TRANSPOSE op, int r, int c) { return op == CblasNoTrans ? std::pair{r, c} : std::pair{c, r}; };
  auto flipped = [](CBLAS_TRANSPOSE op) { return op == CblasNoTrans ? CblasTrans : CblasNoTrans; };
  if (p == 1 && b.row_stride > 0 && b.row_stride <= INT_MAX) {  // A x
    const auto [r, c] = stored(ba->transpose, rows, inner);
    blas_gemv(ba->transpose, r, c, A, ba->leading, B, static_cast<int>(b.row_stride), out);
  } else if (m == 1 && a.col_stride > 0 && a.col_stride <= INT_MAX) {  // x B, as B^T x
    const auto [r, c] = stored(bb->transpose, inner, cols);
    blas_gemv(flipped(bb->transpose), r, c, B, bb->leading, A, static_cast<int>(a.col_stride), out);
  } else if (m > 1 && p > 1) {
    if constexpr (std::is_same_v<T, float>)
      cblas_sgemm(CblasRowMajor, ba->transpose, bb->transpose, rows, cols, inner, 1.0f, A, ba->leading, B, bb->leading, 0.0f, out, cols);
    else
      cblas_dgemm(CblasRowMajor, ba->transpose, bb->transpose, rows, cols, inner, 1.0, A, ba->leading, B, bb->leading, 0.0, out, cols);
  } else {
    return false;
  }
  return true;
}
#endif

// out (contiguous, rows_a x cols_b) = A B.
template <class T, std::size_t RA, std::size_t RB>
void contract(const strided<const T, RA>& a_view, const strided<const T, RB>& b_view, T* out, const threading& threads) {
  const matrix_operand a = as_left_matrix(a_view), b = as_right_matrix(b_view);
#ifdef THEON_CBLAS
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>)
    if (blas_contract(a, a_view.data, b, b_view.data, out)) return;
#endif
  const std::size_t m = a.rows, n = a.cols, p = b.cols;
  std::fill(out, out + m * p, T(0));
  const T* A = a_view.data;
  const T* B = b_view.data;
  auto rows = [&](std::size_t first, std::size_t last, std::size_t) {
    for (std::size_t i = first; i < last; ++i) {
      T* c = out + i * p;
      const T* a_row = A + static_cast<std::ptrdiff_t>(i) * a.row_stride;
      if (b.col_stride == 1 || p == 1) {
        if (p == 1 && a.col_stride == 1 && b.row_stride == 1) {  // a row times a column
          c[0] = dot_contiguous(a_row, B, n);
          continue;
        }
        // c += A[i, k] * B[k, :] for each k: contiguous row updates.
        for (std::size_t k = 0; k < n; ++k) {
          const T aik = a_row[static_cast<std::ptrdiff_t>(k) * a.col_stride];
          const T* b_row = B + static_cast<std::ptrdiff_t>(k) * b.row_stride;
          if (p == 1) c[0] += aik * b_row[0];
          else axpy(aik, b_row, c, p);
        }
      } else if (a.col_stride == 1 && b.row_stride == 1) {  // B's columns are contiguous: dot products
        for (std::size_t j = 0; j < p; ++j) c[j] = dot_contiguous(a_row, B + static_cast<std::ptrdiff_t>(j) * b.col_stride, n);
      } else {
        for (std::size_t k = 0; k < n; ++k) {
          const T aik = a_row[static_cast<std::ptrdiff_t>(k) * a.col_stride];
          for (std::size_t j = 0; j < p; ++j)
            c[j] += aik * B[static_cast<std::ptrdiff_t>(k) * b.row_stride + static_cast<std::ptrdiff_t>(j) * b.col_stride];
        }
      }
    }
  };
  parallel_for(m, threads.count_for(m * n * p / 8), rows);
}

// out = alpha * out + beta * c over out's contiguous shape, c broadcast to it:
// the second half of gemm, in place on the product.
template <class T, std::size_t R, std::size_t RC>
void scale_and_add(T alpha, T beta, const strided<const T, RC>& c, T* out, const extents<R>& shape) {
  const strides_t<R> cs = broadcast_strides<R>(c);
  const std::size_t rows = R == 2 ? shape[0] : 1, cols = R >= 1 ? shape[R - 1] : 1;
  const std::ptrdiff_t row_stride = R == 2 ? cs[0] : 0, col_stride = R >= 1 ? cs[R - 1] : 0;
  for (std::size_t i = 0; i < rows; ++i) {
    T* o = out + i * cols;
    const T* c_row = c.data + static_cast<std::ptrdiff_t>(i) * row_stride;
    for (std::size_t j = 0; j < cols; ++j) o[j] = alpha * o[j] + beta * c_row[static_cast<std::ptrdiff_t>(j) * col_stride];
  }
}

}  // namespace theon
