#pragma once
// function(outs...): the pipeline from expressions to one callable.
//   simplify (default phases) -> lower composite ops -> unique nodes of all outputs (CSE) -> plan the loops
//   -> per call: bind inputs, check every shape, allocate, run the loops, write the updates.
// All shapes are checked before anything is written, so a throw leaves no
// half-written output and no half-updated state; inputs are only ever read,
// except the state that updates(...) names.
#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include <xtensor/xtensor.hpp>

#include "theon/backend/cpu/contraction.hpp"
#include "theon/backend/cpu/dense_blas.hpp"
#include "theon/backend/cpu/group_kernel.hpp"
#include "theon/backend/cpu/inputs.hpp"
#include "theon/api/call.hpp"
#include "theon/api/updates.hpp"
#include "theon/plan/describe.hpp"
#include "theon/plan/print.hpp"
#include "theon/rewrite/phases.hpp"

namespace theon {

// Memory kept between calls; it grows when a call needs more and is then
// reused. A copy starts empty: the memory belongs to one function object.
template <class T>
class buffer {
  std::unique_ptr<T[]> data_;
  std::size_t capacity_ = 0;

 public:
  buffer() = default;
  buffer(const buffer&) {}
  buffer& operator=(const buffer&) { return *this; }
  buffer(buffer&&) noexcept = default;
  buffer& operator=(buffer&&) noexcept = default;

  T* reserve(std::size_t n) {
    if (n > capacity_) {
      data_ = std::make_unique<T[]>(n);
      capacity_ = n;
    }
    return data_.get();
  }
};

// Whether a call of a function object is using its kept buffers. A call that
// finds them taken (another thread is inside the same object) uses buffers of
// its own, so concurrent calls are correct and only they allocate.
class kept_buffers_claim {
  std::atomic<bool> taken_{false};

 public:
  kept_buffers_claim() = default;
  kept_buffers_claim(const kept_buffers_claim&) {}
  kept_buffers_claim& operator=(const kept_buffers_claim&) { return *this; }

  // The claim for one call, given back when the call ends (or throws).
  class for_call {
    std::atomic<bool>* held_;

   public:
    explicit for_call(kept_buffers_claim& c)
        : held_(c.taken_.exchange(true, std::memory_order_acquire) ? nullptr : &c.taken_) {}
    for_call(const for_call&) = delete;
    for_call& operator=(const for_call&) = delete;
    ~for_call() {
      if (held_) held_->store(false, std::memory_order_release);
    }
    bool granted() const { return held_ != nullptr; }
  };
};

namespace detail {
template <class G, std::size_t I>
struct buffer_slot {
  using type = buffer<stored_t<G, I>>;
};
}  // namespace detail

template <class Written, class Targets, class... Outs>
class function_t;

// The CPU runner: inputs read where they are (xtensor expressions without
// memory evaluated once), kept buffers for temporaries, fused SIMD loops on
// threads, results as xt::xtensor (a plain number for rank 0).
template <class Call, class G>
class cpu_runner {
  template <std::size_t I>
  using N = node_at<G, I>;
  using memory_t = typename detail::per_node<G, detail::buffer_slot>::type;
  memory_t kept_;
  kept_buffers_claim claim_;

 public:
  threading threads;

  // The kept buffers, or a call's own when another thread holds them.
  template <class F>
  auto with_memory(F&& f) {
    const kept_buffers_claim::for_call claim(claim_);
    if (claim.granted()) return f(kept_);
    memory_t own;
    return f(own);
  }

  template <class Var, class Value, class Slot>
  static bound_input<Var, Value> input(const Value& value, Slot&) {
    return bound_input<Var, Value>(value);
  }

  template <class T, std::size_t R>
  static auto result(const extents<R>& shape) {
    if constexpr (R == 0) return T{};
    else return xt::xtensor<T, R>::from_shape(shape);
  }
  template <class T>
  static T number(T value) {
    return value;
  }

