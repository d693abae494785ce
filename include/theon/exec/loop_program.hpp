#pragma once
// A fused loop's program, shared by every runner: the elementwise nodes of a
// group computed per element (each unique node once, into a local), ending in
// stores (an elementwise loop writes each of its materialised members) or in
// the values its reductions consume. The program reads and writes through
// plain pointers and strides and knows no backend: the CPU runner runs it on
// scalars and xsimd batches (backend/cpu/group_kernel.hpp), the Thrust runner
// one element per call (backend/thrust/loops.hpp).
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "theon/core/flat_tuple.hpp"
#include "theon/ops/op_base.hpp"
#include "theon/plan/plan.hpp"

namespace theon {

template <class G, std::size_t I>
using node_at = typename type_at<I, typename G::nodes>::type;
// The dtype node I is stored in.
template <class G, std::size_t I>
using stored_t = storage_t<dtype_t<node_at<G, I>>>;

// Scalar mode: one element at a time. The CPU runner adds simd_mode<T>.
struct scalar_mode {};

// The value type of dtype D in a mode: D itself, or (for SIMD modes, which
// specialise this) a batch, of masks for bool.
template <class Mode, class D>
struct mode_value {
  using type = D;
};
template <class Mode, class D>
using mode_value_t = typename mode_value<Mode, D>::type;

// The operands a loop reads: a pointer and an element stride for each. The
// pointers are untyped (the instructions that read them know each one's
// dtype), so the reader's type names only how many there are. Draws (ops
// with `positional`) read no memory but the element's position in their own
// shape, walked like a read: a start and a stride for each of the P draws.
template <std::size_t N, std::size_t P = 0>
struct row_reader {
  std::array<const void*, N> pointer;
  std::array<std::ptrdiff_t, N> stride;
  std::array<std::ptrdiff_t, P> position;
  std::array<std::ptrdiff_t, P> position_stride;

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
// The P-th draw's position: the element's row-major index in the draw's shape.
template <std::size_t P>
struct from_position {};
// A draw's key read from memory: rank 0, one number for the whole loop, so
// fetched as a number even where the loop runs on batches.
template <std::size_t Read, class Stored, class D>
struct from_key {};

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
THEON_HD_TEMPLATE(class Mode, bool Contiguous, std::size_t P, class Locals, class Reader)
auto fetch(from_position<P>, const Locals&, const Reader& rd, std::size_t t) {
  const auto first = static_cast<std::uint64_t>(rd.position[P] + static_cast<std::ptrdiff_t>(t) * rd.position_stride[P]);
  if constexpr (std::is_same_v<Mode, scalar_mode>) return first;
  else return lane_positions{first, rd.position_stride[P]};
}
THEON_HD_TEMPLATE(class Mode, bool Contiguous, std::size_t R, class Stored, class D, class Locals, class Reader)
auto fetch(from_key<R, Stored, D>, const Locals&, const Reader& rd, std::size_t) {
  return static_cast<storage_t<D>>(*static_cast<const Stored*>(rd.pointer[R]));
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

template <class G, std::size_t Root>
struct loop_program {
  using P = plan<G>;
  static constexpr bool reduces = G::kinds[Root] == node_kind::reduction;
  static constexpr auto members = P::members(Root);
  static constexpr auto reads = P::reads(Root);
  static constexpr std::size_t read_count = reads.count;
  // The members that draw random numbers, each walked by the loop's nest
  // after the reads (and before the sinks) with the strides of its own shape.
  static constexpr auto draws = [] {
    index_set<G::size> d;
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((positional_op<node_op_t<node_at<G, members.items[K]>>> ? d.insert(members.items[K]) : void()), ...);
    }(std::make_index_sequence<members.count>{});
    return d;
  }();
  static constexpr std::size_t draw_count = draws.count;
  // Operands the loop nest walks besides the sinks: the reads, then the draws.
  static constexpr std::size_t walked = read_count + draw_count;
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
  static constexpr std::size_t draw_position(std::size_t i) {
    for (std::size_t k = 0; k != draws.count; ++k)
      if (draws.items[k] == i) return k;
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
  // A draw takes its key (operand 0) as one number where it is read from
  // memory, and its position after its operands.
  template <class Source>
  struct as_key {
    using type = Source;
  };
  template <std::size_t R, class Stored, class D>
  struct as_key<from_read<R, Stored, D>> {
    using type = from_key<R, Stored, D>;
  };
  template <class Op, class... Args, std::size_t... K>
    requires positional_op<Op>
  struct instruction_of<node<Op, Args...>, std::index_sequence<K...>> {
    using N = node<Op, Args...>;
    template <std::size_t I, class A>
    using source = typename source_of<read_operand<N, I, A>, typename Op::template operand_dtype<I, Args...>>::type;
    using type = instruction<Op, dtype_t<N>, std::conditional_t<K == 0, typename as_key<source<K, Args>>::type, source<K, Args>>...,
                             from_position<draw_position(index_of<N, typename G::nodes>::value)>>;
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

  template <class Mode>
  using locals = local_values<Mode, locals_by_dtype.count[0], locals_by_dtype.count[1], locals_by_dtype.count[2],
                              locals_by_dtype.count[3], locals_by_dtype.count[4]>;
  using reader = row_reader<read_count, draw_count>;

  // Read K's pointer moved by offset[K] elements, draw P's position by
  // offset[read_count + P] (reader_at below, and the Thrust runner's).
  THEON_HD static void shift_reads(reader& rd, const std::ptrdiff_t* offset) {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((rd.pointer[K] = static_cast<const stored_t<G, reads.items[K]>*>(rd.pointer[K]) + offset[K]), ...);
    }(std::make_index_sequence<read_count>{});
    for (std::size_t p = 0; p < draw_count; ++p) rd.position[p] += offset[read_count + p];
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
};

}  // namespace theon
