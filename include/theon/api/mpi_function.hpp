#pragma once
// theon::on(theon::mpi(comm, theon::sharded(X, y)), f): f's graph run
// data-parallel over the processes of an MPI communicator.
//
// Each process binds its own rows of the sharded inputs (any number, the
// shards may differ in length) and the same values of every other input. The
// loops run on each process's shard as in f; a reduction or contraction over
// the sharded axis leaves each process a part, completed across processes
// (MPI_Allreduce) before anything reads it. The parts one point of the call
// completes travel together: one message for a loss and all its gradients.
// Every process then holds the same complete values, and the same updates of
// replicated state; results split along the sharded axis stay local (each
// process gets its own rows).
//
// Each call first agrees on the shapes: one collective carries every
// process's verdict and input shapes, so a shape error on one process, or a
// replicated input bound with another shape than on rank 0, is the same
// theon::shape_error on every process, before any data moves.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "theon/api/function.hpp"
#include "theon/backend/mpi/communicator.hpp"
#include "theon/plan/sharding.hpp"

namespace theon {

// Where a function runs: the processes of comm, with those variables sharded.
template <class Sharded>
struct mpi_t {
  MPI_Comm comm;
};
template <class... Vars>
mpi_t<sharded_t<Vars...>> mpi(MPI_Comm comm, sharded_t<Vars...>) {
  return {comm};
}

namespace detail {
template <class Op>
constexpr auto op_name() {
  constexpr std::size_t n = std::string_view(Op::name).size();
  std::array<char, n + 1> text{};
  for (std::size_t i = 0; i < n; ++i) text[i] = Op::name[i];
  return fixed_string<n + 1>(text);
}
// The check that names an op no process can compute on its shard.
template <fixed_string Op, split_problem Problem>
struct op_runs_on_shards {
  static_assert(Problem != split_problem::needs_whole_axis,
                "theon::mpi: an op reads across the sharded axis (rows other processes hold); give it replicated values, "
                "or compute it outside the sharded function");
  static_assert(Problem != split_problem::mixes_split_axes, "theon::mpi: an op combines arrays sharded along different axes");
  static_assert(Problem != split_problem::contracts_split_with_whole,
                "theon::mpi: an op contracts the sharded axis of one operand with a replicated axis of the other");
  static constexpr bool value = Problem == split_problem::none;
};
template <fixed_string Name, bool Input>
struct sharded_variable_is_an_input {
  static_assert(Input, "theon::mpi: sharded(...) names a variable that is not an input of the function");
  static constexpr bool value = Input;
};
}  // namespace detail

// A runner (the CPU runner, or the Thrust runner) on each process's shard,
// with the parts completed across processes and the shapes agreed before
// anything runs. Parts in the runner's memory travel through host memory.
template <class Base, class Call, class G, class Sharded>
class mpi_runner : public Base {
  using base = Base;
  using schedule = completion_schedule<G, Sharded>;
  using S = sharding<G, Sharded>;
  static constexpr std::size_t size = G::size;
  template <std::size_t I>
  using N = node_at<G, I>;

  communicator comm_;
  std::array<std::size_t, size> total_rows_{};  // of each sharded input, on all processes together
  std::vector<double> floating_;
  std::vector<std::int64_t> integral_;
  std::vector<std::uint64_t> mine_, all_;

  // Input I's extents start at input_offsets[I] in each process's shapes.
  static constexpr std::array<std::size_t, size + 1> input_offsets = [] {
    std::array<std::size_t, size + 1> at{};
    for (std::size_t i = 0; i < size; ++i) at[i + 1] = at[i] + (G::kinds[i] == node_kind::input ? G::ranks[i] : 0);
    return at;
  }();

 public:
  mpi_runner(MPI_Comm comm, Base&& runner) : Base(std::move(runner)), comm_(comm) {}

