#pragma once
// function(outs...): the pipeline from expressions to one callable.
//   simplify (default phases) -> lower composite ops -> unique nodes of all outputs (CSE) -> plan the loops
//   -> per call: bind inputs, check every shape, allocate, run the loops.
// All shapes are checked before anything is written, so a throw leaves no
// half-written output; inputs are only ever read.
#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include <xtensor/xtensor.hpp>

#include "theon/backend/cpu/contraction.hpp"
#include "theon/backend/cpu/group_kernel.hpp"
#include "theon/backend/cpu/inputs.hpp"
#include "theon/plan/describe.hpp"
#include "theon/plan/print.hpp"
#include "theon/rewrite/phases.hpp"

namespace theon {

// Memory kept between calls; it grows when a call needs more and is then reused.
template <class T>
class buffer {
  std::unique_ptr<T[]> data_;
  std::size_t capacity_ = 0;

 public:
  T* reserve(std::size_t n) {
    if (n > capacity_) {
      data_ = std::make_unique<T[]>(n);
      capacity_ = n;
    }
    return data_.get();
  }
};

namespace detail {
template <class G, template <class, std::size_t> class F, class Seq = std::make_index_sequence<G::size>>
struct per_node;
template <class G, template <class, std::size_t> class F, std::size_t... I>
struct per_node<G, F, std::index_sequence<I...>> {
  using type = flat_tuple<typename F<G, I>::type...>;
};
template <class G, std::size_t I>
struct shape_slot {
  using type = extents<rank_v<node_at<G, I>>>;
};
template <class G, std::size_t I>
struct view_slot {
  using type = strided<const stored_t<G, I>, rank_v<node_at<G, I>>>;
};
template <class G, std::size_t I>
struct sink_slot {
  using type = stored_t<G, I>*;
};
template <class G, std::size_t I>
struct buffer_slot {
  using type = buffer<stored_t<G, I>>;
};

template <class E, fixed_string Name>
constexpr bool is_var_named_f() {
  if constexpr (is_var_v<E>) return E::name == Name;
  else return false;
}
template <class E, fixed_string Name>
inline constexpr bool is_var_named = is_var_named_f<E, Name>();

template <class Var, class Binding>
inline constexpr bool binds = is_var_named<Var, Binding::variable::name>;

template <class Var, class... Bindings>
constexpr std::size_t binding_index() {
  constexpr bool match[] = {binds<Var, Bindings>..., false};
  return static_cast<std::size_t>(std::find(match, match + sizeof...(Bindings), true) - match);
}

// Checks that name their variable: the failing instantiation shows it.
template <fixed_string Name, std::size_t Bound>
struct input_is_bound_once {
  static_assert(Bound != 0, "theon::function: an input variable of the function is not bound; pass it as name = value");
  static_assert(Bound < 2, "theon::function: an input variable is bound more than once");
  static constexpr bool value = Bound == 1;
};
template <fixed_string Name, bool Known>
struct binding_is_an_input {
  static_assert(Known, "theon::function: a value is bound to a variable that is not an input of this function");
  static constexpr bool value = Known;
};
template <fixed_string Name, std::size_t Variables>
struct variable_name_is_unique {
  static_assert(Variables == 1, "theon::function: two different variables (dtype or shape) share one name");
  static constexpr bool value = Variables == 1;
};
}  // namespace detail

// Written: the outputs as the user wrote them, whose variables are the
// function's inputs; Outs: what is compiled (the simplified outputs). A
// variable that simplifying removed (x in x - x) is still bound, and unused.
template <class Written, class... Outs>
class function_t;
template <class... Written, class... Outs>
class function_t<type_list<Written...>, Outs...> {
 public:
  using graph_type = graph<unique_nodes_t<lowered_t<Outs>...>, type_list<lowered_t<Outs>...>>;

 private:
  using interface_nodes = unique_nodes_t<Written...>;
  using G = graph_type;
  using P = theon::plan<G>;
  static constexpr std::size_t size = G::size;
  static constexpr std::size_t output_count = sizeof...(Outs);
  template <std::size_t I>
  using N = node_at<G, I>;
  template <std::size_t K>
  using output_node = N<G::outputs[K]>;
  template <std::size_t K>
  using result_t = xt::xtensor<stored_t<G, G::outputs[K]>, rank_v<output_node<K>>>;