  // Where an update writes: the memory its variable is bound to.
  template <class Target, class Value>
  static auto state(Value& value) {
    if constexpr (std::is_arithmetic_v<Value>) {
      return &value;
    } else {
      using T = typename Target::value_type;
      static_assert(!bound_input<Target, Value>::evaluates,
                    "theon::function: an updated variable is bound to an xtensor expression without memory of its own");
      const auto view = bound_input<Target, Value>(value).view();
      return strided<T, rank_v<Target>>{const_cast<T*>(view.data), view.shape, view.strides};
    }
  }

  // Where f.into(...) writes an output of dtype T and rank R: the caller's
  // number, or the memory of its array (any strides).
  template <class T, std::size_t R, class Value>
  static auto destination(Value& value) {
    static_assert(!std::is_const_v<Value>, "theon::function: into(...) takes arrays (or numbers) it may write, as non-const lvalues");
    if constexpr (std::is_arithmetic_v<Value>) {
      static_assert(R == 0 && std::is_same_v<Value, T>, "theon::function: into(...) gives a number to an output that is not a number of that dtype");
      return &value;
    } else {
      static_assert(std::is_same_v<std::remove_const_t<typename Value::value_type>, T>,
                    "theon::function: into(...) gives an output an array whose element type is not the output's dtype");
      using as_view = bound_input<tensor<"output", T, R>, Value>;
      static_assert(!as_view::evaluates, "theon::function: into(...) takes arrays with memory of their own, not expressions");
      const auto view = as_view(value).view();
      return strided<T, R>{const_cast<T*>(view.data), view.shape, view.strides};
    }
  }

  // The CPU runner's loops write any host memory.
  template <class Destination>
  static constexpr bool writes_in_place(const Destination&) {
    return true;
  }

  // n elements of the runner's memory to host memory and back, converted
  // (a runner over several processes sends them).
  template <class T, class U>
  static void load(const T* from, std::size_t n, U* to) {
    std::copy(from, from + n, to);
  }
  template <class U, class T>
  static void store(const U* from, std::size_t n, T* to) {
    std::transform(from, from + n, to, [](U v) { return static_cast<T>(v); });
  }

  template <class View, class Result>
  static void copy_out(const View& from, Result& to) {
    if constexpr (std::is_arithmetic_v<Result>) to = *from.data;
    else copy_strided(from, to.data());
  }
  template <class T, std::size_t R, class Slot>
  static strided<const T, R> stage(const strided<const T, R>& from, Slot& slot) {
    T* staged = slot.reserve(element_count(from.shape));
    copy_strided(from, staged);
    return {staged, from.shape, row_major_strides(from.shape)};
  }
  template <class View, class State>
  static void write(const View& from, const State& to) {
    if constexpr (std::is_pointer_v<State>) *to = *from.data;
    else copy_strided(from, to);
  }

  template <std::size_t I, class Views, class Shape, class Sinks>
  void run_elementwise(const Views& views, const Shape& shape, const Sinks& sinks) const {
    using kernel = group_kernel<G, I>;
    kernel::run(views, shape, kernel::sinks_of(sinks), at<I>(views).strides, threads);
  }

  // The loop of reduction I, and the reductions that accumulate beside it.
  template <std::size_t I, class Views, class Shapes, class Sinks>
  void run_reduction(const Views& views, const Shapes& shapes, const Sinks& sinks) const {
    using kernel = group_kernel<G, I>;
    bool needs_loop = true;
    kernel::for_each_reduction([&](auto a) {
      constexpr std::size_t r = kernel::accumulated.items[a];
      needs_loop = start_reduction<r>(shapes, at<r>(sinks)) && needs_loop;
    });
    if (!needs_loop) return;
    using operand = typename type_at<0, typename operands<N<I>>::type>::type;
    kernel::run(views, Call::template shape_of<operand>(shapes), kernel::sinks_of(sinks),
                Call::template reduction_sink<I>(shapes), threads);
    kernel::for_each_reduction([&](auto a) {
      constexpr std::size_t r = kernel::accumulated.items[a];
      finish_reduction<r>(shapes, at<r>(sinks));
    });
  }

