#pragma once
// Dense routines on LAPACK and BLAS where the build has them: Cholesky
// factors by ?potrf (THEON_LAPACK: CMake found the LAPACK routine in the
// BLAS library, as OpenBLAS carries it) and triangular solves by cblas_?trsm
// (THEON_CBLAS), for float and double matrices large enough to pay for the
// call. Blocked, and threaded by the BLAS library, they take a fraction of
// the op's own loops' time at n in the hundreds.
//
// blas_routine<Op>::compute(out, operands...) returns false where it does
// not apply or the routine reports a failure (a pivot that is not positive,
// a zero on the diagonal); the op's own routine then runs, and its errors
// name the pivot as they always do.
#include <climits>
#include <cstddef>
#include <type_traits>
#include <vector>

#ifdef THEON_CBLAS
#include <cblas.h>
#endif

#include "theon/ops/dense.hpp"

#ifdef THEON_LAPACK
// LAPACK's Cholesky factorisation (Fortran symbols; the trailing length is
// the hidden length of the character argument).
extern "C" void spotrf_(const char* uplo, const int* n, float* a, const int* lda, int* info, std::size_t uplo_length);
extern "C" void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info, std::size_t uplo_length);
#endif

namespace theon {

template <class Op>
struct blas_routine {
  template <class T, class... Operands>
  static bool compute(T*, const Operands&...) {
    return false;
  }
};

namespace dense_blas {
// Below this order the op's own loops are as fast as the library call.
inline constexpr std::size_t min_order = 32;

template <class T>
inline constexpr bool blas_type = std::is_same_v<T, float> || std::is_same_v<T, double>;
}  // namespace dense_blas

#ifdef THEON_LAPACK
// A = L L^T of the symmetric part of A. Row-major L is column-major L^T, the
// upper factor U of A = U^T U: ?potrf with uplo 'U' on the row-major lower
// triangle computes L in place.
template <>
struct blas_routine<cholesky_op> {
  template <class T, class A>
  static bool compute(T* l, const A& a) {
    const std::size_t n = a.shape[0];
    if constexpr (!dense_blas::blas_type<T>) {
      return false;
    } else {
      if (n < dense_blas::min_order || n > static_cast<std::size_t>(INT_MAX)) return false;
      using dense_detail::element;
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < n; ++j)
          l[i * n + j] = j <= i ? (element(a, i, j) + element(a, j, i)) / T(2) : T(0);
      const int order = static_cast<int>(n);
      int info = 0;
      if constexpr (std::is_same_v<T, float>) spotrf_("U", &order, l, &order, &info, 1);
      else dpotrf_("U", &order, l, &order, &info, 1);
      return info == 0;
    }
  }
};
#endif

#ifdef THEON_CBLAS
// L X = B (or L^T X = B) for lower triangular L: ?trsm on a row-major copy
// of B, reading L in place where its rows are contiguous.
template <bool Transposed>
struct blas_routine<triangular_solve_op<Transposed>> {
  template <class T, class L, class B>
  static bool compute(T* x, const L& l, const B& b) {
    const std::size_t n = l.shape[0], m = dense_detail::columns(b);
    if constexpr (!dense_blas::blas_type<T>) {
      return false;
    } else {
      if (n < dense_blas::min_order || n > static_cast<std::size_t>(INT_MAX) || m > static_cast<std::size_t>(INT_MAX))
        return false;
      for (std::size_t i = 0; i < n; ++i)
        if (dense_detail::element(l, i, i) == T(0)) return false;  // singular: the op's routine names the pivot
      std::vector<T> rows;
      const T* matrix = l.data;
      std::ptrdiff_t leading = l.strides[0];
      if (l.strides[1] != 1 || leading < static_cast<std::ptrdiff_t>(n)) {
        rows.resize(n * n);
        dense_detail::copy_row_major(rows.data(), l);
        matrix = rows.data(), leading = static_cast<std::ptrdiff_t>(n);
      }
      dense_detail::copy_row_major(x, b);
      const auto op = Transposed ? CblasTrans : CblasNoTrans;
      const int rows_n = static_cast<int>(n), cols = static_cast<int>(m), lda = static_cast<int>(leading);
      if constexpr (std::is_same_v<T, float>)
        cblas_strsm(CblasRowMajor, CblasLeft, CblasLower, op, CblasNonUnit, rows_n, cols, 1.0f, matrix, lda, x, cols);
      else cblas_dtrsm(CblasRowMajor, CblasLeft, CblasLower, op, CblasNonUnit, rows_n, cols, 1.0, matrix, lda, x, cols);
      return true;
    }
  }
};
#endif

}  // namespace theon
