#pragma once
// The Thrust runner: theon::on(policy, f) runs the compiled function f through
// Thrust on that execution policy (thrust::device: CUDA under nvcc, or the
// system THRUST_DEVICE_SYSTEM names: OMP, TBB, CPP). Same graph, same plan,
// same per-element kernel body as the CPU runner; memory is the Thrust device
// system's. Inputs in device memory (theon::device_array, thrust::device_vector,
// theon::device_ref) are read in place; anything the CPU runner accepts is
// copied to device memory first. Results are theon::device_array (a number
// for rank 0). updates(...) write device state in place (a device_array or
// thrust::device_vector) and host state through a copy back, by the CPU
// runner's rules. Hessians of vector variables (sweeps) run on the CPU runner only.
#include <memory>
#include <span>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <xtensor/xtensor.hpp>

#include "theon/api/function.hpp"
#include "theon/backend/thrust/blas.hpp"
#include "theon/backend/thrust/memory.hpp"

namespace theon {

namespace detail {
template <class G, std::size_t I>
struct device_memory_slot {
  using type = device_memory<stored_t<G, I>>;
};

// Where an update writes in device memory: a row-major array of the new value's shape.
template <class T, std::size_t R>
struct device_state {
  T* data = nullptr;
  extents<R> shape{};
};
template <class S>
inline constexpr bool is_device_state_v = false;
template <class T, std::size_t R>
inline constexpr bool is_device_state_v<device_state<T, R>> = true;
// Where f.into(...) writes an output in device memory: a device_array or a
// thrust::device_vector, row-major.
template <class T, std::size_t R>
struct device_destination : strided<T, R> {};
template <class S>
inline constexpr bool is_device_destination_v = false;
template <class T, std::size_t R>
inline constexpr bool is_device_destination_v<device_destination<T, R>> = true;
template <class V>
inline constexpr bool is_device_ref_v = false;
template <class T, std::size_t R>
inline constexpr bool is_device_ref_v<device_array_ref<T, R>> = true;
}  // namespace detail

// One input of the Thrust runner, seen in device memory: device arrays and
// vectors in place, host values copied into `staging` (kept between calls).
template <class Var, class Value>
class device_input {
  using T = typename Var::value_type;
  static constexpr std::size_t rank = Var::shape_type::rank;
  strided<const T, rank> view_{};

  // A host input, checked by the CPU runner's rules, copied row-major into staging.
  template <class Host>
  static strided<const T, rank> staged(const Host& value, device_memory<T>& staging) {
    const bound_input<Var, Host> host(value);
    const strided<const T, rank> from = host.view();
    const std::size_t n = element_count(from.shape);
    const auto contiguous = std::make_unique<T[]>(n ? n : 1);
    copy_strided(from, contiguous.get());
    T* to = staging.reserve(n);
    thrust::copy(contiguous.get(), contiguous.get() + n, thrust::device_pointer_cast(to));
    return {to, from.shape, row_major_strides(from.shape)};
  }

 public:
  device_input(const Value& value, device_memory<T>& staging) {
    if constexpr (is_device_array_v<Value> || is_device_vector_v<Value>) {
      static_assert(std::is_same_v<std::remove_const_t<typename Value::value_type>, T>,
                    "theon::function: the bound array's element type differs from the variable's dtype");
      if constexpr (is_device_vector_v<Value>) {
        static_assert(rank == 1, "theon::function: a thrust::device_vector can only be bound to a rank-1 variable; use theon::device_ref(data, {extents...}) for other ranks");
        view_ = {thrust::raw_pointer_cast(value.data()), {value.size()}, {1}};
      } else {
        static_assert(Value::rank == rank,
                      "theon::function: the bound array's rank differs from the variable's rank");
        view_ = value.view();
      }
      check_static_extents<Var>(view_.shape);
    } else if constexpr (is_host_vector_v<Value>) {  // host memory, as a span
      static_assert(rank == 1, "theon::function: a thrust::host_vector can only be bound to a rank-1 variable");
      const std::span<const typename Value::value_type> elements(value.data(), value.size());
      view_ = staged(elements, staging);
    } else {
      view_ = staged(value, staging);
    }
  }
  const strided<const T, rank>& view() const { return view_; }
};

// The Thrust runner: the hooks of the call procedure (api/call.hpp) with
// device memory and Thrust loops, for the procedure Call of graph G.
template <class Policy, class Call, class G>
class thrust_runner {
  template <std::size_t I>
  using N = node_at<G, I>;

