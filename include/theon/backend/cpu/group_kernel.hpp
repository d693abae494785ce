#pragma once
// One fused loop on the CPU: the loop program (exec/loop_program.hpp) run
// over rows, on xsimd batches where every value in it is of one floating
// dtype (booleans from comparisons ride along as batch masks) and on scalars
// for the rest, split over threads.
#include <memory>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "theon/backend/cpu/threads.hpp"
#include "theon/exec/loop_nest.hpp"
#include "theon/exec/loop_program.hpp"
#include "theon/ops/arithmetic.hpp"

namespace theon {

template <class T>
struct simd_mode {
  using batch = xsimd::batch<T>;
};
template <class T, class D>
struct mode_value<simd_mode<T>, D> {
  using type = std::conditional_t<std::is_same_v<D, bool>, xsimd::batch_bool<T>, xsimd::batch<T>>;
};

template <class G, std::size_t Root>
struct group_kernel : loop_program<G, Root> {
  using program = loop_program<G, Root>;
  using typename program::reader;
  using typename program::result_t;
  using typename program::sinks;
  using program::accumulated;
  using program::for_each_reduction;
  using program::members;
  using program::draw_count;
  using program::draws;
  using program::read_count;
  using program::reads;
  using program::walked;
  using program::reduces;
  using program::shift_reads;
  template <std::size_t K>
  using instruction_at = typename program::template instruction_at<K>;
  template <std::size_t A>
  using consumed_by = typename program::template consumed_by<A>;
  template <std::size_t A>
  using reduce_op = typename program::template reduce_op<A>;

  // Whether every op in the loop is a few instructions (no exp, log, division, pow).
  static constexpr bool cheap_members = []<std::size_t... K>(std::index_sequence<K...>) {
    return (node_op_t<node_at<G, members.items[K]>>::cheap && ...);
  }(std::make_index_sequence<members.count>{});

  // ---- SIMD eligibility -------------------------------------------------
  // Every value a SIMD loop computes is a result_t, or a bool (masks of
  // comparisons between result_t values, used by members).
  template <class Have, class Want, class Result, bool Member>
  struct simd_value
      : std::bool_constant<std::is_same_v<Have, Want> &&
                           (std::is_same_v<Result, bool> ? std::is_same_v<Want, result_t>  // a comparison of result_t values
                                                         : std::is_same_v<Want, result_t> ||
                                                               (std::is_same_v<Want, bool> && Member))> {};
  template <class D>
  struct simd_dtype : std::bool_constant<std::is_same_v<storage_t<D>, result_t> || std::is_same_v<storage_t<D>, bool>> {};

  template <class Instruction>
  struct simd_instruction;
  template <class Source, class Result>
  struct simd_source;
  template <class L, class D, class Result>
  struct simd_source<from_literal<L, D>, Result> : simd_dtype<D> {};
  template <class I, class D, class Result>
  struct simd_source<from_constant<I, D>, Result> : std::bool_constant<simd_dtype<D>::value && simd_instruction<I>::value> {};
  template <std::size_t P, class Result>
  struct simd_source<from_position<P>, Result> : std::true_type {};  // a draw's lanes' positions
  template <std::size_t R, class Stored, class D, class Result>
  struct simd_source<from_key<R, Stored, D>, Result> : std::true_type {};  // one number for every lane
  template <std::size_t K, class Stored, class D, class Result>
  struct simd_source<from_local<K, Stored, D>, Result> : simd_value<Stored, storage_t<D>, Result, true> {};
  template <std::size_t R, class Stored, class D, class Result>
  struct simd_source<from_read<R, Stored, D>, Result> : simd_value<Stored, storage_t<D>, Result, false> {};
  template <class Op, class R, class... Sources>
  struct simd_instruction<instruction<Op, R, Sources...>>
      : std::bool_constant<simd_dtype<R>::value && (simd_source<Sources, storage_t<R>>::value && ...)> {};

  // nvcc compiles the kernel body for the device as well, and refuses SIMD
  // registers in host-device functions: a translation unit it compiles runs
  // the CPU runner's scalar path (the host compiler's units keep SIMD).
#if defined(__CUDACC__)
  static constexpr bool host_simd = false;
#else
  static constexpr bool host_simd = true;
#endif
  static constexpr bool vectorised = [] {
    if constexpr (!std::is_floating_point_v<result_t> || !host_simd) return false;
    else {
      bool ok = [&]<std::size_t... K>(std::index_sequence<K...>) {
        return (simd_instruction<instruction_at<K>>::value && ...);
      }(std::make_index_sequence<members.count>{});
      if constexpr (reduces)
        ok = ok && [&]<std::size_t... A>(std::index_sequence<A...>) {
          return ((std::is_same_v<storage_t<typename consumed_by<A>::D>, result_t> &&
                   simd_source<typename consumed_by<A>::type, result_t>::value) &&
                  ...);
        }(std::make_index_sequence<accumulated.count>{});
      return ok;
    }
  }();

