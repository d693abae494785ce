#pragma once
// One fused loop: the elementwise nodes of a group computed per element (each
// unique node once, into a local), ending in stores (an elementwise loop writes
// each of its materialised members) or in accumulations (a reduction loop folds
// each of its reductions). The same member walk serves scalars and xsimd batches; a group takes the SIMD path when every value in it is of one
// floating dtype (booleans from comparisons ride along as batch masks).
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include <xsimd/xsimd.hpp>

#include "theon/backend/cpu/loop.hpp"
#include "theon/backend/cpu/threads.hpp"
#include "theon/core/flat_tuple.hpp"
#include "theon/ops/arithmetic.hpp"
#include "theon/plan/plan.hpp"

namespace theon {

template <class G, std::size_t I>
using node_at = typename type_at<I, typename G::nodes>::type;
// The dtype node I is stored in.
template <class G, std::size_t I>
using stored_t = storage_t<dtype_t<node_at<G, I>>>;

struct scalar_mode {};
template <class T>
struct simd_mode {
  using batch = xsimd::batch<T>;
};

// The value type of dtype D in a mode: D itself, or a batch (of masks for bool).
template <class Mode, class D>
struct mode_value {
  using type = D;
};
template <class T, class D>
struct mode_value<simd_mode<T>, D> {
  using type = std::conditional_t<std::is_same_v<D, bool>, xsimd::batch_bool<T>, xsimd::batch<T>>;
};
template <class Mode, class D>
using mode_value_t = typename mode_value<Mode, D>::type;

// The operands a loop reads: a pointer and an element stride for each. The
// pointers are untyped (the instructions that read them know each one's
// dtype), so the reader's type names only how many there are.
template <std::size_t N>
struct row_reader {
  std::array<const void*, N> pointer;
  std::array<std::ptrdiff_t, N> stride;