  typename detail::per_node<G, detail::buffer_slot>::type temporaries_;
  threading threading_;

  template <class F>
  static void for_each_node(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) { (f.template operator()<I>(), ...); }(std::make_index_sequence<size>{});
  }

  static constexpr std::size_t first_output_position(std::size_t i) {
    for (std::size_t k = 0; k < output_count; ++k)
      if (G::outputs[k] == i) return k;
    return no_node;
  }
  // Outputs computed straight into the caller's result; the others are copied.
  static constexpr bool written_in_place(std::size_t k) {
    const std::size_t i = G::outputs[k];
    return first_output_position(i) == k && G::kinds[i] != node_kind::input && G::kinds[i] != node_kind::view;
  }

  template <class V, class Bindings, class Nodes = interface_nodes>
  struct variable_check : std::true_type {};
  template <class V, class... Bindings, class... Nodes>
    requires is_var_v<V>
  struct variable_check<V, type_list<Bindings...>, type_list<Nodes...>>
      : std::bool_constant<detail::input_is_bound_once<V::name, (detail::binds<V, Bindings> + ... + 0)>::value &&
                           detail::variable_name_is_unique<V::name, (detail::is_var_named<Nodes, V::name> + ...)>::value> {};

  template <class Binding, class Nodes = interface_nodes>
  struct binding_check;
  template <class Binding, class... Nodes>
  struct binding_check<Binding, type_list<Nodes...>>
      : std::bool_constant<detail::binding_is_an_input<Binding::variable::name, (detail::binds<Nodes, Binding> || ...)>::value> {};

  template <class Bindings, class Nodes = interface_nodes>
  struct bindings_check;
  template <class... Bindings, class... Nodes>
  struct bindings_check<type_list<Bindings...>, type_list<Nodes...>>
      : std::bool_constant<(variable_check<Nodes, type_list<Bindings...>>::value && ...) &&
                           (binding_check<Bindings>::value && ...)> {};

  // What node I holds of the inputs: Input<variable, bound value type> for a
  // variable (bound_input here, device_input on the Thrust runner), else nothing.
  template <template <class, class> class Input, std::size_t I, class... Bindings>
  struct input_slot {
    using type = std::monostate;
  };
  template <template <class, class> class Input, std::size_t I, class... Bindings>
    requires is_var_v<node_at<G, I>>
  struct input_slot<Input, I, Bindings...> {
    using binding = std::tuple_element_t<detail::binding_index<N<I>, Bindings...>(), std::tuple<Bindings...>>;
    using type = Input<N<I>, typename binding::value_type>;
  };

  template <template <class, class> class Input, class Seq, class... Bindings>
  struct inputs_of;
  template <template <class, class> class Input, std::size_t... I, class... Bindings>
  struct inputs_of<Input, std::index_sequence<I...>, Bindings...> {
    using type = flat_tuple<typename input_slot<Input, I, Bindings...>::type...>;
  };

  // The runners share what does not depend on where memory lives: the
  // binding checks, the shape pass, views and the sinks of reductions.
  template <class Policy, class F>
  friend class thrust_function_t;

  template <std::size_t I, class... Bindings>
  static decltype(auto) input_argument(const Bindings&... bindings) {
    if constexpr (is_var_v<N<I>>) return *std::get<detail::binding_index<N<I>, Bindings...>()>(std::tie(bindings...)).value;
    else return std::monostate{};
  }

  template <class A, class Shapes>
  static auto shape_of(const Shapes& shapes) {
    if constexpr (is_lit_v<A>) return extents<0>{};
    else return at<G::template index<A>>(shapes);
  }

  // The sentence for operands whose run-time shapes do not fit the op.
  template <std::size_t I, class Shapes>
  static std::string mismatch(const Shapes& shapes) {
    return []<class Op, class... Args>(node<Op, Args...>*, const Shapes& shapes) {
      std::string why = std::is_same_v<typename Op::kind, elementwise>   ? "its operands' shapes do not broadcast"
                        : std::is_same_v<typename Op::kind, contraction> ? "the inner extents of its operands differ"
                                                                         : "its operand's shape does not fit";
      if constexpr (requires { Op::mismatch_reason; }) why = Op::mismatch_reason;
      std::string shown;
      ((shown += (shown.empty() ? "" : ", ") + to_string(Args{}) + ": " + to_string(shape_of<Args>(shapes))), ...);
      return "theon::function: cannot evaluate " + std::string(Op::name) + " `" + to_string(N<I>{}) + "`: " + why + " (" +
             shown + ")";
    }(static_cast<N<I>*>(nullptr), shapes);
  }