  // Processes elements [begin, end) of one row into the sinks (inner stride out_stride).
  // Simd: every read walks the row with stride 0 or 1, so batches can load it.
  template <bool Contiguous, bool Simd>
  static void row_span(const reader& rd, const sinks& sink, std::ptrdiff_t out_stride, std::size_t begin,
                       std::size_t end) {
    // Where batches do the work, the scalar loop only finishes a row's tail:
    // one strided version serves every row, and the compiler emits the
    // loop's body once less per kind of row.
    constexpr bool scalar_contiguous = Contiguous && !(vectorised && Simd);
    std::size_t t = begin;
    if constexpr (!reduces) {
      if constexpr (vectorised && Simd) {
        using mode = simd_mode<result_t>;
        constexpr std::size_t width = mode::batch::size;
        if (out_stride == 1)
          for (; t + width <= end; t += width) program::template store<mode, Contiguous>(rd, t, sink, static_cast<std::ptrdiff_t>(t));
      }
      for (; t < end; ++t) program::template store<scalar_mode, scalar_contiguous>(rd, t, sink, static_cast<std::ptrdiff_t>(t) * out_stride);
    } else if (out_stride == 0) {  // the row folds into one result per reduction
      std::array<result_t, accumulated.count> acc;
      for_each_reduction([&](auto a) { acc[a] = program::template identity<a>; });
      if constexpr (vectorised && Simd) {
        using mode = simd_mode<result_t>;
        using batch = typename mode::batch;
        constexpr std::size_t width = batch::size;
        if (t + width <= end) {
          // A loop of loads and cheap arithmetic (max(x), sum((x - mu) * (x - mu)))
          // folds into four independent accumulators: with one, each step waits
          // for the previous combine. Loops with transcendental work
          // (sum(exp(...))) have enough independent work already, and run faster with one.
          constexpr std::size_t ways = cheap_members ? 4 : 1;
          std::array<std::array<batch, ways>, accumulated.count> lanes;
          for_each_reduction([&](auto a) { lanes[a].fill(batch(program::template identity<a>)); });
          auto fold = [&](std::size_t way, std::size_t at) {
            const auto v = program::template consumed_values<mode, Contiguous>(rd, at);
            for_each_reduction([&](auto a) { lanes[a][way] = reduce_op<a>::combine(lanes[a][way], v[a]); });
          };
          for (; t + ways * width <= end; t += ways * width)
            [&]<std::size_t... J>(std::index_sequence<J...>) {
              (fold(J, t + J * width), ...);
            }(std::make_index_sequence<ways>{});
          for (; t + width <= end; t += width) fold(0, t);
          for_each_reduction([&](auto a) {
            for (std::size_t k = 1; k < ways; ++k) lanes[a][0] = reduce_op<a>::combine(lanes[a][0], lanes[a][k]);
            alignas(64) result_t spill[width];
            lanes[a][0].store_aligned(spill);
            for (std::size_t k = 0; k < width; ++k) acc[a] = reduce_op<a>::combine(acc[a], spill[k]);
          });
        }
      }
      for (; t < end; ++t) {
        const auto v = program::template consumed_values<scalar_mode, scalar_contiguous>(rd, t);
        for_each_reduction([&](auto a) { acc[a] = reduce_op<a>::combine(acc[a], v[a]); });
      }
      for_each_reduction([&](auto a) { *sink[a] = reduce_op<a>::combine(*sink[a], acc[a]); });
    } else {  // each element of the row folds into its own result
      auto fold = [&]<class Mode>(Mode, std::size_t at, std::ptrdiff_t offset) {
        constexpr bool contiguous = std::is_same_v<Mode, scalar_mode> ? scalar_contiguous : Contiguous;
        const auto v = program::template consumed_values<Mode, contiguous>(rd, at);
        for_each_reduction([&](auto a) {
          if constexpr (std::is_same_v<Mode, scalar_mode>) sink[a][offset] = reduce_op<a>::combine(sink[a][offset], v[a]);
          else reduce_op<a>::combine(Mode::batch::load_unaligned(sink[a] + offset), v[a]).store_unaligned(sink[a] + offset);
        });
      };
      if constexpr (vectorised && Simd) {
        constexpr std::size_t width = simd_mode<result_t>::batch::size;
        if (out_stride == 1)
          for (; t + width <= end; t += width) fold(simd_mode<result_t>{}, t, static_cast<std::ptrdiff_t>(t));
      }
      for (; t < end; ++t) fold(scalar_mode{}, t, static_cast<std::ptrdiff_t>(t) * out_stride);
    }
  }