  Policy policy_;
  temporary_allocator temporary_allocator_;
  // Temporaries and staged copies of host inputs, one per node, kept between calls.
  typename detail::per_node<G, detail::device_memory_slot>::type memory_;
  blas_handle blas_;

  // The policy, with the runner's pool for the temporary storage of reductions.
  auto loop_policy() {
    if constexpr (requires { policy_(temporary_allocator_); }) return policy_(temporary_allocator_);
    else return policy_;
  }

 public:
  explicit thrust_runner(const Policy& policy) : policy_(policy) {}

  template <class Fn>
  auto with_memory(Fn&& f) {
    return f(memory_);
  }

  template <class Var, class Value, class Slot>
  static device_input<Var, Value> input(const Value& value, Slot& staging) {
    return device_input<Var, Value>(value, staging);
  }

  template <class T, std::size_t R>
  static device_array<T, R> result(const extents<R>& shape) {
    return device_array<T, R>(shape);
  }
  // A rank-0 result is copied back to the host as a number.
  template <class R>
  static auto number(const R& r) {
    return typename R::value_type(*r.begin());
  }

  // Where an update writes: device memory in place (a device_array or a
  // thrust::device_vector), or host memory by the CPU runner's rules.
  template <class Target, class Value>
  static auto state(Value& value) {
    using T = typename Target::value_type;
    if constexpr (detail::is_device_ref_v<Value>) {
      static_assert(!detail::is_device_ref_v<Value>,
                    "theon::on: an updated variable is bound to a theon::device_ref, which is read-only; bind a "
                    "theon::device_array or a thrust::device_vector");
      return detail::device_state<T, rank_v<Target>>{};
    } else if constexpr (is_device_array_v<Value> || is_device_vector_v<Value>) {
      static_assert(std::is_same_v<typename Value::value_type, T>,
                    "theon::function: the bound array's element type differs from the variable's dtype");
      detail::device_state<T, rank_v<Target>> state{thrust::raw_pointer_cast(value.data()), {}};
      if constexpr (is_device_vector_v<Value>) {
        static_assert(rank_v<Target> == 1, "theon::function: a thrust::device_vector can only be bound to a rank-1 variable");
        state.shape = {value.size()};
      } else {
        static_assert(Value::rank == rank_v<Target>, "theon::function: the bound array's rank differs from the variable's rank");
        state.shape = value.shape();
      }
      return state;
    } else {
      return cpu_runner<Call, G>::template state<Target>(value);
    }
  }

  // Where f.into(...) writes an output: device memory in place (a device_array
  // or a thrust::device_vector of the output's dtype and rank), or host memory
  // by the CPU runner's rules, through a copy back.
  template <class T, std::size_t R, class Value>
  static auto destination(Value& value) {
    if constexpr (is_device_array_v<Value> || is_device_vector_v<Value>) {
      static_assert(!detail::is_device_ref_v<Value>, "theon::on: into(...) cannot write a theon::device_ref, which is read-only");
      const auto state = thrust_runner::template state<tensor<"output", T, R>>(value);
      return detail::device_destination<T, R>{{state.data, state.shape, row_major_strides(state.shape)}};
    } else {
      return cpu_runner<Call, G>::template destination<T, R>(value);
    }
  }
  template <class Destination>
  static constexpr bool writes_in_place(const Destination&) {
    return detail::is_device_destination_v<Destination>;
  }

  // n elements of device memory to host memory and back, converted.
  template <class T, class U>
  static void load(const T* from, std::size_t n, U* to) {
    std::vector<T> host(n);
    thrust::copy(thrust::device_pointer_cast(from), thrust::device_pointer_cast(from) + n, host.begin());
    std::copy(host.begin(), host.end(), to);
  }
  template <class U, class T>
  static void store(const U* from, std::size_t n, T* to) {
    std::vector<T> host(from, from + n);
    thrust::copy(host.begin(), host.end(), thrust::device_pointer_cast(to));
  }

