#pragma once
// One call of a compiled function, the same procedure on every runner:
//   1. bind the inputs by name (checked at compile time) in the runner's memory;
//   2. every shape, checked before anything is written (the updates' targets too);
//   3. memory: results, kept temporaries, views;
//   4. the loops, in topological order;
//   5. copy out the outputs not computed in place;
//   6. the updates, every new value ready before the first is written;
//   7. deliver: one output alone, several as a tuple (or, for f.into(...),
//      nothing: the outputs are in the caller's arrays).
// A throw in 1-3 leaves no half-written output and no half-updated state; a
// numeric_error from a dense routine in 4 comes before any update is written.
//
// A runner says where memory lives and how each kind of loop runs:
//   with_memory(f)                 f(memory): one slot per node, kept between calls; slot.reserve(n) -> T*
//   input<Var>(value, slot)        an object whose view() is the bound value in the runner's memory
//   result<T, R>(shape)            an output's result (computed into in place when it has data())
//   destination<T, R>(value)       where f.into(...) writes an output (a pointer for a number, or a strided view)
//   writes_in_place(destination)   whether the loops may compute into it directly
//   state<Target>(value)           where an update writes (a pointer for a number, or with a .shape)
//   run_elementwise<I>, run_reduction<I>, run_contraction<I>, run_sweep<I>, run_dense<I>
//   copy_out(view, result), stage(view, slot), write(view, state), number(result)
//   agree(input_shape, check)      (optional) check() agreed across processes: the MPI runner
#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

#include "theon/core/flat_tuple.hpp"
#include "theon/exec/loop_program.hpp"
#include "theon/exec/strided.hpp"
#include "theon/ops/dense.hpp"
#include "theon/plan/plan.hpp"
#include "theon/plan/print.hpp"

namespace theon {

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

// A call argument: a variable bound to a value (x = xs).
template <class B>
concept binding_argument = requires {
  typename B::variable;
  typename B::value_type;
};

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

// A call without f.into(...): its outputs are returned.
struct no_destinations {};
// The memory f.into(...) computes an output in: the caller's, or a kept buffer.
template <class T>
struct caller_memory {
  T* pointer;
  T* data() const { return pointer; }
};

// What f.into(destinations...) returns: called with bindings, it runs the
// procedure on the function's runner, writing into the destinations.
template <class Procedure, class Runner, class... Destinations>
struct into_call {
  Runner& runner;
  std::tuple<Destinations&...> to;
  template <class... Bindings>
  void operator()(const Bindings&... bindings) const {
    Procedure::call_into(runner, to, bindings...);
  }
};

// The call forms of a compiled function on its runner, the same for every
// runner: f(x = xs, a = 1.5) evaluates every output for the inputs bound by
// name; f.into(z, gz)(x = xs, a = 1.5) computes them into the caller's
// arrays, one per output in order, checked for shape, and returns nothing
// (an array that shares memory with an input gets its values after the
// loops: every input is read as it was before the call; a call that finds
// its kept buffers free allocates nothing).
template <class Procedure, class Runner>
class runs_on {
 protected:
  Runner runner_;

 public:
  runs_on() = default;
  explicit runs_on(Runner runner) : runner_(std::move(runner)) {}

  template <class... Bindings>
  auto operator()(const Bindings&... bindings) {
    return Procedure::call(runner_, bindings...);
  }
  template <class... Destinations>
  auto into(Destinations&... destinations) {
    return into_call<Procedure, Runner, Destinations...>{runner_, {destinations...}};
  }
};

// The call procedure of a compiled graph G. Written: the outputs and new
// values as the user wrote them, whose variables are the inputs; Targets:
// the variables updates(...) writes. G's outputs are the compiled outputs,
// then the compiled new values.
template <class G, class Written, class Targets>
class call_procedure;
template <class G, class... Written, class... Targets>
class call_procedure<G, type_list<Written...>, type_list<Targets...>> {
 public:
  using P = theon::plan<G>;
  static constexpr std::size_t size = G::size;
  static constexpr std::size_t update_count = sizeof...(Targets);
  static constexpr std::size_t output_count = G::outputs.size() - update_count;
  template <std::size_t I>
  using N = node_at<G, I>;