  THEON_HD_TEMPLATE(std::size_t R, class T, bool Contiguous, class Mode)
  auto load(std::size_t t) const {
    const T* p = static_cast<const T*>(pointer[R]);
    if constexpr (std::is_same_v<Mode, scalar_mode>) return p[static_cast<std::ptrdiff_t>(t) * stride[R]];
    else if constexpr (Contiguous) return Mode::batch::load_unaligned(p + t);
    else return stride[R] == 0 ? typename Mode::batch(*p) : Mode::batch::load_unaligned(p + t);
  }
};

// The values a loop computes, kept by stored dtype: an array per dtype, in
// dtype_id order (float32, float64, int32, int64, bool). The type is named by
// the five counts alone, and so are the instruction functions that read it:
// named by every value of the loop, each of a loop's instructions had a
// name as long as the loop, and g++'s symbol table grew with their product.
template <class Mode, std::size_t F32, std::size_t F64, std::size_t I32, std::size_t I64, std::size_t B>
struct local_values {
  std::array<mode_value_t<Mode, float>, F32> f32;
  std::array<mode_value_t<Mode, double>, F64> f64;
  std::array<mode_value_t<Mode, int32>, I32> i32;
  std::array<mode_value_t<Mode, int64>, I64> i64;
  std::array<mode_value_t<Mode, bool>, B> b;
};
// The array of dtype D's values.
THEON_HD_TEMPLATE(class D, class Values)
constexpr auto& of_dtype(Values& v) {
  if constexpr (std::is_same_v<D, float>) return v.f32;
  else if constexpr (std::is_same_v<D, double>) return v.f64;
  else if constexpr (std::is_same_v<D, int32>) return v.i32;
  else if constexpr (std::is_same_v<D, int64>) return v.i64;
  else return v.b;
}

// ---- loop programs ---------------------------------------------------------
// A fused loop runs a program: one instruction per node it computes, whose
// operands name where each value comes from (an earlier instruction's local,
// a read, a literal) and the dtype the op takes it in. The instructions know
// nothing of the graph, so their code is compiled once per distinct
// instruction, not once per node type: a sum of a hundred terms is a hundred
// small instantiations, not a hundred carrying every partial sum.
template <class Op, class Result, class... Sources>
struct instruction {};
template <std::size_t Slot, class Stored, class D>  // the Slot-th local of dtype Stored
struct from_local {};
template <std::size_t Read, class Stored, class D>
struct from_read {};
template <class Literal, class D>
struct from_literal {};
// A node of literals that is not materialised: computed where it is used.
template <class Instruction, class D>
struct from_constant {};

THEON_HD_TEMPLATE(class Mode, class D, class V)
auto convert_to(V v) {
  if constexpr (std::is_same_v<Mode, scalar_mode>) return static_cast<storage_t<D>>(v);
  else return v;  // the SIMD path runs only where no conversion is needed
}

THEON_HD_TEMPLATE(class Mode, bool Contiguous, std::size_t Slot, class Stored, class D, class Locals, class Reader)
auto fetch(from_local<Slot, Stored, D>, const Locals& l, const Reader&, std::size_t) {
  return convert_to<Mode, D>(of_dtype<Stored>(l)[Slot]);
}
THEON_HD_TEMPLATE(class Mode, bool Contiguous, std::size_t R, class Stored, class D, class Locals, class Reader)
auto fetch(from_read<R, Stored, D>, const Locals&, const Reader& rd, std::size_t t) {
  return convert_to<Mode, D>(rd.template load<R, Stored, Contiguous, Mode>(t));
}
THEON_HD_TEMPLATE(class Mode, bool Contiguous, class Literal, class D, class Locals, class Reader)
auto fetch(from_literal<Literal, D>, const Locals&, const Reader&, std::size_t) {
  using S = storage_t<D>;
  if constexpr (std::is_same_v<Mode, scalar_mode>) return Literal::template value<S>();
  else return mode_value_t<Mode, S>(Literal::template value<S>());
}
THEON_HD_TEMPLATE(class Mode, bool Contiguous, class Op, class R, class... Sources, class Locals, class Reader)
auto execute(instruction<Op, R, Sources...>, const Locals& l, const Reader& rd, std::size_t t) {
  return convert_to<Mode, R>(Op::eval(fetch<Mode, Contiguous>(Sources{}, l, rd, t)...));
}
THEON_HD_TEMPLATE(class Mode, bool Contiguous, class Instruction, class D, class Locals, class Reader)
auto fetch(from_constant<Instruction, D>, const Locals& l, const Reader& rd, std::size_t t) {
  return convert_to<Mode, D>(execute<Mode, Contiguous>(Instruction{}, l, rd, t));
}

// Elementwise ops that cost a few instructions per element: not the
// transcendental functions and true division (the floating rule), not pow.
template <class Op>
inline constexpr bool cheap_op_v = !std::is_base_of_v<elementwise_op<floating_rule>, Op> && !std::is_same_v<Op, pow_op>;

template <class G, std::size_t Root>
struct group_kernel {
  using P = plan<G>;
  static constexpr bool reduces = G::kinds[Root] == node_kind::reduction;
  static constexpr auto members = P::members(Root);
  static constexpr auto reads = P::reads(Root);
  static constexpr std::size_t read_count = reads.count;
  using result_t = stored_t<G, Root>;
  // An elementwise loop stores its materialised members; a reduction loop
  // accumulates its reductions (several when they are full reductions over
  // one shape). Each writes its own memory, all of result_t.
  static constexpr auto stores = P::stores(Root);
  static constexpr auto accumulated = P::accumulated(Root);
  static constexpr auto written = reduces ? accumulated : stores;
  using sinks = std::array<result_t*, written.count>;

  // The written nodes' memory, from the runner's pointers per node.
  template <class PerNode>
  static sinks sinks_of(const PerNode& per_node) {
    return [&]<std::size_t... S>(std::index_sequence<S...>) {
      return sinks{at<written.items[S]>(per_node)...};
    }(std::make_index_sequence<written.count>{});
  }

