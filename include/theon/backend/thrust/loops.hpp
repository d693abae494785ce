#pragma once
// The Thrust runner's loops. Each element of a fused loop is computed by the
// loop program shared with the CPU runner, loop_program<G, Root> in scalar mode, at
// operand pointers found from the element's index; Thrust launches one call
// per element (for_each_n), per segment of a reduction (reduce_by_key) or for
// a whole reduction (transform_reduce), on the execution policy given.
#include <array>
#include <cstddef>
#include <stdexcept>
#include <utility>

#include <thrust/device_ptr.h>
#include <thrust/fill.h>
#include <thrust/for_each.h>
#include <thrust/functional.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/iterator/discard_iterator.h>
#include <thrust/iterator/transform_iterator.h>
#include <thrust/reduce.h>
#include <thrust/transform.h>

#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
#include <cub/device/device_reduce.cuh>
#endif

#include "theon/exec/loop_nest.hpp"
#include "theon/exec/matrix.hpp"
#include "theon/exec/loop_program.hpp"
#include "theon/backend/thrust/memory.hpp"

namespace theon::thrust_loops {

using index_iterator = thrust::counting_iterator<std::size_t>;

// Offsets of N operands at element v of a loop nest, counted row-major over
// its merged axes (a contiguous loop of any rank is one axis: no division).
// The walk over axes and operands is unrolled: with constant indices a GPU
// keeps the nest in registers instead of copying it to per-thread memory.
template <std::size_t R, std::size_t N>
struct element_walk {
  loop_nest<R, N> nest;

  THEON_HD std::array<std::ptrdiff_t, N> offsets(std::size_t v) const {
    std::array<std::ptrdiff_t, N> offset{};
    auto step = [&]<std::size_t Axis>(std::integral_constant<std::size_t, Axis>) {
      if (Axis >= nest.rank) return;
      std::size_t i = v;  // the first axis takes what is left
      if constexpr (Axis > 0) {
        i = v % nest.shape[Axis];
        v /= nest.shape[Axis];
      }
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        ((offset[K] += static_cast<std::ptrdiff_t>(i) * nest.strides[K][Axis]), ...);
      }(std::make_index_sequence<N>{});
    };
    [&]<std::size_t... A>(std::index_sequence<A...>) {
      (step(std::integral_constant<std::size_t, R - 1 - A>{}), ...);  // last axis first
    }(std::make_index_sequence<R>{});
    return offset;
  }
};

// Root's loop at one element: operands read at their offsets, the group's
// nodes computed by the shared kernel body. The last offset is the sinks'.
template <class G, std::size_t Root, std::size_t L>
struct group_element {
  using kernel = loop_program<G, Root>;
  using result_t = typename kernel::result_t;
  static constexpr std::size_t walked = kernel::walked;  // reads and draws; the sinks come last

  element_walk<L, walked + 1> walk;
  typename kernel::reader origin;  // every read and draw at the loop's first element; strides unused

  THEON_HD typename kernel::reader reader_at(const std::array<std::ptrdiff_t, walked + 1>& offset) const {
    typename kernel::reader rd = origin;
    kernel::shift_reads(rd, offset.data());
    return rd;
  }
};

// A reduction loop: what its reduction A consumes at element v. A loop of
// several reductions runs once per reduction here.
template <class G, std::size_t Root, std::size_t L, std::size_t A>
struct consumed_element {
  using element = group_element<G, Root, L>;
  element loop;

  THEON_HD typename element::result_t operator()(std::size_t v) const {
    return element::kernel::template consumed_values<scalar_mode, false>(loop.reader_at(loop.walk.offsets(v)), 0)[A];
  }
};

// An elementwise loop: every store written at element v.
template <class G, std::size_t Root, std::size_t L>
struct store_element {
  using element = group_element<G, Root, L>;
  element loop;
  typename element::kernel::sinks out;

  THEON_HD void operator()(std::size_t v) const {
    const auto offset = loop.walk.offsets(v);
    element::kernel::template store<scalar_mode, false>(loop.reader_at(offset), 0, out, offset[element::walked]);
  }
};