  // matmul and dot: the product; gemm: the product, then scaled and added to in place.
  template <std::size_t I, class Views, class Shape, class T>
  void run_contraction(const Views& views, const Shape& shape, T* out) const {
    using args = typename operands<N<I>>::type;
    auto operand = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) -> const auto& {
      return at<G::children[I][K]>(views);
    };
    // alpha and beta: a literal's value, or the one element of a computed scalar.
    auto scalar = [&]<std::size_t K>(std::integral_constant<std::size_t, K> k) -> T {
      using arg = typename type_at<K, args>::type;
      if constexpr (is_lit_v<arg>) return arg::template value<T>();
      else return static_cast<T>(*operand(k).data);
    };
    using k0 = std::integral_constant<std::size_t, 0>;
    using k1 = std::integral_constant<std::size_t, 1>;
    if constexpr (same_type<node_op_t<N<I>>, gemm_op>) {
      using k2 = std::integral_constant<std::size_t, 2>;
      contract(operand(k1{}), operand(k2{}), out, threads);
      scale_and_add(scalar(k0{}), scalar(std::integral_constant<std::size_t, 3>{}),
                    operand(std::integral_constant<std::size_t, 4>{}), out, shape);
    } else {
      for_each_batch(operand(k0{}), operand(k1{}), out, [&](const auto& a, const auto& b, T* c) { contract(a, b, c, threads); });
    }
  }

  // A dense routine (cholesky, solve, ...) on its operands in memory: LAPACK's
  // or BLAS's where the build has it (backend/cpu/dense_blas.hpp), else the op's own.
  template <std::size_t I, class Views, class T>
  void run_dense(const Views& views, T* out) const {
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      using Op = node_op_t<N<I>>;
      if (!blas_routine<Op>::compute(out, at<G::children[I][K]>(views)...)) Op::compute(out, at<G::children[I][K]>(views)...);
    }(std::make_index_sequence<operands<N<I>>::type::size>{});
  }

  // A sweep: the inner function once per basis direction of x, one result per row.
  template <std::size_t I, class Views, class Shapes>
  void run_sweep(const Views& views, const Shapes& shapes, stored_t<G, I>* out) const {
    []<class Op, class Y, class X, class... Vars>(node<Op, Y, X, Vars...>*, const Views& views, const Shapes& shapes,
                                                  stored_t<G, I>* out, const threading& threads) {
      using D = typename Op::direction;
      using inner_nodes = unique_nodes_t<typename Op::inner>;
      function_t<type_list<typename Op::inner>, type_list<>, typename Op::inner> inner;
      inner.threads(threads.threads);
      const std::size_t n = element_count(Call::template shape_of<X>(shapes));
      const std::size_t row = element_count(Call::template shape_of<Y>(shapes));
      xt::xtensor<typename D::value_type, rank_v<D>> basis = xt::zeros<typename D::value_type>(Call::template shape_of<X>(shapes));
      for (std::size_t i = 0; i < n; ++i) {
        basis.flat(i) = 1;
        const auto result = [&] {
          if constexpr (contains<D, inner_nodes>::value)
            return inner((Vars{} = at<index_of<Vars, typename G::nodes>::value>(views))..., D{} = basis);
          else return inner((Vars{} = at<index_of<Vars, typename G::nodes>::value>(views))...);
        }();
        if constexpr (rank_v<Y> == 0) out[i] = result;
        else std::copy(result.begin(), result.end(), out + i * row);
        basis.flat(i) = 0;
      }
    }(static_cast<N<I>*>(nullptr), views, shapes, out, threads);
  }

 private:
  // Reduction R before its loop: its results at the identity. False for a
  // sum of a repeated literal: k times the count, written here, no loop.
  template <std::size_t R, class Shapes>
  static bool start_reduction(const Shapes& shapes, stored_t<G, R>* out) {
    return []<class Op, class A, class... Rest>(node<Op, A, Rest...>*, const Shapes& shapes, stored_t<G, R>* out) {
      using T = stored_t<G, R>;
      const std::size_t n = element_count(at<R>(shapes));
      if constexpr (is_sum_v<Op> && is_repeated_literal_v<A>) {
        using k = typename type_at<0, typename operands<A>::type>::type;
        std::fill(out, out + n, k::template value<T>() * static_cast<T>(Op::count(Call::template shape_of<A>(shapes))));
        return false;
      } else {
        std::fill(out, out + n, Op::template identity<T>());
        return true;
      }
    }(static_cast<N<R>*>(nullptr), shapes, out);
  }
  // Reduction R after its loop: a mean divides by its count.
  template <std::size_t R, class Shapes>
  static void finish_reduction(const Shapes& shapes, stored_t<G, R>* out) {
    []<class Op, class A, class... Rest>(node<Op, A, Rest...>*, const Shapes& shapes, stored_t<G, R>* out) {
      using T = stored_t<G, R>;
      if constexpr (requires { Op::finalize(T{}, std::size_t{}); }) {
        const std::size_t count = Op::count(Call::template shape_of<A>(shapes));
        std::transform(out, out + element_count(at<R>(shapes)), out, [&](T v) { return Op::finalize(v, count); });
      }
    }(static_cast<N<R>*>(nullptr), shapes, out);
  }
};

