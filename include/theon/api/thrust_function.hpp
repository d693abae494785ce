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
template <class T>
struct device_state {
  T* data;
};
template <class S>
inline constexpr bool is_device_state_v = false;
template <class T>
inline constexpr bool is_device_state_v<device_state<T>> = true;
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

template <class Policy, class F>
class thrust_function_t {
  using G = typename F::graph_type;
  using P = theon::plan<G>;
  static constexpr std::size_t size = G::size;
  static constexpr std::size_t output_count = F::output_count;
  template <std::size_t I>
  using N = node_at<G, I>;
  template <std::size_t K>
  using result_t = device_array<stored_t<G, G::outputs[K]>, rank_v<N<G::outputs[K]>>>;

  Policy policy_;
  temporary_allocator temporary_allocator_;
  // Temporaries and staged copies of host inputs, one per node, kept between calls.
  typename detail::per_node<G, detail::device_memory_slot>::type memory_;
  blas_handle blas_;

  template <std::size_t I, class... Bindings>
  using input_slot = typename F::template input_slot<device_input, I, Bindings...>::type;

  // The policy, with the runner's pool for the temporary storage of reductions.
  auto loop_policy() {
    if constexpr (requires { policy_(temporary_allocator_); }) return policy_(temporary_allocator_);
    else return policy_;
  }

  // Variable node I in device memory; nothing for I = no_node (every other node).
  template <std::size_t I, class... Bindings>
  auto bind(const Bindings&... bindings) {
    if constexpr (I != no_node)
      return input_slot<I, Bindings...>(F::template input_argument<I>(bindings...), at<I>(memory_));
    else return std::monostate{};
  }

 public:
  using graph_type = G;

  explicit thrust_function_t(const Policy& policy) : policy_(policy) {}

  // Evaluates every output for the inputs bound by name: f(x = xs, a = 1.5).
  template <class... Bindings>
  auto operator()(const Bindings&... bindings) {
    static_assert((F::template is_binding_v<Bindings> && ...),
                  "theon::function: call arguments bind inputs by name, as in f(x = xs, a = 1.5)");
    if constexpr ((F::template is_binding_v<Bindings> && ...)) {
      if constexpr (F::template bindings_check<type_list<Bindings...>>::value) return run(bindings...);
    }
  }

 private:
  template <class... Bindings>
  auto run(const Bindings&... bindings) {
    // 1. Inputs in device memory; 2. every shape, checked before anything runs.
    auto inputs = [&]<std::size_t... I>(std::index_sequence<I...>) {
      return flat_tuple<input_slot<I, Bindings...>...>{{bind<F::input_or_none(I)>(bindings...)}...};
    }(std::make_index_sequence<size>{});
    const auto shapes = F::checked_shapes([&]<std::size_t I>() { return at<I>(inputs).view().shape; });
    const auto state = [&]<std::size_t... U>(std::index_sequence<U...>) {
      return std::tuple{updated_state<U>(shapes, bindings...)...};
    }(std::make_index_sequence<F::update_count>{});

    // 3. Memory: results for outputs, kept device memory for temporaries, views for the rest.
    auto results = [&]<std::size_t... K>(std::index_sequence<K...>) {
      return std::tuple<result_t<K>...>(result_t<K>(at<G::outputs[K]>(shapes))...);
    }(std::make_index_sequence<output_count>{});
    typename detail::per_node<G, detail::view_slot>::type views{};
    typename detail::per_node<G, detail::sink_slot>::type sinks{};
    F::template for_each_node<F::has_memory>([&]<std::size_t I>() {
      auto& v = at<I>(views);
      if constexpr (G::kinds[I] == node_kind::input) {
        v = at<I>(inputs).view();
      } else if constexpr (G::kinds[I] == node_kind::view) {
        v = F::template view_of<I>(views);
      } else if constexpr (P::materialised(I)) {
        static_assert(G::kinds[I] != node_kind::sweep,
                      "theon::on: jacobians and hessians of vector variables (sweeps) run on the CPU runner only");
        v.shape = at<I>(shapes);
        v.strides = row_major_strides(v.shape);
        constexpr std::size_t k = F::first_output_position(I);
        if constexpr (k != no_node && F::written_in_place(k)) at<I>(sinks) = std::get<k>(results).data();
        else at<I>(sinks) = at<I>(memory_).reserve(element_count(v.shape));
        v.data = at<I>(sinks);
      }
    });

    // 4. The loops, in topological order.
    const auto policy = loop_policy();
    F::template for_each_node<F::runs>([&]<std::size_t I>() {
      if constexpr (P::materialised(I) && G::kinds[I] == node_kind::elementwise) {
        thrust_loops::run_elementwise<G, I>(policy, views, at<I>(shapes), group_kernel<G, I>::sinks_of(sinks));
      } else if constexpr (G::kinds[I] == node_kind::reduction) {
        [&]<std::size_t... A>(std::index_sequence<A...>) {
          (run_reduction<I, A>(policy, views, shapes, sinks), ...);
        }(std::make_index_sequence<group_kernel<G, I>::accumulated.count>{});
      } else if constexpr (G::kinds[I] == node_kind::contraction) {
        run_contraction<I>(views, at<I>(shapes), at<I>(sinks));
      }
    });

    // 5. Outputs that are inputs, views or repeats are copied out.
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((F::written_in_place(K) ? void()
                               : thrust_loops::copy_strided(policy, at<G::outputs[K]>(views), std::get<K>(results).data())),
       ...);
    }(std::make_index_sequence<output_count>{});