  template <class T, std::size_t R, class Result>
  void copy_out(const strided<const T, R>& from, Result& to) {
    thrust_loops::copy_strided(loop_policy(), from, to.data());
  }
  // A new value in device memory that is an input or a view is staged
  // (unless it is already the staged copy of a host input).
  template <class T, std::size_t R>
  strided<const T, R> stage(const strided<const T, R>& from, device_memory<T>& slot) {
    if (from.data == slot.get()) return from;
    T* staged = slot.reserve(element_count(from.shape));
    thrust_loops::copy_strided(loop_policy(), from, staged);
    return {staged, from.shape, row_major_strides(from.shape)};
  }
  // Device state is written in place; host state gets a row-major copy back,
  // then the CPU runner's copy.
  template <class T, std::size_t R, class State>
  void write(const strided<const T, R>& from, const State& to) {
    const auto policy = loop_policy();
    if constexpr (detail::is_device_state_v<State> || detail::is_device_destination_v<State>) {
      thrust_loops::copy_strided(policy, from, to.data);
    } else {
      const std::size_t n = element_count(from.shape);
      device_memory<T> rows(n);
      thrust_loops::copy_strided(policy, from, rows.get());
      const auto host = std::make_unique<T[]>(n ? n : 1);
      thrust::copy(rows.begin(), rows.end(), host.get());
      cpu_runner<Call, G>::write(strided<const T, R>{host.get(), from.shape, row_major_strides(from.shape)}, to);
    }
  }

  template <std::size_t I, class Views, class Shape, class Sinks>
  void run_elementwise(const Views& views, const Shape& shape, const Sinks& sinks) {
    thrust_loops::run_elementwise<G, I>(loop_policy(), views, shape, group_kernel<G, I>::sinks_of(sinks));
  }

  // The reductions of the loop of reduction I: here each takes a pass of its own.
  template <std::size_t I, class Views, class Shapes, class Sinks>
  void run_reduction(const Views& views, const Shapes& shapes, const Sinks& sinks) {
    const auto policy = loop_policy();
    [&]<std::size_t... A>(std::index_sequence<A...>) {
      (run_accumulated<I, A>(policy, views, shapes, sinks), ...);
    }(std::make_index_sequence<group_kernel<G, I>::accumulated.count>{});
  }
  template <std::size_t I, std::size_t A, class LoopPolicy, class Views, class Shapes, class Sinks>
  static void run_accumulated(const LoopPolicy& policy, const Views& views, const Shapes& shapes, const Sinks& sinks) {
    constexpr std::size_t r = group_kernel<G, I>::accumulated.items[A];
    []<class Op, class Operand, class... Rest>(node<Op, Operand, Rest...>*, const LoopPolicy& policy, const Views& views,
                                               const Shapes& shapes, stored_t<G, r>* out) {
      thrust_loops::run_reduction<G, I, A, Op>(policy, views, Call::template shape_of<Operand>(shapes),
                                               Call::template reduction_sink<r>(shapes),
                                               element_count(at<r>(shapes)), out);
    }(static_cast<N<r>*>(nullptr), policy, views, shapes, at<r>(sinks));
  }

  // matmul and dot: the product; gemm: the product, then scaled and added to in place.
  template <std::size_t I, class Views, class Shape, class T>
  void run_contraction(const Views& views, const Shape& shape, T* out) {
    auto operand = [&]<std::size_t K>() -> const auto& { return at<G::children[I][K]>(views); };
    if constexpr (std::is_same_v<node_op_t<N<I>>, gemm_op>) {
      using args = typename operands<N<I>>::type;
      // alpha and beta: a literal's value, or the one element of a computed scalar (read back).
      auto scalar = [&]<std::size_t K>() -> T {
        using arg = typename type_at<K, args>::type;
        if constexpr (is_lit_v<arg>) return arg::template value<T>();
        else return static_cast<T>(*thrust::device_pointer_cast(operand.template operator()<K>().data));
      };
      matrix_product(policy_, blas_, operand.template operator()<1>(), operand.template operator()<2>(), out);
      thrust_loops::scale_and_add(policy_, scalar.template operator()<0>(), scalar.template operator()<3>(),
                                  operand.template operator()<4>(), out, shape);
    } else {
      for_each_batch(operand.template operator()<0>(), operand.template operator()<1>(), out,
                     [&](const auto& a, const auto& b, T* c) { matrix_product(policy_, blas_, a, b, c); });
    }
  }