 public:
  // Threads for large loops: 0 (the default) uses every hardware thread, 1 keeps the caller's thread.
  function_t& threads(std::size_t count) {
    threading_.threads = count;
    return *this;
  }

  static plan_description plan() { return describe_plan<G>(); }

 private:
  // Every node's shape from the inputs' shapes (input_shape.template operator()<I>()
  // for each variable I), checked before anything is written: a shape_error
  // names the op, its operands and their shapes.
  template <class InputShape>
  static auto checked_shapes(const InputShape& input_shape) {
    typename detail::per_node<G, detail::shape_slot>::type shapes{};
    for_each_node([&]<std::size_t I>() {
      if constexpr (is_var_v<N<I>>) {
        at<I>(shapes) = input_shape.template operator()<I>();
      } else {
        []<class Op, class... Args>(node<Op, Args...>*, auto& shapes) {
          bool ok = true;
          at<I>(shapes) = Op::shape(ok, shape_of<Args>(shapes)...);
          if (!ok) throw shape_error(mismatch<I>(shapes));
          if constexpr (requires { Op::needs_elements; }) {
            const auto& in = shape_of<Args...>(shapes);
            if (Op::count(in) == 0 && element_count(at<I>(shapes)) != 0)
              throw shape_error("theon::function: " + std::string(Op::name) + " `" + to_string(N<I>{}) +
                                "` has no value: it reduces an axis of extent 0 (" + to_string(Args{}...) + ": " +
                                to_string(in) + ")");
          }
        }(static_cast<N<I>*>(nullptr), shapes);
      }
    });
    return shapes;
  }

  // A view node: its operand's memory with new extents and strides.
  template <std::size_t I, class Views>
  static auto view_of(const Views& views) {
    using Op = decltype([]<class O, class A>(node<O, A>*) { return O{}; }(static_cast<N<I>*>(nullptr)));
    const auto& from = at<G::children[I][0]>(views);
    return std::remove_cvref_t<decltype(at<I>(views))>{from.data, Op::reindex(from.shape, std::size_t{1}),
                                                        Op::reindex(from.strides, std::ptrdiff_t{0})};
  }

  // Where each element of reduction I's loop (over its operand's shape) lands
  // in the contiguous result: strides 0 along the reduced axes.
  template <std::size_t I, class Shapes>
  static auto reduction_sink(const Shapes& shapes) {
    return []<class Op, class A, class... Rest>(node<Op, A, Rest...>*, const Shapes& shapes) {
      constexpr std::size_t L = rank_v<A>;
      const auto& out_shape = at<I>(shapes);
      const auto out_strides = row_major_strides(out_shape);
      strides_t<L> sink{};
      if constexpr (requires { Op::reduces(std::size_t{}); }) {
        for (std::size_t axis = 0, o = 0; axis != L; ++axis) {
          if (!Op::reduces(axis)) sink[axis] = out_strides[o++];
          else if (Op::keep) ++o;
        }
      } else {  // the result is aligned with the loop on the right; it sums where it has extent 1
        constexpr std::size_t R = rank_v<N<I>>;
        for (std::size_t axis = L - R; axis != L; ++axis) {
          const std::size_t o = axis - (L - R);
          sink[axis] = out_shape[o] == 1 ? 0 : out_strides[o];
        }
      }
      return sink;
    }(static_cast<N<I>*>(nullptr), shapes);
  }

 public:

  // Whether the loop ending at the output K takes the SIMD path.
  template <std::size_t K = 0>
  static constexpr bool vectorised() {
    if constexpr (G::kinds[G::outputs[K]] == node_kind::elementwise ||
                  G::kinds[G::outputs[K]] == node_kind::reduction)
      return group_kernel<G, G::outputs[K]>::vectorised;
    else return false;
  }

 private:
  template <class B>
  static constexpr bool is_binding_v = requires { typename B::variable; typename B::value_type; };