  // f(std::integral_constant<std::size_t, A>{}) for each reduction A the loop accumulates.
  template <class F>
  static void for_each_reduction(F&& f) {
    [&]<std::size_t... A>(std::index_sequence<A...>) {
      (f(std::integral_constant<std::size_t, A>{}), ...);
    }(std::make_index_sequence<accumulated.count>{});
  }

  // Whether every op in the loop is a few instructions (no exp, log, division, pow).
  static constexpr bool cheap_members = []<std::size_t... K>(std::index_sequence<K...>) {
    return (cheap_op_v<node_op_t<node_at<G, members.items[K]>>> && ...);
  }(std::make_index_sequence<members.count>{});

  // Where node i is in the loop: its member (local) position, or its read position.
  static constexpr std::size_t member_position(std::size_t i) {
    for (std::size_t k = 0; k != members.count; ++k)
      if (members.items[k] == i) return k;
    return no_node;
  }
  static constexpr std::size_t read_position(std::size_t i) {
    for (std::size_t k = 0; k != reads.count; ++k)
      if (reads.items[k] == i) return k;
    return no_node;
  }
  // Where each member's value is kept in local_values: its place among the
  // members of its stored dtype, and how many members each dtype has.
  struct local_layout {
    std::array<std::size_t, members.count> slot{};
    std::array<std::size_t, 5> count{};
  };
  static constexpr local_layout locals_by_dtype = [] {
    local_layout layout;
    for (std::size_t k = 0; k != members.count; ++k)
      layout.slot[k] = layout.count[static_cast<std::size_t>(G::stored_dtypes[members.items[k]])]++;
    return layout;
  }();
  static constexpr std::size_t local_slot(std::size_t member) {
    return member < members.count ? locals_by_dtype.slot[member] : no_node;
  }

  // ---- the program ----------------------------------------------------------
  // Class templates, not functions: a function here would be named with the
  // whole graph, once per node (see core/graph_walk.hpp).

  // An operand read only for its shape is passed as a zero of its dtype.
  template <class N, std::size_t K, class A>
  using read_operand = std::conditional_t<K == shape_only_operand_of<N>::value, lit<0>, A>;

  // The instruction computing node N.
  template <class N, class = std::make_index_sequence<operands<N>::type::size>>
  struct instruction_of;

  // Where operand A of a member comes from, taken as dtype D: a member's local or a read,
  template <class A, class D>
  struct source_of {
    static_assert(index_of<A, typename G::nodes>::value < G::size, "theon: an operand missing from its graph");
    static constexpr std::size_t node = index_of<A, typename G::nodes>::value, member = member_position(node);
    using type = std::conditional_t<member != no_node,
                                    from_local<local_slot(member), stored_t<G, node>, D>,
                                    from_read<read_position(node), stored_t<G, node>, D>>;
  };
  // a literal,
  template <class A, class D>
    requires is_lit_v<A>
  struct source_of<A, D> {
    using type = from_literal<A, D>;
  };
  // or a node of literals computed where it is used.
  template <class A, class D>
    requires(is_constant_node_v<A> && !P::materialised(index_of<A, typename G::nodes>::value))
  struct source_of<A, D> {
    using type = from_constant<typename instruction_of<A>::type, D>;
  };

  template <class Op, class... Args, std::size_t... K>
  struct instruction_of<node<Op, Args...>, std::index_sequence<K...>> {
    using N = node<Op, Args...>;
    using type = instruction<Op, dtype_t<N>,
                             typename source_of<read_operand<N, K, Args>, typename Op::template operand_dtype<K, Args...>>::type...>;
  };

  // The program: instruction K computes member K.
  template <std::size_t K>
  using instruction_at = typename instruction_of<node_at<G, members.items[K]>>::type;

