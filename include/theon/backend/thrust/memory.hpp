#pragma once
// Memory of the Thrust device system: CUDA memory under nvcc, host memory when
// THRUST_DEVICE_SYSTEM names OMP, TBB or CPP. device_array is what the Thrust
// runner returns and reads in place; device_ref wraps memory the caller owns.
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <utility>

#include <thrust/copy.h>
#include <thrust/device_free.h>
#include <thrust/device_malloc.h>
#include <thrust/device_ptr.h>
#include <thrust/device_vector.h>
#include <thrust/execution_policy.h>
#include <thrust/host_vector.h>

#include "theon/exec/strided.hpp"

namespace theon {

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
// CUDA: memory comes from the device's stream-ordered pool (cudaMallocAsync),
// whose release threshold theon raises once so that freed blocks stay for the
// next call: cudaMalloc and cudaFree would synchronise the device every call.
inline void keep_pool_memory() {
  static const bool kept = [] {
    int device = 0;
    cudaMemPool_t pool{};
    std::uint64_t keep = UINT64_MAX;
    return cudaGetDevice(&device) == cudaSuccess && cudaDeviceGetDefaultMemPool(&pool, device) == cudaSuccess &&
           cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &keep) == cudaSuccess;
  }();
  (void)kept;
}
template <class T>
thrust::device_ptr<T> device_allocate(std::size_t n) {
  keep_pool_memory();
  void* p = nullptr;
  if (cudaMallocAsync(&p, n * sizeof(T), 0) != cudaSuccess) throw std::bad_alloc();
  return thrust::device_ptr<T>(static_cast<T*>(p));
}
template <class T>
void device_release(thrust::device_ptr<T> p) {
  cudaFreeAsync(thrust::raw_pointer_cast(p), 0);
}
#else
template <class T>
thrust::device_ptr<T> device_allocate(std::size_t n) {
  return thrust::device_malloc<T>(n);
}
template <class T>
void device_release(thrust::device_ptr<T> p) {
  thrust::device_free(p);
}
#endif

// The allocator the Thrust runner gives its algorithms for their temporary
// storage (reductions): the same pool.
struct temporary_allocator {
  using value_type = char;
  char* allocate(std::ptrdiff_t n) { return thrust::raw_pointer_cast(device_allocate<char>(static_cast<std::size_t>(n))); }
  void deallocate(char* p, std::size_t) { device_release(thrust::device_ptr<char>(p)); }
};

// Device memory for n elements, uninitialised (a result is written once, so
// filling it first would cost a pass over memory). Move-only.
template <class T>
class device_memory {
  thrust::device_ptr<T> data_{};
  std::size_t size_ = 0;

 public:
  device_memory() = default;
  explicit device_memory(std::size_t n) : data_(n ? device_allocate<T>(n) : thrust::device_ptr<T>{}), size_(n) {}
  device_memory(device_memory&& other) noexcept
      : data_(std::exchange(other.data_, thrust::device_ptr<T>{})), size_(std::exchange(other.size_, 0)) {}
  device_memory& operator=(device_memory&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  device_memory(const device_memory&) = delete;
  device_memory& operator=(const device_memory&) = delete;
  ~device_memory() {
    if (size_) device_release(data_);
  }

  std::size_t size() const { return size_; }
  T* get() const { return thrust::raw_pointer_cast(data_); }
  thrust::device_ptr<T> begin() const { return data_; }
  thrust::device_ptr<T> end() const { return data_ + static_cast<std::ptrdiff_t>(size_); }

  // At least n elements, kept between calls: reallocated only to grow.
  T* reserve(std::size_t n) {
    if (n > size_) *this = device_memory(n);
    return get();
  }
};

// An owning row-major array in device memory with its extents.
template <class T, std::size_t R>
class device_array {
  device_memory<T> memory_;
  extents<R> shape_{};

 public:
  using value_type = T;
  static constexpr std::size_t rank = R;

  device_array() = default;
  explicit device_array(const extents<R>& shape) : memory_(element_count(shape)), shape_(shape) {}
  // The elements of `values` (any Thrust or standard range of T), seen with `shape`.
  template <class Range>
  device_array(const Range& values, const extents<R>& shape) : device_array(shape) {
    if (static_cast<std::size_t>(values.size()) != size())
      throw shape_error("theon::device_array: the extents " + to_string(shape) + " hold " + std::to_string(size()) +
                        " elements but the values have " + std::to_string(values.size()));
    thrust::copy(values.begin(), values.end(), begin());
  }

  const extents<R>& shape() const { return shape_; }
  std::size_t size() const { return element_count(shape_); }
  T* data() { return memory_.get(); }
  const T* data() const { return memory_.get(); }
  thrust::device_ptr<T> begin() const { return memory_.begin(); }
  thrust::device_ptr<T> end() const { return memory_.begin() + static_cast<std::ptrdiff_t>(size()); }
  strided<const T, R> view() const { return {data(), shape_, row_major_strides(shape_)}; }
};

// Row-major device memory the caller owns (a raw CUDA pointer under nvcc).
template <class T, std::size_t R>
struct device_array_ref {
  using value_type = T;
  static constexpr std::size_t rank = R;
  const T* data;
  extents<R> shape;
  strided<const T, R> view() const { return {data, shape, row_major_strides(shape)}; }
};

template <class T, std::size_t R>
device_array_ref<T, R> device_ref(const T* data, const std::size_t (&shape)[R]) {
  device_array_ref<T, R> r{data, {}};
  for (std::size_t i = 0; i < R; ++i) r.shape[i] = shape[i];
  return r;
}

template <class V>
inline constexpr bool is_device_array_v = false;
template <class T, std::size_t R>
inline constexpr bool is_device_array_v<device_array<T, R>> = true;
template <class T, std::size_t R>
inline constexpr bool is_device_array_v<device_array_ref<T, R>> = true;
template <class V>
inline constexpr bool is_device_vector_v = false;
template <class T, class A>
inline constexpr bool is_device_vector_v<thrust::device_vector<T, A>> = true;
template <class V>
inline constexpr bool is_host_vector_v = false;
template <class T, class A>
inline constexpr bool is_host_vector_v<thrust::host_vector<T, A>> = true;

}  // namespace theon