// Written: the outputs and new values as the user wrote them, whose variables
// are the function's inputs; Targets: the variables updates(...) writes; Outs:
// what is compiled (the simplified outputs, then the simplified new values). A
// variable that simplifying removed (x in x - x) is still bound, and unused.
namespace detail {
template <class... Outs>
using compiled_graph = graph<unique_nodes_t<lowered_t<Outs>...>, type_list<lowered_t<Outs>...>>;
}  // namespace detail

template <class... Written, class... Targets, class... Outs>
class function_t<type_list<Written...>, type_list<Targets...>, Outs...>
    : public runs_on<call_procedure<detail::compiled_graph<Outs...>, type_list<Written...>, type_list<Targets...>>,
                     cpu_runner<call_procedure<detail::compiled_graph<Outs...>, type_list<Written...>, type_list<Targets...>>,
                                detail::compiled_graph<Outs...>>> {
 public:
  using graph_type = detail::compiled_graph<Outs...>;
  using procedure = call_procedure<graph_type, type_list<Written...>, type_list<Targets...>>;
  static constexpr std::size_t update_count = procedure::update_count;
  static constexpr std::size_t output_count = procedure::output_count;

 private:
  using G = graph_type;
  using runs_on<procedure, cpu_runner<procedure, G>>::runner_;

 public:
  // The runner a copy of this function runs on (theon::on(theon::mpi(...), f) wraps it).
  using runner_type = cpu_runner<procedure, G>;
  runner_type make_runner() const { return runner_type{}; }

  // Threads for large loops: 0 (the default) uses every core in the process's CPU affinity, 1 keeps the caller's thread.
  function_t& threads(std::size_t count) {
    runner_.threads.threads = count;
    return *this;
  }

  static plan_description plan() { return describe_plan<G>(); }

  // Whether the loop computing output K takes the SIMD path.
  template <std::size_t K = 0>
  static constexpr bool vectorised() {
    if constexpr (G::kinds[G::outputs[K]] == node_kind::elementwise ||
                  G::kinds[G::outputs[K]] == node_kind::reduction)
      return group_kernel<G, theon::plan<G>::loop_of(G::outputs[K])>::vectorised;
    else return false;
  }

  // f(x = xs, a = 1.5) and f.into(z, gz)(x = xs, a = 1.5): runs_on (api/call.hpp).
};

// How function(...) rewrites its outputs: with the default phases, as
// written (theon::no_rewrites, to compare speed and results with the
// simplified graph), or with the default phases and factors cancelled
// whether or not they are known to be nonzero (theon::assume_nonzero:
// x / x is 1 even at x = 0; phases::nonzero_cancellations says where that fits).
struct default_rewrites_t {
  template <class... Es>
  using forms = simplified_together<Es...>;
};
struct no_rewrites_t {
  template <class... Es>
  using forms = std::type_identity<type_list<Es...>>;
};
struct assume_nonzero_t {
  template <class... Es>
  using forms = simplified_together_assuming_nonzero<Es...>;
};
inline constexpr no_rewrites_t no_rewrites{};
inline constexpr assume_nonzero_t assume_nonzero{};