  // The value a reduction consumes: its first operand, in the reduction's dtype D.
  template <class R>
  struct consumed;
  template <class Op, class A, class... Rest>
  struct consumed<node<Op, A, Rest...>> {
    using D = typename Op::template dtype<A, Rest...>;
    using type = typename source_of<A, D>::type;
  };
  // What the loop's reduction A consumes.
  template <std::size_t A>
  using consumed_by = consumed<node_at<G, accumulated.items[A]>>;

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

  template <class Mode>
  using locals = local_values<Mode, locals_by_dtype.count[0], locals_by_dtype.count[1], locals_by_dtype.count[2],
                              locals_by_dtype.count[3], locals_by_dtype.count[4]>;
  using reader = row_reader<read_count>;

  // Read K's pointer moved by `offset` elements (reader_at below, and the Thrust runner's).
  THEON_HD static void shift_reads(reader& rd, const std::ptrdiff_t* offset) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((rd.pointer[K] = static_cast<const stored_t<G, reads.items[K]>*>(rd.pointer[K]) + offset[K]), ...);
    }(std::make_index_sequence<read_count>{});
  }

  // Every member's value at element t of the row, into l. Host and device:
  // the Thrust runner computes elements one by one (scalar mode).
  THEON_HD_TEMPLATE(class Mode, bool Contiguous)
  static void compute(locals<Mode>& l, const reader& rd, std::size_t t) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((of_dtype<stored_t<G, members.items[K]>>(l)[local_slot(K)] =
            execute<Mode, Contiguous>(instruction_at<K>{}, l, rd, t)),
       ...);
    }(std::make_index_sequence<members.count>{});
  }

  // A reduction loop: the value each of its reductions consumes at element t.
  THEON_HD_TEMPLATE(class Mode, bool Contiguous)
  static auto consumed_values(const reader& rd, std::size_t t) {
    locals<Mode> l;
    compute<Mode, Contiguous>(l, rd, t);
    return [&]<std::size_t... A>(std::index_sequence<A...>) {
      return std::array<mode_value_t<Mode, result_t>, sizeof...(A)>{
          fetch<Mode, Contiguous>(typename consumed_by<A>::type{}, l, rd, t)...};
    }(std::make_index_sequence<accumulated.count>{});
  }

  // An elementwise loop: each store's value at element t, written `offset` past its sink.
  THEON_HD_TEMPLATE(class Mode, bool Contiguous)
  static void store(const reader& rd, std::size_t t, const sinks& out, std::ptrdiff_t offset) {
    locals<Mode> l;
    compute<Mode, Contiguous>(l, rd, t);
    [&]<std::size_t... S>(std::index_sequence<S...>) {
      constexpr auto slot = [](std::size_t s) { return local_slot(member_position(stores.items[s])); };
      if constexpr (std::is_same_v<Mode, scalar_mode>) ((out[S][offset] = of_dtype<result_t>(l)[slot(S)]), ...);
      else (of_dtype<result_t>(l)[slot(S)].store_unaligned(out[S] + offset), ...);
    }(std::make_index_sequence<stores.count>{});
  }

  // ---- rows ---------------------------------------------------------------
  template <class Op>
  struct reduce_op_of;
  template <class Op, class... Args>
  struct reduce_op_of<node<Op, Args...>> {
    using type = Op;
  };
  // The operator of reduction A.
  template <std::size_t A>
  using reduce_op = typename reduce_op_of<node_at<G, accumulated.items[A]>>::type;
  template <std::size_t A>
  static constexpr result_t identity = reduce_op<A>::template identity<result_t>();

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
          for (; t + width <= end; t += width) store<mode, Contiguous>(rd, t, sink, static_cast<std::ptrdiff_t>(t));
      }
      for (; t < end; ++t) store<scalar_mode, scalar_contiguous>(rd, t, sink, static_cast<std::ptrdiff_t>(t) * out_stride);
    } else if (out_stride == 0) {  // the row folds into one result per reduction
      std::array<result_t, accumulated.count> acc;
      for_each_reduction([&](auto a) { acc[a] = identity<a>; });
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
          for_each_reduction([&](auto a) { lanes[a].fill(batch(identity<a>)); });
          auto fold = [&](std::size_t way, std::size_t at) {
            const auto v = consumed_values<mode, Contiguous>(rd, at);
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
        const auto v = consumed_values<scalar_mode, scalar_contiguous>(rd, t);
        for_each_reduction([&](auto a) { acc[a] = reduce_op<a>::combine(acc[a], v[a]); });
      }
      for_each_reduction([&](auto a) { *sink[a] = reduce_op<a>::combine(*sink[a], acc[a]); });
    } else {  // each element of the row folds into its own result
      auto fold = [&]<class Mode>(Mode, std::size_t at, std::ptrdiff_t offset) {
        constexpr bool contiguous = std::is_same_v<Mode, scalar_mode> ? scalar_contiguous : Contiguous;
        const auto v = consumed_values<Mode, contiguous>(rd, at);
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
    std::array<strides_t<L>, read_count + 1> strides{};
    std::array<const void*, read_count> base{};
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((strides[K] = broadcast_strides<L>(at<reads.items[K]>(views)),
        base[K] = at<reads.items[K]>(views).data), ...);
    }(std::make_index_sequence<read_count>{});
    strides[read_count] = out_strides;
    const auto nest = make_loop_nest(loop_shape, strides);

    auto reader_at = [&](const std::array<std::ptrdiff_t, read_count + 1>& offset, std::size_t shift) {
      reader rd;
      std::array<std::ptrdiff_t, read_count + 1> moved;
      for (std::size_t k = 0; k < read_count; ++k) {
        rd.pointer[k] = base[k];
        rd.stride[k] = nest.row_stride(k);
        moved[k] = offset[k] + static_cast<std::ptrdiff_t>(shift) * nest.row_stride(k);
      }
      shift_reads(rd, moved.data());
      return rd;
    };
    bool contiguous = true, unit_or_zero = true;
    for (std::size_t k = 0; k < read_count; ++k) {
      contiguous = contiguous && nest.row_stride(k) == 1;
      unit_or_zero = unit_or_zero && (nest.row_stride(k) == 1 || nest.row_stride(k) == 0);
    }
    const std::ptrdiff_t out_stride = nest.row_stride(read_count);

    // Runs rows [first, last), or elements [begin, end) of the only row, into `sink`.
    auto rows = [&](std::size_t first, std::size_t last, std::size_t begin, std::size_t end, const sinks& sink) {
      for (std::size_t r = first; r < last; ++r) {
        const auto offset = nest.row_start(r);
        // A row starting at element `begin` reads from there: its pointers are shifted,
        // and the span runs over [0, end - begin).
        const reader rd = reader_at(offset, begin);
        sinks o = sink;
        for (result_t*& s : o) s += offset[read_count] + static_cast<std::ptrdiff_t>(begin) * out_stride;
        if (contiguous) row_span<true, true>(rd, o, out_stride, 0, end - begin);
        else if (unit_or_zero) row_span<false, vectorised>(rd, o, out_stride, 0, end - begin);  // as strided rows without SIMD
        else row_span<false, false>(rd, o, out_stride, 0, end - begin);
      }
    };

    const std::size_t row_count = nest.row_count(), row_length = nest.row_length();
    const std::size_t parts = threads.count_for(row_count * row_length);
    bool folds_everything = reduces;  // every element lands in the same result
    for (std::size_t a = 0; a < nest.rank; ++a) folds_everything = folds_everything && nest.strides[read_count][a] == 0;
    bool rows_independent = !reduces;  // no two rows write the same result
    if (reduces) {
      rows_independent = true;
      for (std::size_t a = 0; a + 1 < nest.rank; ++a) rows_independent = rows_independent && nest.strides[read_count][a] != 0;
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
        for (std::size_t p = 0; p < parts; ++p) for_each_reduction([&](auto a) { partial[p * n + a] = identity<a>; });
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