// Builds the element functor of Root's loop over loop_shape. Views: the
// runner's per-node strided views; sink: the result's strides over the loop.
// Reductions put the axes the sink does not move along (the reduced ones)
// last, so each result's elements are one run of consecutive indices.
template <class G, std::size_t Root, std::size_t L, class Views>
group_element<G, Root, L> make_group_element(const Views& views, const extents<L>& loop_shape,
                                             const strides_t<L>& sink) {
  using element = group_element<G, Root, L>;
  using kernel = typename element::kernel;
  constexpr std::size_t N = element::walked + 1;
  std::array<strides_t<L>, N> strides{};
  element e{};
  [&]<std::size_t... K>(std::index_sequence<K...>) {
    ((strides[K] = broadcast_strides<L>(at<kernel::reads.items[K]>(views)),
      e.origin.pointer[K] = at<kernel::reads.items[K]>(views).data, e.origin.stride[K] = 0), ...);
  }(std::make_index_sequence<kernel::read_count>{});
  [&]<std::size_t... P>(std::index_sequence<P...>) {
    ((strides[kernel::read_count + P] = position_strides<L>(at<kernel::draws.items[P]>(views).shape),
      e.origin.position[P] = 0, e.origin.position_stride[P] = 0), ...);
  }(std::make_index_sequence<kernel::draw_count>{});
  strides[N - 1] = sink;

  extents<L> shape{};
  std::array<strides_t<L>, N> ordered{};
  std::size_t position = 0;
  for (const bool reduced : {false, true})
    for (std::size_t axis = 0; axis != L; ++axis)
      if ((sink[axis] == 0 && loop_shape[axis] != 1) == reduced) {
        shape[position] = loop_shape[axis];
        for (std::size_t op = 0; op < N; ++op) ordered[op][position] = strides[op][axis];
        ++position;
      }
  e.walk.nest = make_loop_nest(shape, ordered);
  return e;
}

// Each store's out[i] = its value at element i of Root's elementwise loop (each out contiguous over loop_shape).
template <class G, std::size_t Root, std::size_t L, class Policy, class Views>
void run_elementwise(const Policy& policy, const Views& views, const extents<L>& loop_shape,
                     const typename loop_program<G, Root>::sinks& out) {
  const auto element = make_group_element<G, Root>(views, loop_shape, row_major_strides(loop_shape));
  thrust::for_each_n(policy, index_iterator(0), element_count(loop_shape), store_element<G, Root, L>{element, out});
}

template <class Op, class T>
struct combine_with {
  THEON_HD T operator()(T a, T b) const { return Op::combine(a, b); }
};
template <class Op, class T>
struct finalize_with {
  std::size_t count;
  THEON_HD T operator()(T v) const { return Op::finalize(v, count); }
};
struct segment_of {
  std::size_t length;
  THEON_HD std::size_t operator()(std::size_t v) const { return v / length; }
};

// *out = identity combined with the n values, left in device memory.
template <class Policy, class Values, class Combine, class T>
void reduce_to_one(const Policy& policy, Values values, std::size_t n, T* out, Combine combine, T identity) {
#if THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_CUDA
  // CUB writes the result on the policy's stream; thrust::reduce would copy
  // it to the host and wait, once per reduction.
  Policy p = policy;
  const cudaStream_t stream = thrust::cuda_cub::stream(p);
  std::size_t bytes = 0;
  cub::DeviceReduce::Reduce(nullptr, bytes, values, out, n, combine, identity, stream);
  device_memory<char> scratch(bytes);
  if (cub::DeviceReduce::Reduce(scratch.get(), bytes, values, out, n, combine, identity, stream) != cudaSuccess)
    throw std::runtime_error("theon: a reduction failed to launch on the GPU");
#else
  const T total = thrust::reduce(policy, values, values + static_cast<std::ptrdiff_t>(n), identity, combine);
  thrust::fill_n(policy, thrust::device_pointer_cast(out), 1, total);
#endif
}

