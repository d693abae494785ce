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
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include <xtensor/xtensor.hpp>

#include "theon/backend/cpu/contraction.hpp"
#include "theon/backend/cpu/group_kernel.hpp"
#include "theon/backend/cpu/inputs.hpp"
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

// Operand A's shape, found at shapes[C] (C: its node index), or none for a literal.
template <class A, std::size_t C>
extents<rank_v<A>> operand_shape(const void* const* shapes) {
  if constexpr (is_lit_v<A>) return {};
  else return *static_cast<const extents<rank_v<A>>*>(shapes[C]);
}

// Why an op's operands may not fit it at run time.
template <class Op>
constexpr const char* mismatch_reason() {
  if constexpr (requires { Op::mismatch_reason; }) return Op::mismatch_reason;
  else if constexpr (same_type<typename Op::kind, elementwise>) return "its operands' shapes do not broadcast";
  else if constexpr (same_type<typename Op::kind, contraction>) return "the inner extents of its operands differ";
  else return "its operand's shape does not fit";
}

// The sentence for node i of a graph (printed by p) whose operands' run-time
// shapes do not fit its op.
inline std::string mismatch(const graph_printer& p, std::size_t i, const char* why,
                            std::initializer_list<std::string> shapes) {
  std::string shown;
  std::size_t k = 0;
  for (const std::string& shape : shapes) {
    shown += (k ? ", " : "") + p.operand(i, k) + ": " + shape;
    ++k;
  }
  return "theon::function: cannot evaluate " + std::string(p[i].name, p[i].name_length) + " `" + p(i) + "`: " + why +
         " (" + shown + ")";
}

// Node's shape from its operands' shapes (operand K's at shapes[Children[K]]),
// checked: a shape_error names the op, its operands and their shapes (node
// self of the graph p prints). Apart from function_t, one per node type: a
// member would be one per node of each function, each named with the
// function's whole type.
template <class Node, std::array<std::size_t, max_arity> Children,
          class = std::make_index_sequence<operands<Node>::type::size>>
struct checked_node_shape;
template <class Op, class... Args, std::array<std::size_t, max_arity> Children, std::size_t... K>
struct checked_node_shape<node<Op, Args...>, Children, std::index_sequence<K...>> {
  static auto of(const void* const* shapes, const graph_printer& p, std::size_t self) {
    bool ok = true;
    const auto shape = Op::shape(ok, operand_shape<Args, Children[K]>(shapes)...);
    if (!ok) throw shape_error(mismatch(p, self, mismatch_reason<Op>(), {to_string(operand_shape<Args, Children[K]>(shapes))...}));
    if constexpr (requires { Op::needs_elements; }) {
      const auto in = operand_shape<typename type_at<0, type_list<Args...>>::type, Children[0]>(shapes);
      if (Op::count(in) == 0 && element_count(shape) != 0)
        throw shape_error("theon::function: " + std::string(Op::name) + " `" + p(self) +
                          "` has no value: it reduces an axis of extent 0 (" + p.operand(self, 0) + ": " +
                          to_string(in) + ")");
    }
    return shape;
  }
};

// Whether Binding binds variable Var.
template <class Var, class Binding>
concept binds = THEON_SAME_TYPE(name_type_t<Var>, name_type_t<typename Binding::variable>);

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
template <fixed_string Name, bool Writable>
struct updated_input_is_writable {
  static_assert(Writable,
                "theon::function: an updated variable is bound to a constant or temporary value; bind it to an array "
                "(or number) the function may write, as a non-const lvalue");
  static constexpr bool value = Writable;
};
template <fixed_string Name, std::size_t Variables>
struct variable_name_is_unique {
  static_assert(Variables == 1, "theon::function: two different variables (dtype or shape) share one name");
  static constexpr bool value = Variables == 1;
};
}  // namespace detail

// Written: the outputs and new values as the user wrote them, whose variables
// are the function's inputs; Targets: the variables updates(...) writes; Outs:
// what is compiled (the simplified outputs, then the simplified new values). A
// variable that simplifying removed (x in x - x) is still bound, and unused.
template <class Written, class Targets, class... Outs>
class function_t;
template <class... Written, class... Targets, class... Outs>
class function_t<type_list<Written...>, type_list<Targets...>, Outs...> {
 public:
  using graph_type = graph<unique_nodes_t<lowered_t<Outs>...>, type_list<lowered_t<Outs>...>>;
  static constexpr std::size_t update_count = sizeof...(Targets);
  using update_targets = type_list<Targets...>;
  static constexpr std::size_t output_count = sizeof...(Outs) - update_count;