  // ---- the whole loop -------------------------------------------------------
  // views: the runner's strided view of every node; loop_shape: the shape iterated;
  // out: the sinks, with strides over the loop shape (0 along reduced axes).
  template <std::size_t L, class Views>
  static void run(const Views& views, const extents<L>& loop_shape, const sinks& out, const strides_t<L>& out_strides,
                  const threading& threads) {
    std::array<strides_t<L>, walked + 1> strides{};
    std::array<const void*, read_count> base{};
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((strides[K] = broadcast_strides<L>(at<reads.items[K]>(views)),
        base[K] = at<reads.items[K]>(views).data), ...);
    }(std::make_index_sequence<read_count>{});
    [&]<std::size_t... P>(std::index_sequence<P...>) {
      ((strides[read_count + P] = position_strides<L>(at<draws.items[P]>(views).shape)), ...);
    }(std::make_index_sequence<draw_count>{});
    strides[walked] = out_strides;
    const auto nest = make_loop_nest(loop_shape, strides);

    auto reader_at = [&](const std::array<std::ptrdiff_t, walked + 1>& offset, std::size_t shift) {
      reader rd;
      std::array<std::ptrdiff_t, walked + 1> moved;
      for (std::size_t k = 0; k < walked; ++k)
        moved[k] = offset[k] + static_cast<std::ptrdiff_t>(shift) * nest.row_stride(k);
      for (std::size_t k = 0; k < read_count; ++k) {
        rd.pointer[k] = base[k];
        rd.stride[k] = nest.row_stride(k);
      }
      for (std::size_t p = 0; p < draw_count; ++p) {
        rd.position[p] = 0;
        rd.position_stride[p] = nest.row_stride(read_count + p);
      }
      shift_reads(rd, moved.data());
      return rd;
    };
    bool contiguous = true, unit_or_zero = true;
    for (std::size_t k = 0; k < read_count; ++k) {
      contiguous = contiguous && nest.row_stride(k) == 1;
      unit_or_zero = unit_or_zero && (nest.row_stride(k) == 1 || nest.row_stride(k) == 0);
    }
    const std::ptrdiff_t out_stride = nest.row_stride(walked);

    // Runs rows [first, last), or elements [begin, end) of the only row, into `sink`.
    auto rows = [&](std::size_t first, std::size_t last, std::size_t begin, std::size_t end, const sinks& sink) {
      for (std::size_t r = first; r < last; ++r) {
        const auto offset = nest.row_start(r);
        // A row starting at element `begin` reads from there: its pointers are shifted,
        // and the span runs over [0, end - begin).
        const reader rd = reader_at(offset, begin);
        sinks o = sink;
        for (result_t*& s : o) s += offset[walked] + static_cast<std::ptrdiff_t>(begin) * out_stride;
        if (contiguous) row_span<true, true>(rd, o, out_stride, 0, end - begin);
        else if (unit_or_zero) row_span<false, vectorised>(rd, o, out_stride, 0, end - begin);  // as strided rows without SIMD
        else row_span<false, false>(rd, o, out_stride, 0, end - begin);
      }
    };

    const std::size_t row_count = nest.row_count(), row_length = nest.row_length();
    const std::size_t parts = threads.count_for(row_count * row_length);
    bool folds_everything = reduces;  // every element lands in the same result
    for (std::size_t a = 0; a < nest.rank; ++a) folds_everything = folds_everything && nest.strides[walked][a] == 0;
    bool rows_independent = !reduces;  // no two rows write the same result
    if (reduces) {
      rows_independent = true;
      for (std::size_t a = 0; a + 1 < nest.rank; ++a) rows_independent = rows_independent && nest.strides[walked][a] != 0;
    }

    if (parts > 1 && folds_everything) {
      if constexpr (reduces) {  // each thread folds into partial results of its own, combined in order
        constexpr std::size_t n = accumulated.count;
        // Not a std::vector: vector<bool> hands out no bool*.
        const auto partial = std::make_unique<result_t[]>(parts * n);
        auto partial_sinks = [&](std::size_t p) {
          sinks s;
          for (std::size_t a = 0; a < n; ++a) s[a] = &partial[p * n + a];
          return s;
        };
        for (std::size_t p = 0; p < parts; ++p) for_each_reduction([&](auto a) { partial[p * n + a] = program::template identity<a>; });
        const bool split_row = row_count < parts;
        parallel_for(split_row ? row_length : row_count, parts, [&](std::size_t b, std::size_t e, std::size_t p) {
          if (split_row) rows(0, row_count, b, e, partial_sinks(p));
          else rows(b, e, 0, row_length, partial_sinks(p));
        });
        for (std::size_t p = 0; p < parts; ++p)
          for_each_reduction([&](auto a) { *out[a] = reduce_op<a>::combine(*out[a], partial[p * n + a]); });
      }
    } else if (parts > 1 && rows_independent && (row_count >= parts || !reduces)) {
      if (row_count >= parts) {
        parallel_for(row_count, parts, [&](std::size_t b, std::size_t e, std::size_t) { rows(b, e, 0, row_length, out); });
      } else {
        parallel_for(row_length, parts, [&](std::size_t b, std::size_t e, std::size_t) { rows(0, row_count, b, e, out); });
      }
    } else {
      rows(0, row_count, 0, row_length, out);
    }
  }
};

}  // namespace theon