  // f.template operator()<I>() for each node I where Which(I), in topological
  // order. A pass visits only the nodes it acts on: each visit is a function
  // of its own, and its name carries the whole graph's type.
  template <auto Which, class F>
  static void for_each_node(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) { (f.template operator()<I>(), ...); }(sequence_where<Which>{});
  }

  // The run-time shape of A, an operand of some node of G (a literal's: rank 0).
  template <class A, class Shapes>
  static auto shape_of(const Shapes& shapes) {
    if constexpr (is_lit_v<A>) return extents<0>{};
    else return at<index_of<A, typename G::nodes>::value>(shapes);
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

  // f(x = xs, a = 1.5) on a runner: the bindings checked, then run.
  template <class Runner, class... Bindings>
  static auto call(Runner& runner, const Bindings&... bindings) {
    if constexpr (bindings_ok<Bindings...>()) return run(runner, no_destinations{}, bindings...);
  }
  // f.into(z, ...)(x = xs, ...): the outputs written into the caller's arrays.
  template <class Runner, class... Destinations, class... Bindings>
  static void call_into(Runner& runner, const std::tuple<Destinations&...>& destinations, const Bindings&... bindings) {
    static_assert(sizeof...(Destinations) == output_count,
                  "theon::function: into(...) takes one array (or number) per output, in the outputs' order");
    if constexpr (sizeof...(Destinations) == output_count && bindings_ok<Bindings...>()) run(runner, destinations, bindings...);
  }

 private:
  template <auto Which>
  static constexpr index_set<size> nodes_where = [] {
    index_set<size> chosen;
    for (std::size_t i = 0; i < size; ++i)
      if (Which(i)) chosen.insert(i);
    return chosen;
  }();
  template <auto Which>
  using sequence_where = sequence_of<nodes_where<Which>>;

  static constexpr bool is_input(std::size_t i) { return G::kinds[i] == node_kind::input; }
  static constexpr bool is_operation(std::size_t i) { return G::kinds[i] != node_kind::input; }
  // Inputs, views and materialised nodes: each has a view of its memory.
  static constexpr bool has_memory(std::size_t i) {
    return G::kinds[i] == node_kind::input || G::kinds[i] == node_kind::view || P::materialised(i);
  }
  static constexpr bool runs(std::size_t i) { return P::runs(i); }
  // Draws read no memory, but the loops that compute them walk their shapes.
  static constexpr std::array<bool, size> draws = []<std::size_t... I>(std::index_sequence<I...>) {
    return std::array<bool, size>{positional_op<node_op_t<N<I>>>...};
  }(std::make_index_sequence<size>{});
  static constexpr bool has_view(std::size_t i) { return has_memory(i) || draws[i]; }

  static constexpr std::size_t first_output_position(std::size_t i) {
    for (std::size_t k = 0; k < output_count; ++k)
      if (G::outputs[k] == i) return k;
    return no_node;
  }
  // Outputs computed straight into the caller's result (where it has memory
  // of its own: not a number); the others are copied out.
  static constexpr bool written_in_place(std::size_t k) {
    const std::size_t i = G::outputs[k];
    return first_output_position(i) == k && G::kinds[i] != node_kind::input && G::kinds[i] != node_kind::view;
  }
  template <std::size_t K, class Results>
  static constexpr bool written_into_result() {
    if constexpr (K == no_node) return false;
    else return written_in_place(K) && requires(Results& r) { std::get<K>(r).data(); };
  }

  // ---- the bindings, checked at compile time; each check names its variable.
  template <class... Bindings>
  static constexpr bool bindings_ok() {
    static_assert((detail::binding_argument<Bindings> && ...),
                  "theon::function: call arguments bind inputs by name, as in f(x = xs, a = 1.5)");
    if constexpr ((detail::binding_argument<Bindings> && ...)) return bindings_check<type_list<Bindings...>>::value;
    else return false;
  }

  using interface_nodes = unique_nodes_t<Written..., Targets...>;

  template <class V, class Bindings, class Nodes = interface_nodes>
  struct variable_check : std::true_type {};
  template <class V, class... Bindings, class... Nodes>
    requires is_var_v<V>
  struct variable_check<V, type_list<Bindings...>, type_list<Nodes...>>
      : std::bool_constant<detail::input_is_bound_once<V::name, (detail::binds<V, Bindings> + ... + 0)>::value &&
                           detail::variable_name_is_unique<V::name, (THEON_SAME_TYPE(name_type_t<Nodes>, name_type_t<V>) + ...)>::value> {};

  // Whether a binding names an input. A binding that does not is accepted and
  // ignored (a training loop binds every parameter, whatever a derivative
  // keeps); theon::strict_inputs refuses it.
  template <class Binding, class Nodes = interface_nodes>
  struct binding_check;
  template <class Binding, class... Nodes>
  struct binding_check<Binding, type_list<Nodes...>>
      : std::bool_constant<detail::binding_is_an_input<Binding::variable::name, (detail::binds<Nodes, Binding> || ...)>::value> {};

 public:
  template <class... Bindings>
  static constexpr bool every_binding_is_an_input() {
    return (binding_check<Bindings>::value && ...);
  }

 private:

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
                           (writable_check<Targets, Bindings...>() && ...)> {};

  // The value bound to variable V.
  template <class V, class... Bindings>
  static const auto& bound_value(const Bindings&... bindings) {
    return *std::get<detail::binding_index<V, Bindings...>()>(std::tie(bindings...)).value;
  }

  // Node I as the runner holds it: an input in its memory, or nothing.
  template <std::size_t I, class Runner, class Memory, class... Bindings>
  static auto input(Runner& runner, Memory& memory, const Bindings&... bindings) {
    if constexpr (is_input(I)) return runner.template input<N<I>>(bound_value<N<I>>(bindings...), at<I>(memory));
    else return std::monostate{};
  }

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

  // Dense routine I on the runner. Its errors (a matrix outside the routine's
  // domain, an index outside an array) are given the expression it evaluates.
  template <std::size_t I, class Runner, class Views, class T>
  static void run_dense(Runner& runner, const Views& views, T* out) {
    const auto naming = [](const std::exception& e) {
      return "theon::function: cannot evaluate `" + print_table<typename G::nodes>::printer()(I) + "`: " + e.what();
    };
    try {
      runner.template run_dense<I>(views, out);
    } catch (const numeric_error& e) {
      throw numeric_error(naming(e));
    } catch (const shape_error& e) {
      throw shape_error(naming(e));
    }
  }

  // Where update U writes, from the runner; checked to have the new value's
  // shape before anything is written.
  template <std::size_t U, class Runner, class Shapes, class... Bindings>
  static auto updated_state(Runner& runner, const Shapes& shapes, const Bindings&... bindings) {
    using target = typename type_at<U, type_list<Targets...>>::type;
    const auto& bound = bound_value<target>(bindings...);
    using value_type = std::remove_cvref_t<decltype(bound)>;
    auto state = runner.template state<target>(const_cast<value_type&>(bound));  // a non-const lvalue: writable_check
    if constexpr (!std::is_pointer_v<decltype(state)>) {
      const auto& wanted = at<G::outputs[output_count + U]>(shapes);
      if (state.shape != wanted)
        throw shape_error("theon::function: the update of '" + std::string(target::name.view()) + "' has shape " +
                          to_string(wanted) + " but '" + std::string(target::name.view()) +
                          "' is bound to an array of shape " + to_string(state.shape));
    }
    return state;
  }

  // A view node: its operand's memory with new extents and strides.
  template <std::size_t I, class Views>
  static auto view_of(const Views& views) {
    const auto seen = node_op_t<N<I>>::seen_through(at<G::children[I][0]>(views));
    return std::remove_cvref_t<decltype(at<I>(views))>{seen.data, seen.shape, seen.strides};
  }

  // Output K's destination for f.into(...), checked to have its shape before
  // anything is written.
  template <std::size_t K, class Runner, class Shapes, class Destinations>
  static auto checked_destination(Runner& runner, const Shapes& shapes, const Destinations& destinations) {
    auto to = runner.template destination<stored_t<G, G::outputs[K]>, rank_v<N<G::outputs[K]>>>(std::get<K>(destinations));
    if constexpr (!std::is_pointer_v<decltype(to)>) {
      const auto& wanted = at<G::outputs[K]>(shapes);
      if (to.shape != wanted)
        throw shape_error("theon::function: output " + std::to_string(K) + " `" +
                          print_table<typename G::nodes>::printer()(G::outputs[K]) + "` has shape " + to_string(wanted) +
                          " but into(...) gives it an array of shape " + to_string(to.shape));
    }
    return to;
  }
  // Where the loops compute output K for f.into(...): the caller's memory
  // itself where the runner's loops can write it (a Thrust runner's, device
  // memory), it is contiguous and it shares no memory with an input (every
  // input is read as it was before the call); else the output's kept buffer,
  // written to the caller's memory after the loops.
  template <std::size_t K, class Runner, class To, class Memory, class Inputs>
  static auto into_memory(const Runner& runner, const To& to, Memory& memory, const Inputs& inputs) {
    using T = stored_t<G, G::outputs[K]>;
    bool in_place = runner.writes_in_place(to);
    if constexpr (std::is_pointer_v<To>) {
      return caller_memory<T>{in_place ? to : at<G::outputs[K]>(memory).reserve(1)};
    } else {
      in_place = in_place && (to.strides == row_major_strides(to.shape) || element_count(to.shape) <= 1);
      for_each_node<is_input>([&]<std::size_t I>() { in_place = in_place && !shares_memory(to, at<I>(inputs).view()); });
      return caller_memory<T>{in_place ? to.data : at<G::outputs[K]>(memory).reserve(element_count(to.shape))};
    }
  }

  // check() on one process; a runner over several has every process reach
  // the same verdict (runner.agree: the same shape_error on each, or none).
  template <class Runner, class InputShape, class Check>
  static auto agreed(Runner& runner, const InputShape& input_shape, const Check& check) {
    if constexpr (requires { runner.agree(input_shape, check); }) return runner.agree(input_shape, check);
    else return check();
  }

  template <class Runner, class Destinations, class... Bindings>
  static auto run(Runner& runner, const Destinations& destinations, const Bindings&... bindings) {
    constexpr bool into = !std::is_same_v<Destinations, no_destinations>;
    return runner.with_memory([&](auto& memory) {
      // 1. Inputs in the runner's memory (viewed in place, evaluated or copied once).
      auto inputs = [&]<std::size_t... I>(std::index_sequence<I...>) {
        // Braces around each element: a member, unlike a base, is built in place.
        return flat_tuple<decltype(input<I>(runner, memory, bindings...))...>{
            {input<I>(runner, memory, bindings...)}...};
      }(std::make_index_sequence<size>{});

      // 2. Every shape, checked before anything is written; the updates' targets
      // too. A runner over several processes has them agree on the verdict.
      const auto input_shape = [&]<std::size_t I>() { return at<I>(inputs).view().shape; };
      const auto checked = agreed(runner, input_shape, [&] {
        const auto shapes = checked_shapes(input_shape);
        auto state = [&]<std::size_t... U>(std::index_sequence<U...>) {
          return std::tuple{updated_state<U>(runner, shapes, bindings...)...};
        }(std::make_index_sequence<update_count>{});
        auto targets = [&]<std::size_t... K>(std::index_sequence<K...>) {
          if constexpr (into) return std::tuple{checked_destination<K>(runner, shapes, destinations)...};
          else return no_destinations{};
        }(std::make_index_sequence<output_count>{});
        return std::tuple{shapes, std::move(state), std::move(targets)};
      });
      const auto& shapes = std::get<0>(checked);
      const auto& state = std::get<1>(checked);
      const auto& targets = std::get<2>(checked);

      // 3. Memory: results for outputs (for f.into, the memory they are computed
      // in), kept memory for temporaries, views for the rest.
      auto results = [&]<std::size_t... K>(std::index_sequence<K...>) {
        if constexpr (into) return std::tuple{into_memory<K>(runner, std::get<K>(targets), memory, inputs)...};
        else
          return std::tuple{runner.template result<stored_t<G, G::outputs[K]>, rank_v<N<G::outputs[K]>>>(
              at<G::outputs[K]>(shapes))...};
      }(std::make_index_sequence<output_count>{});
      using results_t = decltype(results);
      typename detail::per_node<G, detail::view_slot>::type views{};
      typename detail::per_node<G, detail::sink_slot>::type sinks{};
      for_each_node<has_view>([&]<std::size_t I>() {
        auto& v = at<I>(views);
        if constexpr (G::kinds[I] == node_kind::input) {
          v = at<I>(inputs).view();
        } else if constexpr (G::kinds[I] == node_kind::view) {
          v = view_of<I>(views);
        } else {
          v.shape = at<I>(shapes);
          v.strides = row_major_strides(v.shape);
          if constexpr (!has_memory(I)) return;  // a draw computed where it is used
          constexpr std::size_t k = first_output_position(I);
          if constexpr (written_into_result<k, results_t>()) at<I>(sinks) = std::get<k>(results).data();
          else at<I>(sinks) = at<I>(memory).reserve(element_count(v.shape));
          v.data = at<I>(sinks);
        }
      });

      // 4. The loops, in topological order.
      for_each_node<runs>([&]<std::size_t I>() {
        if constexpr (P::materialised(I) && G::kinds[I] == node_kind::elementwise)
          runner.template run_elementwise<I>(views, at<I>(shapes), sinks);
        else if constexpr (G::kinds[I] == node_kind::reduction) runner.template run_reduction<I>(views, shapes, sinks);
        else if constexpr (G::kinds[I] == node_kind::contraction)
          runner.template run_contraction<I>(views, at<I>(shapes), at<I>(sinks));
        else if constexpr (G::kinds[I] == node_kind::sweep) runner.template run_sweep<I>(views, shapes, at<I>(sinks));
        else if constexpr (G::kinds[I] == node_kind::dense) run_dense<I>(runner, views, at<I>(sinks));
      });

      // 5. Numbers, and outputs that are inputs, views or repeats, are copied out.
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        [[maybe_unused]] auto copy_out = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
          if constexpr (!written_into_result<J, results_t>()) runner.copy_out(at<G::outputs[J]>(views), std::get<J>(results));
        };
        (copy_out(std::integral_constant<std::size_t, K>{}), ...);
        // f.into: outputs computed in kept memory go into the caller's arrays.
        if constexpr (into) {
          auto deliver_into = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
            const auto& to = std::get<J>(targets);
            const auto* computed = std::get<J>(results).data();
            const auto& shape = at<G::outputs[J]>(shapes);
            if constexpr (std::is_pointer_v<std::remove_cvref_t<decltype(to)>>) {
              if (computed != to) runner.write(strided<const stored_t<G, G::outputs[J]>, 0>{computed, shape, {}}, to);
            } else if (computed != to.data) {
              runner.write(strided<const stored_t<G, G::outputs[J]>, rank_v<N<G::outputs[J]>>>{computed, shape, row_major_strides(shape)}, to);
            }
          };
          (deliver_into(std::integral_constant<std::size_t, K>{}), ...);
        }
      }(std::make_index_sequence<output_count>{});

      // 6. The updates. New values that live in the caller's memory (an input,
      // or a view of one) are staged first: that memory may be state another
      // update writes.
      [&]<std::size_t... U>(std::index_sequence<U...>) {
        [[maybe_unused]] auto source = [&]<std::size_t J>(std::integral_constant<std::size_t, J>) {
          constexpr std::size_t i = G::outputs[output_count + J];
          if constexpr (G::kinds[i] == node_kind::input || G::kinds[i] == node_kind::view)
            return runner.stage(at<i>(views), at<i>(memory));
          else return at<i>(views);
        };
        [[maybe_unused]] const auto sources = std::tuple{source(std::integral_constant<std::size_t, U>{})...};
        (runner.write(std::get<U>(sources), std::get<U>(state)), ...);
      }(std::make_index_sequence<update_count>{});

      // 7. One output alone, several as a tuple; a rank-0 output as a number.
      auto deliver = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
        if constexpr (rank_v<N<G::outputs[K]>> == 0) return runner.number(std::get<K>(results));
        else return std::move(std::get<K>(results));
      };
      if constexpr (output_count == 0 || into) return;
      else if constexpr (output_count == 1) return deliver(std::integral_constant<std::size_t, 0>{});
      else
        return [&]<std::size_t... K>(std::index_sequence<K...>) {
          return std::tuple{deliver(std::integral_constant<std::size_t, K>{})...};
        }(std::make_index_sequence<output_count>{});
    });
  }
};

}  // namespace theon