  // The verdict of check() on every process, and every input's shape:
  // rank 0's for replicated inputs, rank 0's rows for sharded ones.
  template <class InputShape, class Check>
  auto agree(const InputShape& input_shape, const Check& check) {
    communicator::require_running();
    std::optional<decltype(check())> checked;
    std::string error;
    try {
      checked.emplace(check());
    } catch (const shape_error& e) {
      error = e.what();
    }
    constexpr std::size_t width = 1 + input_offsets[size];
    mine_.assign(width, 0);
    mine_[0] = error.empty() ? 0 : 1;
    call_for_each<node_kind::input>([&]<std::size_t I>() {
      const auto shape = input_shape.template operator()<I>();
      for (std::size_t d = 0; d < shape.size(); ++d) mine_[1 + input_offsets[I] + d] = shape[d];
    });
    comm_.allgather(mine_, all_);
    const int processes = comm_.size();
    for (int p = 0; p < processes; ++p)
      if (all_[p * width] != 0) {
        comm_.broadcast(error, p);
        throw shape_error("theon::mpi: on rank " + std::to_string(p) + " of " + std::to_string(processes) + ": " + error);
      }
    std::string disagreement;
    call_for_each<node_kind::input>([&]<std::size_t I>() {
      constexpr bool rows = S::splits[I].axis == 0;
      for (int p = 1; p < processes && disagreement.empty(); ++p)
        for (std::size_t d = rows; d < G::ranks[I]; ++d)
          if (all_[p * width + 1 + input_offsets[I] + d] != all_[1 + input_offsets[I] + d]) {
            disagreement = "theon::mpi: rank " + std::to_string(p) + " binds " + (rows ? "sharded '" : "'") +
                           std::string(N<I>::name.view()) + "' with shape " + shape_on(p, I) + ", rank 0 with " +
                           shape_on(0, I) +
                           (rows ? " (the shards of a sharded input differ only in their rows)"
                                 : " (an input not in sharded(...) is replicated: every process binds the same)");
            break;
          }
    });
    if (!disagreement.empty()) throw shape_error(disagreement);
    call_for_each<node_kind::input>([&]<std::size_t I>() {
      if constexpr (S::splits[I].axis == 0) {  // a sharded input: its rows on every process
        total_rows_[I] = 0;
        for (int p = 0; p < processes; ++p) total_rows_[I] += all_[p * width + 1 + input_offsets[I]];
      }
    });
    return std::move(*checked);
  }

  // Each loop as the base runs it, with the parts it reads completed first
  // and, after the last loop, every part still open.
  template <std::size_t I, class Views, class Shape, class Sinks>
  void run_elementwise(const Views& views, const Shape& shape, const Sinks& sinks) {
    around_loop<I>(views, [&] { base::template run_elementwise<I>(views, shape, sinks); });
  }
  template <std::size_t I, class Views, class Shapes, class Sinks>
  void run_reduction(const Views& views, const Shapes& shapes, const Sinks& sinks) {
    around_loop<I>(views, [&] {
      base::template run_reduction<I>(views, shapes, sinks);
      constexpr auto reductions = plan<G>::accumulated(I);
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        (over_all_rows<reductions.items[K]>(shapes, at<reductions.items[K]>(sinks)), ...);
      }(std::make_index_sequence<reductions.count>{});
    });
  }
  template <std::size_t I, class Views, class Shape, class T>
  void run_contraction(const Views& views, const Shape& shape, T* out) {
    around_loop<I>(views, [&] { base::template run_contraction<I>(views, shape, out); });
  }
  template <std::size_t I, class Views, class T>
  void run_dense(const Views& views, T* out) {
    around_loop<I>(views, [&] { base::template run_dense<I>(views, out); });
  }
  template <std::size_t I, class Views, class Shapes, class T>
  void run_sweep(const Views& views, const Shapes& shapes, T* out) {
    around_loop<I>(views, [&] { base::template run_sweep<I>(views, shapes, out); });
  }

 private:
  template <node_kind Kind, class F>
  static void call_for_each(F&& f) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ([&] {
        if constexpr (G::kinds[I] == Kind) f.template operator()<I>();
      }(), ...);
    }(std::make_index_sequence<size>{});
  }

  std::string shape_on(int p, std::size_t input) const {
    std::string text = "(";
    const std::size_t from = p * (1 + input_offsets[size]) + 1 + input_offsets[input];
    for (std::size_t d = 0; d < G::ranks[input]; ++d) text += (d ? ", " : "") + std::to_string(all_[from + d]);
    return text + ")";
  }

  // Reduction R over the split axis, from this process's rows to all rows:
  // a count is known from the agreed shard sizes (no message), and a mean
  // becomes this process's share of the global mean, which the completion sums.
  template <std::size_t R, class Shapes, class T>
  void over_all_rows(const Shapes& shapes, T* out) {
    constexpr completion how = S::splits[R].completes;
    if constexpr (how == completion::count || how == completion::mean)
      [&]<class Op, class A>(node<Op, A>*) {
        auto rows_as_one = Call::template shape_of<A>(shapes);
        rows_as_one[S::splits[G::children[R][0]].axis] = 1;
        const double local = static_cast<double>(Op::count(Call::template shape_of<A>(shapes)));
        const double global = static_cast<double>(Op::count(rows_as_one) * total_rows_[S::splits[R].source]);
        const std::size_t n = element_count(at<R>(shapes));
        floating_.resize(n);
        if constexpr (how == completion::count) {  // sum(broadcast_like(k, x)): k times the count
          using k = typename type_at<0, typename operands<A>::type>::type;
          std::fill(floating_.begin(), floating_.end(), k::template value<double>() * global);
        } else {
          base::load(out, n, floating_.data());
          for (double& v : floating_) v = local == 0 ? 0.0 : v * (local / global);
        }
        base::store(floating_.data(), n, out);
      }(static_cast<N<R>*>(nullptr));
  }

  template <std::size_t I, class Views, class Run>
  void around_loop(const Views& views, const Run& run) {
    complete<I>(views);
    run();
    if constexpr (I == schedule::last_loop) complete<schedule::after_loops>(views);
  }

  // The parts completed at When: for each way of combining and each storage
  // (floating parts as double, integer parts as int64), one allreduce of them all.
  template <std::size_t When, class Views>
  void complete(const Views& views) {
    constexpr auto parts = schedule::template completed<When>;
    if constexpr (parts.count != 0)
      for (completion how : {completion::sum, completion::prod, completion::max, completion::min}) {
        complete_as<parts>(views, how, floating_);
        complete_as<parts>(views, how, integral_);
      }
  }

  template <index_set Parts, class Views, class U>
  void complete_as(const Views& views, completion how, std::vector<U>& buffer) {
    auto each_part = [&](auto&& f) {
      [&]<std::size_t... K>(std::index_sequence<K...>) {
        (f.template operator()<Parts.items[K]>(), ...);
      }(std::make_index_sequence<Parts.count>{});
    };
    auto member = []<std::size_t R>(completion how) {
      constexpr completion c = S::splits[R].completes;
      constexpr bool floating = std::is_floating_point_v<stored_t<G, R>>;
      return floating == std::is_same_v<U, double> && (c == how || (c == completion::mean && how == completion::sum));
    };
    buffer.clear();
    each_part([&]<std::size_t R>() {
      if (!member.template operator()<R>(how)) return;
      const auto& part = at<R>(views);
      const std::size_t n = element_count(part.shape), from = buffer.size();
      buffer.resize(from + n);
      base::load(part.data, n, buffer.data() + from);
    });
    if (buffer.empty()) return;
    comm_.allreduce(buffer, how);
    std::size_t from = 0;
    each_part([&]<std::size_t R>() {
      if (!member.template operator()<R>(how)) return;
      using T = stored_t<G, R>;
      const auto& part = at<R>(views);
      const std::size_t n = element_count(part.shape);
      base::store(buffer.data() + from, n, const_cast<T*>(part.data));  // the part's own memory, computed by this call
      from += n;
    });
  }
};