  // A dense routine runs on the host: its operands are copied there row-major,
  // the routine (the CPU runner's) writes a host result, which is copied back. (On the OMP,
  // TBB and CPP systems device memory is host memory and the copies are plain.)
  template <std::size_t I, class Views, class T>
  void run_dense(const Views& views, T* out) {
    const auto policy = loop_policy();
    auto on_host = [&]<class U, std::size_t R>(const strided<const U, R>& from) {
      const std::size_t n = element_count(from.shape);
      device_memory<U> rows(n);
      thrust_loops::copy_strided(policy, from, rows.get());
      std::vector<U> host(n);
      thrust::copy(rows.begin(), rows.end(), host.begin());
      return host;
    };
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      const auto hosts = std::tuple{on_host(at<G::children[I][K]>(views))...};
      const auto views_on_host = std::tuple{[&] {
        const auto& device = at<G::children[I][K]>(views);
        using U = std::remove_const_t<std::remove_pointer_t<decltype(device.data)>>;
        return strided<const U, std::tuple_size_v<decltype(device.shape)>>{std::get<K>(hosts).data(), device.shape,
                                                                            row_major_strides(device.shape)};
      }()...};
      std::vector<T> result(element_count(at<I>(views).shape));
      using Op = node_op_t<N<I>>;  // on LAPACK or BLAS where the build has them, as the CPU runner
      if (!blas_routine<Op>::compute(result.data(), std::get<K>(views_on_host)...))
        Op::compute(result.data(), std::get<K>(views_on_host)...);
      thrust::copy(result.begin(), result.end(), thrust::device_pointer_cast(out));
    }(std::make_index_sequence<operands<N<I>>::type::size>{});
  }

  template <std::size_t I, class Views, class Shapes, class T>
  void run_sweep(const Views&, const Shapes&, T*) {
    static_assert(G::kinds[I] != node_kind::sweep,
                  "theon::on: jacobians and hessians of vector variables (sweeps) run on the CPU runner only");
  }

};

// theon::on(policy, f): f's graph, run through Thrust on that policy. Its
// calls are f's (runs_on, api/call.hpp); f.into(...) writes device arrays in
// place, host arrays and numbers through a copy back.
template <class Policy, class F>
class thrust_function_t
    : public runs_on<typename F::procedure, thrust_runner<Policy, typename F::procedure, typename F::graph_type>> {
  Policy policy_;

 public:
  using graph_type = typename F::graph_type;
  // The runner a copy of this function runs on (theon::on(theon::mpi(...), g) wraps it).
  using runner_type = thrust_runner<Policy, typename F::procedure, graph_type>;

  explicit thrust_function_t(const Policy& policy)
      : runs_on<typename F::procedure, runner_type>(runner_type(policy)), policy_(policy) {}

  runner_type make_runner() const { return runner_type(policy_); }
};

// The one line that picks the Thrust runner: auto g = theon::on(thrust::device, f);
// g takes the same bindings as f and runs the same compiled graph through Thrust.
template <class Policy, class Written, class Targets, class... Outs>
auto on(const Policy& policy, const function_t<Written, Targets, Outs...>&) {
  return thrust_function_t<Policy, function_t<Written, Targets, Outs...>>(policy);
}

// A host array's elements in device memory, and back.
template <class E>
  requires xt::is_xexpression<E>::value
auto to_device(const E& values) {
  using T = std::remove_const_t<typename E::value_type>;
  constexpr std::size_t R = xt::get_rank<E>::value;
  const xt::xtensor<T, R> host = values;
  extents<R> shape{};
  for (std::size_t i = 0; i != R; ++i) shape[i] = host.shape()[i];
  device_array<T, R> out(shape);
  thrust::copy(host.data(), host.data() + host.size(), out.begin());
  return out;
}
template <class T, std::size_t R>
xt::xtensor<T, R> to_host(const device_array<T, R>& values) {
  auto out = xt::xtensor<T, R>::from_shape(values.shape());
  thrust::copy(values.begin(), values.end(), out.data());
  return out;
}

}  // namespace theon
