#pragma once
// What all ops share: their kinds, the dtype rules, run-time broadcasting, and
// make_node, the one place a node is built (and its static checks run).
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "theon/core/expr.hpp"
#include "theon/core/graph_walk.hpp"
#include "theon/core/rational.hpp"

// Kernel bodies run on the host and, through Thrust, on CUDA devices.
// THEON_HD_TEMPLATE(class T) opens a host-device function template. The same
// templates are also instantiated with host-only xsimd batches; the pragma
// tells nvcc that such instantiations are meant for the host only.
// THEON_HD marks a plain member function of a kernel functor host-device.
#if defined(__CUDACC__)
#define THEON_HD_TEMPLATE(...) _Pragma("nv_exec_check_disable") template <__VA_ARGS__> __host__ __device__
#define THEON_HD __host__ __device__
#else
#define THEON_HD_TEMPLATE(...) template <__VA_ARGS__>
#define THEON_HD
#endif

namespace theon {

// How the planner treats an op.
struct elementwise {};  // one value per element of the broadcast operands: fused into loops
struct reduction {};    // combines elements along axes: absorbs its elementwise producer
struct contraction {};  // dot, matmul: materialised by a dedicated kernel
struct dense {};        // cholesky, solve, det, ...: a routine over whole operands in memory (Op::compute)
struct view {};         // a new shape and strides over its operand's memory: no work
struct composite {};    // defined by a lowering into the ops above (softmax, logsumexp, outer)
struct sweep {};        // a compiled inner function evaluated once per basis direction (jacobian, hessian)

// An option an op prints after its operands, before its axes: ", name=value"
// (value the rational num/den), or ", name=text" where text is given.
struct printed_option {
  const char* name = "";
  long long num = 0, den = 1;
  const char* text = nullptr;
};

// Dtype rules: the result dtype and the dtype each operand is converted to before eval.
struct same_rule {  // the promoted dtype (abs, maximum, clip, ...)
  template <class... Ts> using result = promote_t<Ts...>;
  template <std::size_t I, class... Ts> using operand = promote_t<Ts...>;
};
struct arithmetic_rule {  // + - * pow: booleans count as int32
  template <class... Ts> using result = arithmetic_t<promote_t<Ts...>>;
  template <std::size_t I, class... Ts> using operand = result<Ts...>;
};
struct floating_rule {  // exp, log, true division: integers compute in double
  template <class... Ts> using result = floating_t<promote_t<Ts...>>;
  template <std::size_t I, class... Ts> using operand = result<Ts...>;
};
struct compare_rule {  // < == ...: compare in the promoted dtype, give bool
  template <class... Ts> using result = bool;
  template <std::size_t I, class... Ts> using operand = promote_t<Ts...>;
};
namespace detail {
template <class C, class A, class B>
struct select_types {
  using result = promote_t<A, B>;
};
}  // namespace detail
struct select_rule {  // where(cond, a, b): the condition is read as bool
  template <class... Ts> using result = typename detail::select_types<Ts...>::result;
  template <std::size_t I, class... Ts>
  using operand = std::conditional_t<I == 0, bool, result<Ts...>>;
};

// The scalar form of a choice; xsimd::select is found by ADL for SIMD batches.
THEON_HD_TEMPLATE(class T)
constexpr T select(bool condition, T if_true, T if_false) {
  return condition ? if_true : if_false;
}

// NaN test for scalars and batches alike. Written as !(a == a): xsimd's
// AVX-512 `a != a` is an ordered compare, false for NaN.
THEON_HD_TEMPLATE(class T)
constexpr auto is_nan(T a) { return !(a == a); }

// Run-time NumPy broadcasting: folds `in` into `out` (both aligned on the
// right). Returns false where two extents differ and neither is 1.
template <std::size_t R, std::size_t N>
constexpr bool broadcast_into(extents<R>& out, const extents<N>& in) {
  static_assert(N <= R);
  for (std::size_t i = 0; i != N; ++i) {
    std::size_t& o = out[R - N + i];
    const std::size_t e = in[i];
    if (o == e || e == 1) continue;
    if (o != 1) return false;
    o = e;
  }
  return true;
}

// What is known of a value, in exact arithmetic: exp(x) is positive even where
// it underflows to 0 in floating point. The rewrite rules' guards read these.
// An op that knows something of its result says how it follows from what is
// known of its operands: static constexpr value_facts facts(value_facts...).
struct value_facts {
  bool positive = false, nonnegative = false, nonzero = false;
  bool integer = false, even = false;  // an integer; an even integer
};
inline constexpr value_facts positive_value{.positive = true, .nonnegative = true, .nonzero = true};
inline constexpr value_facts nonnegative_value{.nonnegative = true};

// Ops whose two operands may be swapped: a rewrite pattern on them matches either order.
template <class Op>
concept commutative_op = requires { requires Op::commutative; };

// Ops whose value at an element depends on where the element is (random
// draws: a counter-based generator's counter is the position): eval receives,
// after its operands, the element's row-major index in the node's shape as
// std::uint64_t. Such a node is a pure function of its operands and shape.
template <class Op>
concept positional_op = requires { requires Op::positional; };
// Where a positional op runs on SIMD batches it receives, instead of one
// position, those of its lanes: first, first + step, first + 2 step, ...
struct lane_positions {
  std::uint64_t first;
  std::int64_t step;
  constexpr std::uint64_t operator[](std::size_t lane) const {
    return first + static_cast<std::uint64_t>(static_cast<std::int64_t>(lane) * step);
  }
};

// Ops folded exactly when every operand is a literal (static constexpr
// rational fold(rational...)): pow(2, 3) is the literal 8.
template <class Op>
concept folds_literals = requires { &Op::fold; };

template <class Rule>
struct elementwise_op {
  using kind = elementwise;
  // A few instructions per element (not exp, log, true division): a CPU
  // reduction over a loop of such ops splits into independent accumulators.
  static constexpr bool cheap = !same_type<Rule, floating_rule>;