template <class Policy, class F>
class thrust_function_t;  // api/thrust_function.hpp

namespace detail {
// The function a runner-bound function compiles: f itself, or the f of theon::on(policy, f).
template <class F>
struct compiled_of {
  using type = F;
};
template <class Policy, class F>
struct compiled_of<thrust_function_t<Policy, F>> {
  using type = F;
};
template <class Var, class F>
struct is_written_input;
template <class Var, class... W, class Targets, class... Outs>
struct is_written_input<Var, function_t<type_list<W...>, Targets, Outs...>>
    : std::bool_constant<sharded_variable_is_an_input<Var::name, contains<Var, unique_nodes_t<W...>>::value>::value> {};
}  // namespace detail

// theon::on(theon::mpi(comm, theon::sharded(X, y)), f): the same bindings as
// f, each process binding its own rows of X and y; f on the CPU runner, or
// theon::on(policy, f) on the Thrust runner.
template <class F, class Sharded>
class mpi_function_t;
template <class F, class... Vars>
class mpi_function_t<F, sharded_t<Vars...>>
    : public runs_on<typename detail::compiled_of<F>::type::procedure,
                     mpi_runner<typename F::runner_type, typename detail::compiled_of<F>::type::procedure,
                                typename detail::compiled_of<F>::type::graph_type, type_list<Vars...>>> {
  using compiled = typename detail::compiled_of<F>::type;
  using procedure = typename compiled::procedure;
  using G = typename compiled::graph_type;
  using S = sharding<G, type_list<Vars...>>;
  using runner = mpi_runner<typename F::runner_type, procedure, G, type_list<Vars...>>;

  static_assert((detail::is_written_input<Vars, compiled>::value && ...));
  static constexpr bool runs_on_shards = [] {
    if constexpr (S::first_problem == G::size) return true;
    else return detail::op_runs_on_shards<detail::op_name<node_op_t<node_at<G, S::first_problem>>>(),
                                          S::splits[S::first_problem].problem>::value;
  }();
  static_assert(runs_on_shards);

 public:
  using graph_type = G;
  // Calls as f's (runs_on, api/call.hpp), with this process's bindings: g(X = my_rows, w = w).
  mpi_function_t(MPI_Comm comm, const F& f) : runs_on<procedure, runner>(runner(comm, f.make_runner())) {}

  // Threads of each process's loops on the CPU runner (as function_t::threads).
  mpi_function_t& threads(std::size_t count)
    requires requires(runner& r) { r.threads; }
  {
    this->runner_.threads.threads = count;
    return *this;
  }
};

template <class Sharded, class Written, class Targets, class... Outs>
auto on(const mpi_t<Sharded>& where, const function_t<Written, Targets, Outs...>& f) {
  return mpi_function_t<function_t<Written, Targets, Outs...>, Sharded>(where.comm, f);
}
template <class Sharded, class Policy, class F>
auto on(const mpi_t<Sharded>& where, const thrust_function_t<Policy, F>& f) {
  return mpi_function_t<thrust_function_t<Policy, F>, Sharded>(where.comm, f);
}

}  // namespace theon