 private:
  using interface_nodes = unique_nodes_t<Written..., Targets...>;
  using G = graph_type;
  using P = theon::plan<G>;
  static constexpr std::size_t size = G::size;
  template <std::size_t I>
  using N = node_at<G, I>;
  template <std::size_t K>
  using output_node = N<G::outputs[K]>;
  // A rank-0 output is a number, computed into kept memory: no allocation.
  template <std::size_t K>
  using result_t = std::conditional_t<rank_v<output_node<K>> == 0, stored_t<G, G::outputs[K]>,
                                      xt::xtensor<stored_t<G, G::outputs[K]>, rank_v<output_node<K>>>>;
  static constexpr std::array<std::size_t, sizeof...(Outs)> output_ranks{rank_v<Outs>...};

  using temporaries_t = typename detail::per_node<G, detail::buffer_slot>::type;
  temporaries_t temporaries_;
  kept_buffers_claim claim_;
  threading threading_;

  // The nodes I where Which(I), in topological order, as a pack. Passes over
  // the graph visit only the nodes they act on: each visit is a function of
  // its own, and its name carries the whole function's type.
  template <auto Which>
  static constexpr index_set<size> nodes_where = [] {
    index_set<size> chosen;
    for (std::size_t i = 0; i < size; ++i)
      if (Which(i)) chosen.insert(i);
    return chosen;
  }();
  template <auto Which>
  using sequence_where = sequence_of<nodes_where<Which>>;