  // matmul and dot: the product; gemm: the product, then scaled and added to in place.
  template <std::size_t I, class Views, class Shape, class T>
  void run_contraction(const Views& views, const Shape& shape, T* out) {
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
    if constexpr (std::is_same_v<node_op_t<N<I>>, gemm_op>) {
      using k2 = std::integral_constant<std::size_t, 2>;
      contract(operand(k1{}), operand(k2{}), out, threading_);
      scale_and_add(scalar(k0{}), scalar(std::integral_constant<std::size_t, 3>{}),
                    operand(std::integral_constant<std::size_t, 4>{}), out, shape);
    } else {
      contract(operand(k0{}), operand(k1{}), out, threading_);
    }
  }

  template <class... Bindings>
  auto run(const Bindings&... bindings) {
    // 1. Inputs, viewed in place or evaluated once.
    using inputs_t = typename inputs_of<bound_input, std::make_index_sequence<size>, Bindings...>::type;
    const inputs_t inputs = [&]<std::size_t... I>(std::index_sequence<I...>) {
      // Braces around each element: a member, unlike a base, is built in place.
      return inputs_t{{typename input_slot<bound_input, I, Bindings...>::type(input_argument<I>(bindings...))}...};
    }(std::make_index_sequence<size>{});

    // 2. Every shape, checked before anything is written.
    const auto shapes = checked_shapes([&]<std::size_t I>() { return at<I>(inputs).view().shape; });

    // 3. Memory: results for outputs, kept buffers for temporaries, views for the rest.
    auto results = [&]<std::size_t... K>(std::index_sequence<K...>) {
      return std::tuple<result_t<K>...>(result_t<K>::from_shape(at<G::outputs[K]>(shapes))...);
    }(std::make_index_sequence<output_count>{});
    typename detail::per_node<G, detail::view_slot>::type views{};
    typename detail::per_node<G, detail::sink_slot>::type sinks{};
    for_each_node([&]<std::size_t I>() {
      auto& v = at<I>(views);
      if constexpr (G::kinds[I] == node_kind::input) {
        v = at<I>(inputs).view();
      } else if constexpr (G::kinds[I] == node_kind::view) {
        v = view_of<I>(views);
      } else if constexpr (P::materialised(I)) {
        v.shape = at<I>(shapes);
        v.strides = row_major_strides(v.shape);
        if constexpr (first_output_position(I) != no_node && written_in_place(first_output_position(I)))
          at<I>(sinks) = std::get<first_output_position(I)>(results).data();
        else at<I>(sinks) = at<I>(temporaries_).reserve(element_count(v.shape));
        v.data = at<I>(sinks);
      }
    });

    // 4. The loops, in topological order.
    for_each_node([&]<std::size_t I>() {
      if constexpr (P::materialised(I) && G::kinds[I] == node_kind::elementwise) {
        group_kernel<G, I>::run(views, at<I>(shapes), at<I>(sinks), at<I>(views).strides, threading_);
      } else if constexpr (G::kinds[I] == node_kind::reduction) {
        run_reduction<I>(views, shapes, at<I>(sinks));
      } else if constexpr (G::kinds[I] == node_kind::contraction) {
        run_contraction<I>(views, at<I>(shapes), at<I>(sinks));
      } else if constexpr (G::kinds[I] == node_kind::sweep) {
        run_sweep<I>(views, shapes, at<I>(sinks));
      }
    });

    // 5. Outputs that are inputs, views or repeats are copied out.
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      ((written_in_place(K) ? void() : copy_strided(at<G::outputs[K]>(views), std::get<K>(results).data())), ...);
    }(std::make_index_sequence<output_count>{});

