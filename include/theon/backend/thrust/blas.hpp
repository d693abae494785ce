#pragma once
// Matrix products on the Thrust runner: cuBLAS when the program is built with
// THEON_CUBLAS (CUDA, linked to cuBLAS) and the policy runs on a CUDA stream;
// otherwise, and for layouts cuBLAS cannot read, one Thrust call per result
// element (thrust_loops::product_by_elements), correct on every system.
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "theon/backend/thrust/loops.hpp"

#if defined(THEON_CUBLAS)
#include <cublas_v2.h>
#endif

namespace theon {

#if defined(THEON_CUBLAS)
// One cuBLAS handle per compiled function, made on its first product.
class blas_handle {
  struct destroy {
    void operator()(cublasContext* h) const { cublasDestroy(h); }
  };
  std::unique_ptr<cublasContext, destroy> handle_;

 public:
  cublasHandle_t get() {
    if (!handle_) {
      cublasHandle_t h = nullptr;
      if (cublasCreate(&h) != CUBLAS_STATUS_SUCCESS) throw std::runtime_error("theon: cublasCreate failed");
      handle_.reset(h);
    }
    return handle_.get();
  }
};

// A strided matrix as cuBLAS sees it (column-major): the operation that makes
// it the operand, and its leading dimension; none when neither axis is unit stride.
struct blas_layout {
  bool usable;
  cublasOperation_t op;
  int leading;
};
// Row-major C = A B is column-major C^T = B^T A^T: each operand is passed as its transpose.
inline blas_layout transposed_layout(const matrix_operand& m) {
  auto fits = [](std::size_t n) { return n <= static_cast<std::size_t>(INT32_MAX); };
  if (!fits(m.rows) || !fits(m.cols)) return {false, CUBLAS_OP_N, 0};
  if (m.col_stride == 1 || m.cols == 1) {  // rows contiguous: column-major A^T as is
    const std::ptrdiff_t ld = m.rows == 1 ? std::ptrdiff_t(m.cols) : m.row_stride;
    if (ld >= std::ptrdiff_t(m.cols) && ld >= 1 && fits(std::size_t(ld))) return {true, CUBLAS_OP_N, int(ld)};
  }
  if (m.row_stride == 1 || m.rows == 1) {  // columns contiguous: column-major A, transposed
    const std::ptrdiff_t ld = m.cols == 1 ? std::ptrdiff_t(m.rows) : m.col_stride;
    if (ld >= std::ptrdiff_t(m.rows) && ld >= 1 && fits(std::size_t(ld))) return {true, CUBLAS_OP_T, int(ld)};
  }
  return {false, CUBLAS_OP_N, 0};
}

template <class T>
cublasStatus_t blas_gemm(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb, int m, int n, int k,
                         const T* alpha, const T* a, int lda, const T* b, int ldb, const T* beta, T* c, int ldc) {
  if constexpr (std::is_same_v<T, float>) return cublasSgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  else return cublasDgemm(h, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
#else
class blas_handle {};
#endif

// c (contiguous, rows of A x columns of B) = A B.
template <class Policy, class T, std::size_t RA, std::size_t RB>
void matrix_product(const Policy& policy, blas_handle& blas, const strided<const T, RA>& a, const strided<const T, RB>& b,
                    T* c) {
#if defined(THEON_CUBLAS)
  if constexpr ((std::is_same_v<T, float> || std::is_same_v<T, double>) &&
                requires(Policy& p) { thrust::cuda_cub::stream(p); }) {
    const matrix_operand ma = as_left_matrix(a), mb = as_right_matrix(b);
    const blas_layout la = transposed_layout(ma), lb = transposed_layout(mb);
    const bool sized = ma.rows * mb.cols != 0 && ma.cols != 0;
    if (la.usable && lb.usable && sized) {
      Policy p = policy;
      const cublasHandle_t h = blas.get();
      cublasSetStream(h, thrust::cuda_cub::stream(p));
      const T one = 1, zero = 0;
      const cublasStatus_t status = blas_gemm<T>(h, lb.op, la.op, int(mb.cols), int(ma.rows), int(ma.cols), &one, b.data,
                                                 lb.leading, a.data, la.leading, &zero, c, int(mb.cols));
      if (status != CUBLAS_STATUS_SUCCESS)
        throw std::runtime_error("theon: cuBLAS gemm failed with status " + std::to_string(int(status)));
      return;
    }
  }
#endif
  (void)blas;
  thrust_loops::product_by_elements(policy, a, b, c);
}

}  // namespace theon