  template <class... Args>
  using shape_type = typename static_broadcast_all<static_shape_t<Args>...>::type;

  template <class... Args>
  using dtype = typename Rule::template result<dtype_t<Args>...>;
  template <std::size_t I, class... Args>
  using operand_dtype = typename Rule::template operand<I, dtype_t<Args>...>;

  // Run-time shape; `ok` is cleared when the operands do not broadcast.
  template <std::size_t... R>
  static constexpr auto shape(bool& ok, const extents<R>&... in) {
    constexpr std::size_t rank = std::max({std::size_t{0}, R...});
    extents<rank> out;
    out.fill(1);
    ok = (broadcast_into(out, in) && ...);
    return out;
  }
};

// The operand of E read only for its shape (by the ops that broadcast or sum
// an adjoint to another node's shape), so its values need not exist; or no_node.
template <class E>
struct shape_only_operand_of : std::integral_constant<std::size_t, no_node> {};
template <class Op, class... Args>
  requires requires { Op::shape_only_operand; }
struct shape_only_operand_of<node<Op, Args...>> : std::integral_constant<std::size_t, Op::shape_only_operand> {};
template <class E, std::size_t K>
concept reads_shape_only = K == shape_only_operand_of<E>::value;

template <class Op, class... Args>
constexpr void check_node() {
  if constexpr (same_type<typename Op::kind, elementwise>) {
    static_assert(static_broadcast_all<static_shape_t<Args>...>::ok,
                  "theon: the operands' static shapes do not broadcast together (NumPy rules: extents must be equal or 1)");
  }
  if constexpr (requires { Op::template check<Args...>(); }) Op::template check<Args...>();
}

// Builds node<Op, Args...>, running the op's compile-time checks first.
template <class Op, expression... Args>
constexpr auto make_node(Args...) {
  check_node<Op, std::remove_cvref_t<Args>...>();
  return node<Op, std::remove_cvref_t<Args>...>{};
}

}  // namespace theon