    return deliver(std::move(results), [](const auto& r) { return r(); });
  }

  // The results as the caller gets them: one output alone, several as a
  // tuple; number(r) is the value of a rank-0 result.
  template <class Results, class Number>
  static auto deliver(Results&& results, Number number) {
    auto unwrap = [&]<class R>(R&& r) {
      if constexpr (std::decay_t<R>::rank == 0) return number(r);
      else return std::forward<R>(r);
    };
    if constexpr (output_count == 1) return unwrap(std::move(std::get<0>(results)));
    else
      return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::tuple{unwrap(std::move(std::get<K>(results)))...};
      }(std::make_index_sequence<output_count>{});
  }

  template <std::size_t I, class Views, class Shapes>
  void run_reduction(const Views& views, const Shapes& shapes, stored_t<G, I>* out) const {
    []<class Op, class A, class... Rest>(node<Op, A, Rest...>*, const Views& views, const Shapes& shapes,
                                         stored_t<G, I>* out, const threading& threads) {
      using T = stored_t<G, I>;
      const auto& in = shape_of<A>(shapes);
      const std::size_t n = element_count(at<I>(shapes));
      if constexpr (is_sum_v<Op> && is_repeated_literal_v<A>) {  // k times a count (as rewrites write one): no pass
        using k = typename type_at<0, typename operands<A>::type>::type;
        std::fill(out, out + n, k::template value<T>() * static_cast<T>(Op::count(in)));
        return;
      }
      std::fill(out, out + n, Op::template identity<T>());
      group_kernel<G, I>::run(views, in, out, reduction_sink<I>(shapes), threads);
      if constexpr (requires { Op::finalize(T{}, std::size_t{}); }) {
        const std::size_t count = Op::count(in);
        std::transform(out, out + n, out, [&](T v) { return Op::finalize(v, count); });
      }
    }(static_cast<N<I>*>(nullptr), views, shapes, out, threading_);
  }

  // A sweep: the inner function once per basis direction of x, one result per row.
  template <std::size_t I, class Views, class Shapes>
  void run_sweep(const Views& views, const Shapes& shapes, stored_t<G, I>* out) const {
    []<class Op, class Y, class X, class... Vars>(node<Op, Y, X, Vars...>*, const Views& views, const Shapes& shapes,
                                                  stored_t<G, I>* out, const threading& threads) {
      using D = typename Op::direction;
      using inner_nodes = unique_nodes_t<typename Op::inner>;
      function_t<type_list<typename Op::inner>, typename Op::inner> inner;
      inner.threads(threads.threads);
      const std::size_t n = element_count(shape_of<X>(shapes));
      const std::size_t row = element_count(shape_of<Y>(shapes));
      xt::xtensor<typename D::value_type, rank_v<D>> basis = xt::zeros<typename D::value_type>(shape_of<X>(shapes));
      for (std::size_t i = 0; i < n; ++i) {
        basis.flat(i) = 1;
        const auto result = [&] {
          if constexpr (contains<D, inner_nodes>::value)
            return inner((Vars{} = at<G::template index<Vars>>(views))..., D{} = basis);
          else return inner((Vars{} = at<G::template index<Vars>>(views))...);
        }();
        if constexpr (rank_v<Y> == 0) out[i] = result;
        else std::copy(result.begin(), result.end(), out + i * row);
        basis.flat(i) = 0;
      }
    }(static_cast<N<I>*>(nullptr), views, shapes, out, threading_);
  }

 public:
  // Evaluates every output for the inputs bound by name: f(x = xs, a = 1.5).
  template <class... Bindings>
  auto operator()(const Bindings&... bindings) {
    static_assert((is_binding_v<Bindings> && ...),
                  "theon::function: call arguments bind inputs by name, as in f(x = xs, a = 1.5)");
    if constexpr ((is_binding_v<Bindings> && ...)) {
      if constexpr (bindings_check<type_list<Bindings...>>::value) return run(bindings...);
    }
  }
};

// function(theon::no_rewrites, outs...) compiles the outputs as written, to
// compare speed and results with the simplified graph.
struct no_rewrites_t {};
inline constexpr no_rewrites_t no_rewrites{};

// Compiles outputs into one callable: f(x = xs, a = 1.5) returns the value of
// a single output (an xt::xtensor, or a plain number for rank 0) or a tuple.
// Each output is first simplified with the default phases.
template <expression... Outs>
auto function(no_rewrites_t, Outs...) {
  static_assert(sizeof...(Outs) > 0, "theon::function: give at least one output expression");
  static_assert((!is_lit_v<Outs> && ...), "theon::function: an output is a bare literal; it needs no function");
  return function_t<type_list<Outs...>, Outs...>{};
}
template <expression... Outs>
auto function(Outs... outs) {
  static_assert(sizeof...(Outs) > 0, "theon::function: give at least one output expression");
  static_assert((!is_lit_v<Outs> && ...), "theon::function: an output is a bare literal; it needs no function");
  return function_t<type_list<Outs...>, decltype(simplify(outs))...>{};
}

}  // namespace theon