    // 6. The updates: every new value is ready before the first is written.
    write_updates(policy, views, state);

    // A rank-0 result is copied back to the host as a number.
    return F::deliver(std::move(results), []<class R>(const R& r) { return typename R::value_type(*r.begin()); });
  }

  // Reduction A of the loop of reduction I: here each reduction of a loop takes a pass of its own.
  template <std::size_t I, std::size_t A, class LoopPolicy, class Views, class Shapes, class Sinks>
  static void run_reduction(const LoopPolicy& policy, const Views& views, const Shapes& shapes, const Sinks& sinks) {
    constexpr std::size_t r = group_kernel<G, I>::accumulated.items[A];
    []<class Op, class Operand, class... Rest>(node<Op, Operand, Rest...>*, const LoopPolicy& policy, const Views& views,
                                               const Shapes& shapes, stored_t<G, r>* out) {
      thrust_loops::run_reduction<G, I, A, Op>(policy, views, F::template shape_of<Operand>(shapes),
                                               F::template reduction_sink<r>(shapes), element_count(at<r>(shapes)), out);
    }(static_cast<N<r>*>(nullptr), policy, views, shapes, at<r>(sinks));
  }

  // Where update U writes: device memory in place (a device_array or a
  // thrust::device_vector), or host memory by the CPU runner's rules; checked
  // to have the new value's shape.
  template <std::size_t U, class Shapes, class... Bindings>
  static auto updated_state(const Shapes& shapes, const Bindings&... bindings) {
    using target = typename type_at<U, typename F::update_targets>::type;
    using T = typename target::value_type;
    const auto& bound = std::get<detail::binding_index<target, Bindings...>()>(std::tie(bindings...));
    using value_type = typename std::remove_cvref_t<decltype(bound)>::value_type;
    if constexpr (detail::is_device_ref_v<value_type>) {
      static_assert(!detail::is_device_ref_v<value_type>,
                    "theon::on: an updated variable is bound to a theon::device_ref, which is read-only; bind a "
                    "theon::device_array or a thrust::device_vector");
      return detail::device_state<T>{nullptr};
    } else if constexpr (is_device_array_v<value_type> || is_device_vector_v<value_type>) {
      static_assert(std::is_same_v<typename value_type::value_type, T>,
                    "theon::function: the bound array's element type differs from the variable's dtype");
      auto& value = const_cast<value_type&>(*bound.value);  // bound as a non-const lvalue: writable_check
      extents<rank_v<target>> shape{};
      if constexpr (is_device_vector_v<value_type>) {
        static_assert(rank_v<target> == 1, "theon::function: a thrust::device_vector can only be bound to a rank-1 variable");
        shape = {value.size()};
      } else {
        static_assert(value_type::rank == rank_v<target>, "theon::function: the bound array's rank differs from the variable's rank");
        shape = value.shape();
      }
      F::template check_update_shape<U>(shapes, shape);
      return detail::device_state<T>{thrust::raw_pointer_cast(value.data())};
    } else {
      return F::template updated_state<U>(shapes, bindings...);
    }
  }

  // New values that are inputs bound in device memory, or views, may be state
  // another update writes: they are staged first. Device state is written in
  // place; host state gets a row-major copy back, then the CPU runner's copy.
  template <class LoopPolicy, class Views, class State>
  void write_updates(const LoopPolicy& policy, const Views& views, const State& state) {
    [&]<std::size_t... U>(std::index_sequence<U...>) {
      [[maybe_unused]] auto source = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
        constexpr std::size_t i = G::outputs[output_count + J];
        auto from = at<i>(views);
        auto& memory = at<i>(memory_);
        if constexpr (G::kinds[i] == node_kind::input || G::kinds[i] == node_kind::view) {
          if (from.data != memory.get()) {  // not already the staged copy of a host input
            auto* staged = memory.reserve(element_count(from.shape));
            thrust_loops::copy_strided(policy, from, staged);
            from = {staged, from.shape, row_major_strides(from.shape)};
          }
        }
        return from;
      };
      const auto sources = std::tuple{source(std::integral_constant<std::size_t, U>{})...};
      [[maybe_unused]] auto write = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
        const auto& from = std::get<J>(sources);
        const auto& to = std::get<J>(state);
        using T = std::remove_const_t<std::remove_pointer_t<decltype(from.data)>>;
        constexpr std::size_t R = std::tuple_size_v<std::remove_cvref_t<decltype(from.shape)>>;
        if constexpr (detail::is_device_state_v<std::remove_cvref_t<decltype(to)>>) {
          thrust_loops::copy_strided(policy, from, to.data);
        } else {
          const std::size_t n = element_count(from.shape);
          device_memory<T> rows(n);
          thrust_loops::copy_strided(policy, from, rows.get());
          const auto host = std::make_unique<T[]>(n ? n : 1);
          thrust::copy(rows.begin(), rows.end(), host.get());
          if constexpr (std::is_pointer_v<std::remove_cvref_t<decltype(to)>>) *to = host[0];
          else copy_strided(strided<const T, R>{host.get(), from.shape, row_major_strides(from.shape)}, to);
        }
      };
      (write(std::integral_constant<std::size_t, U>{}), ...);
    }(std::make_index_sequence<F::update_count>{});
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
      matrix_product(policy_, blas_, operand.template operator()<0>(), operand.template operator()<1>(), out);
    }
  }
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