// function(theon::strict_inputs, outs...): a call that binds a variable the
// function does not read is a compile error (by default it is accepted and
// ignored: a training loop binds every parameter, whatever a derivative keeps).
struct strict_inputs_t {};
inline constexpr strict_inputs_t strict_inputs{};

// A compiled function whose calls bind only its inputs.
template <class F>
class strict_inputs_function : public F {
 public:
  template <class... Bindings>
  auto operator()(const Bindings&... bindings) {
    if constexpr (F::procedure::template every_binding_is_an_input<Bindings...>()) return F::operator()(bindings...);
  }
};

namespace detail {
template <class... Args>
struct last_is_updates : std::false_type {};
template <class... Args>
  requires(sizeof...(Args) > 0)
struct last_is_updates<Args...>
    : std::bool_constant<is_updates_v<typename type_at<sizeof...(Args) - 1, type_list<Args...>>::type>> {};

template <class Rewrites, class Outs, class Updates>
struct compiled;
template <class Rewrites, class... Outs, class... Targets, class... Values>
struct compiled<Rewrites, type_list<Outs...>, updates_t<type_list<Targets...>, type_list<Values...>>> {
  static_assert(sizeof...(Outs) + sizeof...(Values) > 0, "theon::function: give at least one output expression");
  static_assert((!is_lit_v<Outs> && ...), "theon::function: an output is a bare literal; it needs no function");
  static constexpr bool options_first = ((!std::is_same_v<Outs, no_rewrites_t> && !std::is_same_v<Outs, assume_nonzero_t> &&
                                           !std::is_same_v<Outs, strict_inputs_t>) && ...);
  static_assert(options_first, "theon::function: options come first: function(theon::strict_inputs, theon::no_rewrites, outs...)");
  static_assert(!options_first || ((expression<Outs> && !is_updates_v<Outs>) && ...),
                "theon::function: takes output expressions, then at most one updates(...), last");
  // The outputs and new values as compiled: simplified together (what they
  // share stays shared), or as written.
  template <class Compiled>
  struct function_of;
  template <class... Cs>
  struct function_of<type_list<Cs...>> {
    using type = function_t<type_list<Outs..., Values...>, type_list<Targets...>, Cs...>;
  };
  using compiled_forms = typename Rewrites::template forms<Outs..., Values...>::type;
  using type = typename function_of<compiled_forms>::type;
};

// function(outs...) or function(outs..., updates(...)).
template <class Rewrites, class... Args>
auto compile() {
  if constexpr (last_is_updates<Args...>::value) {
    return []<std::size_t... K>(std::index_sequence<K...>) {
      using args = type_list<Args...>;
      return typename compiled<Rewrites, type_list<typename type_at<K, args>::type...>,
                               typename type_at<sizeof...(K), args>::type>::type{};
    }(std::make_index_sequence<sizeof...(Args) - 1>{});
  } else {
    return typename compiled<Rewrites, type_list<Args...>, updates_t<type_list<>, type_list<>>>::type{};
  }
}
}  // namespace detail

// Compiles outputs into one callable: f(x = xs, a = 1.5) returns the value of
// a single output (an xt::xtensor, or a plain number for rank 0) or a tuple.
// Each output is first simplified with the default phases. A last argument
// updates(w, new_w, ...) makes each call also write new_w into w's array.
template <class... Args>
auto function(no_rewrites_t, Args...) {
  return detail::compile<no_rewrites_t, Args...>();
}
template <class... Args>
auto function(assume_nonzero_t, Args...) {
  return detail::compile<assume_nonzero_t, Args...>();
}
template <class... Args>
auto function(strict_inputs_t, Args... args) {
  return strict_inputs_function<decltype(function(args...))>{};
}
template <class... Args>
auto function(Args...) {
  return detail::compile<default_rewrites_t, Args...>();
}

}  // namespace theon