  // f.template operator()<I>() for each node I where Which(I), in topological order.
  template <auto Which, class F>
  static void for_each_node(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) { (f.template operator()<I>(), ...); }(sequence_where<Which>{});
  }
  static constexpr bool is_input(std::size_t i) { return G::kinds[i] == node_kind::input; }
  static constexpr bool is_operation(std::size_t i) { return G::kinds[i] != node_kind::input; }
  // Inputs, views and materialised nodes: each has a view of its memory.
  static constexpr bool has_memory(std::size_t i) {
    return G::kinds[i] == node_kind::input || G::kinds[i] == node_kind::view || P::materialised(i);
  }
  static constexpr bool runs(std::size_t i) { return P::runs(i); }

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
  static constexpr bool written_into_result(std::size_t k) { return written_in_place(k) && output_ranks[k] != 0; }

  template <class V, class Bindings, class Nodes = interface_nodes>
  struct variable_check : std::true_type {};
  template <class V, class... Bindings, class... Nodes>
    requires is_var_v<V>
  struct variable_check<V, type_list<Bindings...>, type_list<Nodes...>>
      : std::bool_constant<detail::input_is_bound_once<V::name, (detail::binds<V, Bindings> + ... + 0)>::value &&
                           detail::variable_name_is_unique<V::name, (THEON_SAME_TYPE(name_type_t<Nodes>, name_type_t<V>) + ...)>::value> {};

  template <class Binding, class Nodes = interface_nodes>
  struct binding_check;
  template <class Binding, class... Nodes>
  struct binding_check<Binding, type_list<Nodes...>>
      : std::bool_constant<detail::binding_is_an_input<Binding::variable::name, (detail::binds<Nodes, Binding> || ...)>::value> {};

  template <class Target, class... Bindings>
  static constexpr bool writable_check() {
    constexpr std::size_t i = detail::binding_index<Target, Bindings...>();
    if constexpr (i == sizeof...(Bindings)) return true;  // unbound: variable_check says so
    else return detail::updated_input_is_writable<Target::name, std::tuple_element_t<i, std::tuple<Bindings...>>::writable>::value;
  }

  template <class Bindings, class Nodes = interface_nodes>
  struct bindings_check;
  template <class... Bindings, class... Nodes>
  struct bindings_check<type_list<Bindings...>, type_list<Nodes...>>
      : std::bool_constant<(variable_check<Nodes, type_list<Bindings...>>::value && ...) &&
                           (binding_check<Bindings>::value && ...) && (writable_check<Targets, Bindings...>() && ...)> {};

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

  // The value bound to variable node I; nothing for I = no_node (every other node).
  template <std::size_t I, class... Bindings>
  static decltype(auto) input_argument(const Bindings&... bindings) {
    if constexpr (I != no_node) return *std::get<detail::binding_index<N<I>, Bindings...>()>(std::tie(bindings...)).value;
    else return std::monostate{};
  }
  static constexpr std::size_t input_or_none(std::size_t i) { return is_input(i) ? i : no_node; }

  template <class A, class Shapes>
  static auto shape_of(const Shapes& shapes) {
    if constexpr (is_lit_v<A>) return extents<0>{};
    else return at<index_of<A, typename G::nodes>::value>(shapes);
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
    for_each_node<is_input>([&]<std::size_t I>() { at<I>(shapes) = input_shape.template operator()<I>(); });
    std::array<const void*, size> where{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((where[I] = &at<I>(shapes)), ...);
    }(std::make_index_sequence<size>{});
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      [[maybe_unused]] const graph_printer printer = print_table<typename G::nodes>::printer();  // unused when no node is an operation
      ((at<I>(shapes) = detail::checked_node_shape<N<I>, G::children[I]>::of(where.data(), printer, I)), ...);
    }(sequence_where<is_operation>{});
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

  // Whether the loop computing output K takes the SIMD path.
  template <std::size_t K = 0>
  static constexpr bool vectorised() {
    if constexpr (G::kinds[G::outputs[K]] == node_kind::elementwise ||
                  G::kinds[G::outputs[K]] == node_kind::reduction)
      return group_kernel<G, P::loop_of(G::outputs[K])>::vectorised;
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
    if constexpr (same_type<node_op_t<N<I>>, gemm_op>) {
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
      return inputs_t{{typename input_slot<bound_input, I, Bindings...>::type(
          input_argument<input_or_none(I)>(bindings...))}...};
    }(std::make_index_sequence<size>{});

    // 2. Every shape, checked before anything is written; the state updates write too.
    const auto shapes = checked_shapes([&]<std::size_t I>() { return at<I>(inputs).view().shape; });
    const auto state = [&]<std::size_t... U>(std::index_sequence<U...>) {
      return std::tuple{updated_state<U>(shapes, bindings...)...};
    }(std::make_index_sequence<update_count>{});

    // 3. Memory: results for outputs, kept buffers for temporaries (a call's
    // own when another thread holds them), views for the rest.
    const kept_buffers_claim::for_call claim(claim_);
    std::optional<temporaries_t> own;
    if (!claim.granted()) own.emplace();
    temporaries_t& temporaries = claim.granted() ? temporaries_ : *own;
    auto results = [&]<std::size_t... K>(std::index_sequence<K...>) {
      [[maybe_unused]] auto make = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
        if constexpr (output_ranks[J] == 0) return result_t<J>{};
        else return result_t<J>::from_shape(at<G::outputs[J]>(shapes));
      };
      return std::tuple<result_t<K>...>(make(std::integral_constant<std::size_t, K>{})...);
    }(std::make_index_sequence<output_count>{});
    typename detail::per_node<G, detail::view_slot>::type views{};
    typename detail::per_node<G, detail::sink_slot>::type sinks{};
    for_each_node<has_memory>([&]<std::size_t I>() {
      auto& v = at<I>(views);
      if constexpr (G::kinds[I] == node_kind::input) {
        v = at<I>(inputs).view();
      } else if constexpr (G::kinds[I] == node_kind::view) {
        v = view_of<I>(views);
      } else if constexpr (P::materialised(I)) {
        v.shape = at<I>(shapes);
        v.strides = row_major_strides(v.shape);
        if constexpr (first_output_position(I) != no_node && written_into_result(first_output_position(I)))
          at<I>(sinks) = std::get<first_output_position(I)>(results).data();
        else at<I>(sinks) = at<I>(temporaries).reserve(element_count(v.shape));
        v.data = at<I>(sinks);
      }
    });

    // 4. The loops, in topological order.
    for_each_node<runs>([&]<std::size_t I>() {
      if constexpr (P::materialised(I) && G::kinds[I] == node_kind::elementwise) {
        using kernel = group_kernel<G, I>;
        kernel::run(views, at<I>(shapes), kernel::sinks_of(sinks), at<I>(views).strides, threading_);
      } else if constexpr (G::kinds[I] == node_kind::reduction) {
        run_reduction<I>(views, shapes, sinks);
      } else if constexpr (G::kinds[I] == node_kind::contraction) {
        run_contraction<I>(views, at<I>(shapes), at<I>(sinks));
      } else if constexpr (G::kinds[I] == node_kind::sweep) {
        run_sweep<I>(views, shapes, at<I>(sinks));
      }
    });

    // 5. Numbers, and outputs that are inputs, views or repeats, are copied out.
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      [[maybe_unused]] auto copy_out = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
        if constexpr (output_ranks[J] == 0) std::get<J>(results) = *at<G::outputs[J]>(views).data;
        else if constexpr (!written_in_place(J)) copy_strided(at<G::outputs[J]>(views), std::get<J>(results).data());
      };
      (copy_out(std::integral_constant<std::size_t, K>{}), ...);
    }(std::make_index_sequence<output_count>{});

    // 6. The updates: every new value is ready before the first is written.
    write_updates(views, state, temporaries);

    return deliver(std::move(results), [](auto number) { return number; });
  }

  // Where update U writes: the memory its variable is bound to, checked to
  // have the new value's shape.
  template <std::size_t U, class Shapes, class... Bindings>
  static auto updated_state(const Shapes& shapes, const Bindings&... bindings) {
    using target = typename type_at<U, type_list<Targets...>>::type;
    using T = typename target::value_type;
    const auto& bound = std::get<detail::binding_index<target, Bindings...>()>(std::tie(bindings...));
    using value_type = typename std::remove_cvref_t<decltype(bound)>::value_type;
    auto& value = const_cast<value_type&>(*bound.value);  // bound as a non-const lvalue: writable_check
    if constexpr (std::is_arithmetic_v<value_type>) {
      return &value;
    } else {
      const bound_input<target, value_type> input(value);
      static_assert(!bound_input<target, value_type>::evaluates,
                    "theon::function: an updated variable is bound to an xtensor expression without memory of its own");
      const auto view = input.view();
      check_update_shape<U>(shapes, view.shape);
      return strided<T, rank_v<target>>{const_cast<T*>(view.data), view.shape, view.strides};
    }
  }

  // The array update U writes must have the new value's shape: checked before anything is written.
  template <std::size_t U, class Shapes, class Shape>
  static void check_update_shape(const Shapes& shapes, const Shape& bound) {
    using target = typename type_at<U, type_list<Targets...>>::type;
    const auto& wanted = at<G::outputs[output_count + U]>(shapes);
    if (bound != wanted)
      throw shape_error("theon::function: the update of '" + std::string(target::name.view()) + "' has shape " +
                        to_string(wanted) + " but '" + std::string(target::name.view()) +
                        "' is bound to an array of shape " + to_string(bound));
  }

  // New values that live in the caller's memory (an input, or a view of one)
  // are staged first: that memory may be state another update writes.
  template <class Views, class State>
  static void write_updates(const Views& views, const State& state, temporaries_t& temporaries) {
    [&]<std::size_t... U>(std::index_sequence<U...>) {
      [[maybe_unused]] auto source = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
        constexpr std::size_t i = G::outputs[output_count + J];
        auto from = at<i>(views);
        if constexpr (G::kinds[i] == node_kind::input || G::kinds[i] == node_kind::view) {
          auto* staged = at<i>(temporaries).reserve(element_count(from.shape));
          copy_strided(from, staged);
          from = {staged, from.shape, row_major_strides(from.shape)};
        }
        return from;
      };
      const auto sources = std::tuple{source(std::integral_constant<std::size_t, U>{})...};
      [[maybe_unused]] auto write = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
        const auto& to = std::get<J>(state);
        if constexpr (std::is_pointer_v<std::remove_cvref_t<decltype(to)>>) *to = *std::get<J>(sources).data;
        else copy_strided(std::get<J>(sources), to);
      };
      (write(std::integral_constant<std::size_t, U>{}), ...);
    }(std::make_index_sequence<update_count>{});
  }

  // The results as the caller gets them: one output alone, several as a
  // tuple; number(r) is the value of a rank-0 result.
  template <class Results, class Number>
  static auto deliver(Results&& results, Number number) {
    auto unwrap = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
      if constexpr (output_ranks[K] == 0) return number(std::move(std::get<K>(results)));
      else return std::move(std::get<K>(results));
    };
    if constexpr (output_count == 0) return;
    else if constexpr (output_count == 1) return unwrap(std::integral_constant<std::size_t, 0>{});
    else
      return [&]<std::size_t... K>(std::index_sequence<K...>) {
        return std::tuple{unwrap(std::integral_constant<std::size_t, K>{})...};
      }(std::make_index_sequence<output_count>{});
  }

  // Reduction R before its loop: its results at the identity. False for a
  // sum of a repeated literal: k times the count, written here, no loop.
  template <std::size_t R, class Shapes>
  static bool start_reduction(const Shapes& shapes, stored_t<G, R>* out) {
    return []<class Op, class A, class... Rest>(node<Op, A, Rest...>*, const Shapes& shapes, stored_t<G, R>* out) {
      using T = stored_t<G, R>;
      const std::size_t n = element_count(at<R>(shapes));
      if constexpr (is_sum_v<Op> && is_repeated_literal_v<A>) {
        using k = typename type_at<0, typename operands<A>::type>::type;
        std::fill(out, out + n, k::template value<T>() * static_cast<T>(Op::count(shape_of<A>(shapes))));
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
        const std::size_t count = Op::count(shape_of<A>(shapes));
        std::transform(out, out + element_count(at<R>(shapes)), out, [&](T v) { return Op::finalize(v, count); });
      }
    }(static_cast<N<R>*>(nullptr), shapes, out);
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
    kernel::run(views, shape_of<operand>(shapes), kernel::sinks_of(sinks), reduction_sink<I>(shapes), threading_);
    kernel::for_each_reduction([&](auto a) {
      constexpr std::size_t r = kernel::accumulated.items[a];
      finish_reduction<r>(shapes, at<r>(sinks));
    });
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
      const std::size_t n = element_count(shape_of<X>(shapes));
      const std::size_t row = element_count(shape_of<Y>(shapes));
      xt::xtensor<typename D::value_type, rank_v<D>> basis = xt::zeros<typename D::value_type>(shape_of<X>(shapes));
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

namespace detail {
template <class... Args>
struct last_is_updates : std::false_type {};
template <class... Args>
  requires(sizeof...(Args) > 0)
struct last_is_updates<Args...>
    : std::bool_constant<is_updates_v<typename type_at<sizeof...(Args) - 1, type_list<Args...>>::type>> {};

template <bool Rewrite, class Outs, class Updates>
struct compiled;
template <bool Rewrite, class... Outs, class... Targets, class... Values>
struct compiled<Rewrite, type_list<Outs...>, updates_t<type_list<Targets...>, type_list<Values...>>> {
  static_assert(sizeof...(Outs) + sizeof...(Values) > 0, "theon::function: give at least one output expression");
  static_assert((!is_lit_v<Outs> && ...), "theon::function: an output is a bare literal; it needs no function");
  static_assert(((expression<Outs> && !is_updates_v<Outs>) && ...),
                "theon::function: takes output expressions, then at most one updates(...), last");
  // The outputs and new values as compiled: simplified together (what they
  // share stays shared), or as written.
  template <class Compiled>
  struct function_of;
  template <class... Cs>
  struct function_of<type_list<Cs...>> {
    using type = function_t<type_list<Outs..., Values...>, type_list<Targets...>, Cs...>;
  };
  using compiled_forms = typename std::conditional_t<Rewrite, simplified_together<Outs..., Values...>,
                                                     std::type_identity<type_list<Outs..., Values...>>>::type;
  using type = typename function_of<compiled_forms>::type;
};

// function(outs...) or function(outs..., updates(...)).
template <bool Rewrite, class... Args>
auto compile() {
  if constexpr (last_is_updates<Args...>::value) {
    return []<std::size_t... K>(std::index_sequence<K...>) {
      using args = type_list<Args...>;
      return typename compiled<Rewrite, type_list<typename type_at<K, args>::type...>,
                               typename type_at<sizeof...(K), args>::type>::type{};
    }(std::make_index_sequence<sizeof...(Args) - 1>{});
  } else {
    return typename compiled<Rewrite, type_list<Args...>, updates_t<type_list<>, type_list<>>>::type{};
  }
}
}  // namespace detail

// Compiles outputs into one callable: f(x = xs, a = 1.5) returns the value of
// a single output (an xt::xtensor, or a plain number for rank 0) or a tuple.
// Each output is first simplified with the default phases. A last argument
// updates(w, new_w, ...) makes each call also write new_w into w's array.
template <class... Args>
auto function(no_rewrites_t, Args...) {
  return detail::compile<false, Args...>();
}
template <class... Args>
auto function(Args...) {
  return detail::compile<true, Args...>();
}

}  // namespace theon