// Reduction A (operator Op) of Root's loop over loop_shape into `segments`
// results, each combining `length` consecutive elements of the reordered loop.
template <class G, std::size_t Root, std::size_t A, class Op, std::size_t L, class Policy, class Views>
void run_reduction(const Policy& policy, const Views& views, const extents<L>& loop_shape, const strides_t<L>& sink,
                   std::size_t segments, typename loop_program<G, Root>::result_t* out) {
  using T = typename loop_program<G, Root>::result_t;
  if (segments == 0) return;
  const std::size_t length = element_count(loop_shape) / segments;
  const auto result = thrust::device_pointer_cast(out);
  const T identity = Op::template identity<T>();
  if (length == 0) {
    thrust::fill_n(policy, result, segments, identity);
  } else {
    const consumed_element<G, Root, L, A> value{make_group_element<G, Root>(views, loop_shape, sink)};
    if (segments == 1) {
      reduce_to_one(policy, thrust::make_transform_iterator(index_iterator(0), value), length, out, combine_with<Op, T>{},
                    identity);
    } else {
      const auto keys = thrust::make_transform_iterator(index_iterator(0), segment_of{length});
      thrust::reduce_by_key(policy, keys, keys + static_cast<std::ptrdiff_t>(segments * length),
                            thrust::make_transform_iterator(index_iterator(0), value), thrust::make_discard_iterator(),
                            result, thrust::equal_to<std::size_t>(), combine_with<Op, T>{});
    }
  }
  if constexpr (requires { Op::finalize(T{}, std::size_t{}); })
    thrust::transform(policy, result, result + static_cast<std::ptrdiff_t>(segments), result,
                      finalize_with<Op, T>{Op::count(loop_shape)});
}

// C = A B for A (m x n) and B (n x p) as strided matrices, one result per element.
template <class T>
struct product_element {
  const T* a;
  const T* b;
  T* c;
  matrix_operand ma, mb;

  THEON_HD void operator()(std::size_t e) const {
    const std::size_t i = e / mb.cols, j = e % mb.cols;
    T acc = 0;
    for (std::size_t k = 0; k < ma.cols; ++k)
      acc += a[static_cast<std::ptrdiff_t>(i) * ma.row_stride + static_cast<std::ptrdiff_t>(k) * ma.col_stride] *
             b[static_cast<std::ptrdiff_t>(k) * mb.row_stride + static_cast<std::ptrdiff_t>(j) * mb.col_stride];
    c[e] = acc;
  }
};

template <class Policy, class T, std::size_t RA, std::size_t RB>
void product_by_elements(const Policy& policy, const strided<const T, RA>& a, const strided<const T, RB>& b, T* c) {
  const matrix_operand ma = as_left_matrix(a), mb = as_right_matrix(b);
  thrust::for_each_n(policy, index_iterator(0), ma.rows * mb.cols, product_element<T>{a.data, b.data, c, ma, mb});
}

// out = alpha * out + beta * c, c broadcast over out's shape: gemm's second half.
template <class T, std::size_t R>
struct scale_and_add_element {
  element_walk<R, 2> walk;  // c, out
  const T* c;
  T* out;
  T alpha, beta;

  THEON_HD void operator()(std::size_t v) const {
    const auto offset = walk.offsets(v);
    out[offset[1]] = alpha * out[offset[1]] + beta * c[offset[0]];
  }
};

template <class Policy, class T, std::size_t R, std::size_t RC>
void scale_and_add(const Policy& policy, T alpha, T beta, const strided<const T, RC>& c, T* out, const extents<R>& shape) {
  const element_walk<R, 2> walk{make_loop_nest<R, 2>(shape, {broadcast_strides<R>(c), row_major_strides(shape)})};
  thrust::for_each_n(policy, index_iterator(0), element_count(shape), scale_and_add_element<T, R>{walk, c.data, out, alpha, beta});
}

// to[...] = from[...], `to` contiguous row-major with from's shape.
template <class T, std::size_t R>
struct copy_element {
  element_walk<R, 2> walk;
  const T* from;
  T* to;
  THEON_HD void operator()(std::size_t v) const {
    const auto offset = walk.offsets(v);
    to[offset[1]] = from[offset[0]];
  }
};

template <class Policy, class T, std::size_t R>
void copy_strided(const Policy& policy, const strided<const T, R>& from, T* to) {
  const element_walk<R, 2> walk{make_loop_nest<R, 2>(from.shape, {from.strides, row_major_strides(from.shape)})};
  thrust::for_each_n(policy, index_iterator(0), element_count(from.shape), copy_element<T, R>{walk, from.data, to});
}

}  // namespace theon::thrust_loops
