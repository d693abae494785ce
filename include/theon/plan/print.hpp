#pragma once
// to_string (infix, minimal parentheses) and to_dot (Graphviz) for expressions.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "theon/ops/arithmetic.hpp"
#include "theon/plan/graph.hpp"

namespace theon {

namespace detail {

inline constexpr int atom = 5;  // names, calls and non-negative integers never need parentheses

template <std::intmax_t Num, std::intmax_t Den>
std::string literal_text() {
  if (Den == 1) return std::to_string(Num);
  // A fraction whose denominator divides a power of ten is a finite decimal.
  std::intmax_t pow10 = 10;
  int digits = 1;
  while (pow10 % Den != 0 && digits < 18) { pow10 *= 10; ++digits; }
  const std::intmax_t scale = pow10 / Den;
  const std::intmax_t magnitude = Num < 0 ? -Num : Num;
  if (pow10 % Den != 0 || magnitude > INTMAX_MAX / scale) return std::to_string(Num) + "/" + std::to_string(Den);
  const std::intmax_t scaled = magnitude * scale;
  std::string fraction = std::to_string(scaled % pow10);
  fraction.insert(0, static_cast<std::size_t>(digits) - fraction.size(), '0');
  while (fraction.back() == '0') fraction.pop_back();
  return (Num < 0 ? "-" : "") + std::to_string(scaled / pow10) + "." + fraction;
}

template <class E>
constexpr int binding_strength() {
  if constexpr (is_lit_v<E>) return E::num < 0 ? static_cast<int>(precedence::unary) : atom;
  else if constexpr (is_node_v<E> && operands<E>::type::size > 0) {
    return []<class Op, class First, class... Args>(node<Op, First, Args...>*) {
      if constexpr (requires { Op::prints_as_first_operand; }) return binding_strength<First>();
      else if constexpr (requires { Op::binds; }) return static_cast<int>(Op::binds);
      else return atom;
    }(static_cast<E*>(nullptr));
  } else return atom;
}

template <class Op, std::size_t Rank>
std::string axis_options() {
  std::string s;
  if constexpr (requires { Op::perm; }) {
    bool reversed = true;
    for (std::size_t i = 0; i < Rank; ++i) reversed = reversed && Op::perm[i] == Rank - 1 - i;
    if (reversed) return s;
    s = ", axes=[";
    for (std::size_t i = 0; i < Op::perm.size(); ++i) s += (i ? ", " : "") + std::to_string(Op::perm[i]);
    return s + "]";
  } else if constexpr (requires { Op::axis; }) {
    return ", axis=" + std::to_string(Op::axis);
  } else if constexpr (requires { Op::axes; }) {
    const bool all = Op::axes.size() == Rank;
    if (!all || Op::axes.size() == 0) {
      if (Op::axes.size() == 1) s = ", axis=" + std::to_string(Op::axes[0]);
      else {
        s = ", axes=[";
        for (std::size_t i = 0; i < Op::axes.size(); ++i) s += (i ? ", " : "") + std::to_string(Op::axes[i]);
        s += "]";
      }
    }
    if constexpr (requires { Op::keep; }) {
      if (Op::keep) s += ", keepdims";
    }
  }
  return s;
}

}  // namespace detail

template <class E>
std::string to_string(E);

namespace detail {
// The expressions whose broadcast is E's shape: through elementwise nodes
// (operands of rank 0 never enlarge a broadcast) down to variables and other
// nodes, each once. An operand read only for its shape prints as these, so a
// gradient's broadcast_like(1, ...) does not repeat a whole expression.
template <class E>
void collect_shape_sources(std::vector<std::string>& sources) {
  if constexpr (is_node_v<E> && std::is_same_v<kind_t<E>, elementwise> && rank_v<E> > 0) {
    [&]<class... Args>(type_list<Args...>) {
      ((rank_v<Args> > 0 ? collect_shape_sources<Args>(sources) : void()), ...);
    }(typename operands<E>::type{});
  } else {
    std::string text = to_string(E{});
    if (std::find(sources.begin(), sources.end(), text) == sources.end()) sources.push_back(std::move(text));
  }
}
template <class E>
std::string shape_text() {
  std::vector<std::string> sources;
  collect_shape_sources<E>(sources);
  if (sources.size() == 1) return sources.front();
  std::string s = "shape(";
  for (std::size_t i = 0; i < sources.size(); ++i) s += (i ? ", " : "") + sources[i];
  return s + ")";
}

template <class E>
std::string operand_text(int parent, bool parens_on_tie) {
  const int strength = binding_strength<E>();
  const bool wrap = strength < parent || (strength == parent && parens_on_tie);
  const std::string s = to_string(E{});
  return wrap ? "(" + s + ")" : s;
}
}  // namespace detail

// Infix text of an expression: "sum(exp(a * x) + 2 * x)".
template <class E>
std::string to_string(E) {
  if constexpr (is_var_v<E>) return std::string(E::name.view());
  else if constexpr (is_lit_v<E>) return detail::literal_text<E::num, E::den>();
  else {
    return []<class Op, class... Args>(node<Op, Args...>*) -> std::string {
      if constexpr (requires { Op::text; }) {
        return Op::text;  // a leaf that is not a variable: a rule's placeholder
      } else if constexpr (requires { Op::prints_as_first_operand; }) {
        return to_string(std::tuple_element_t<0, std::tuple<Args...>>{});
      } else if constexpr (requires { Op::symbol; } && sizeof...(Args) == 2) {
        using A = std::tuple_element_t<0, std::tuple<Args...>>;
        using B = std::tuple_element_t<1, std::tuple<Args...>>;
        constexpr int p = static_cast<int>(Op::binds);
        // Left operands group to the left; a right operand of the same strength keeps its parentheses.
        return detail::operand_text<A>(p, p == static_cast<int>(precedence::comparison)) + " " + Op::symbol + " " +
               detail::operand_text<B>(p, true);
      } else if constexpr (requires { Op::symbol; }) {
        return std::string(Op::symbol) + (detail::operand_text<Args>(static_cast<int>(Op::binds), false) + ...);
      } else {
        std::string s = std::string(Op::name) + "(";
        std::size_t i = 0;
        // Ops may show only their leading operands (a sweep also lists the inputs it binds).
        constexpr std::size_t shown = [] {
          if constexpr (requires { Op::printed_operands; }) return Op::printed_operands;
          else return sizeof...(Args);
        }();
        using self = node<Op, Args...>;
        ((s += i < shown ? (i ? ", " : "") + (reads_shape_only<self>(i) ? detail::shape_text<Args>() : to_string(Args{}))
                         : std::string(),
          ++i),
         ...);
        using first = std::tuple_element_t<0, std::tuple<Args...>>;
        return s + detail::axis_options<Op, rank_v<first>>() + ")";
      }
    }(static_cast<E*>(nullptr));
  }
}

// Graphviz text of the graph: one box per unique node, edges from operands to users.
template <class... Es>
std::string to_dot(Es...) {
  return []<class... N>(type_list<N...>) {
    using nodes = type_list<N...>;
    std::string s = "digraph theon {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n";
    std::size_t literal_count = 0;
    auto label = []<class E>(E*) -> std::string {
      if constexpr (is_var_v<E>) return std::string(E::name.view());
      else {
        return []<class Op, class... Args>(node<Op, Args...>*) -> std::string {
          if constexpr (requires { Op::symbol; }) return Op::symbol;
          else {
            using first = std::tuple_element_t<0, std::tuple<Args...>>;
            std::string options = detail::axis_options<Op, rank_v<first>>();
            return std::string(Op::name) + (options.empty() ? "" : " (" + options.substr(2) + ")");
          }
        }(static_cast<E*>(nullptr));
      }
    };
    auto emit = [&]<class E>(E*) {
      const std::size_t id = index_of<E, nodes>::value;
      const char* shape = is_var_v<E> ? "ellipse" : "box";
      s += "  n" + std::to_string(id) + " [label=\"" + label(static_cast<E*>(nullptr)) + "\", shape=" + shape + "];\n";
      [&]<class... Args>(type_list<Args...>) {
        std::size_t k = 0;
        [[maybe_unused]] auto edge = [&]<class A>(A*) {
          const std::string port = sizeof...(Args) > 1 ? " [label=\"" + std::to_string(k) + "\"]" : "";
          ++k;
          if constexpr (is_lit_v<A>) {
            const std::string lid = "c" + std::to_string(literal_count++);
            s += "  " + lid + " [label=\"" + to_string(A{}) + "\", shape=plaintext];\n";
            s += "  " + lid + " -> n" + std::to_string(id) + port + ";\n";
          } else {
            s += "  n" + std::to_string(index_of<A, nodes>::value) + " -> n" + std::to_string(id) + port + ";\n";
          }
        };
        (edge(static_cast<Args*>(nullptr)), ...);
      }(typename operands<E>::type{});
    };
    (emit(static_cast<N*>(nullptr)), ...);
    return s + "}\n";
  }(unique_nodes_t<Es...>{});
}

}  // namespace theon
