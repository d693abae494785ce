#pragma once
// to_string (infix, minimal parentheses) and to_dot (Graphviz) for expressions.
#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "theon/ops/arithmetic.hpp"
#include "theon/plan/graph.hpp"

namespace theon {

// What the printers know of one unique node, read off its type once. The
// printers are ordinary functions over a table of these: one function prints
// every graph, where a function per node type would compile a printer for
// each node of each graph (for the error messages of every compiled function).
struct printed_node {
  enum class form : unsigned char { variable, operation, leaf };
  form shape_of_text = form::operation;
  const char* name = "";        // the variable's or op's name, or a leaf's text
  std::size_t name_length = 0;
  const char* symbol = nullptr; // an operator: infix for two operands, prefix for one
  int binds = 5;                // how tightly an operator binds (precedence); 5 for an atom
  bool as_first_operand = false;  // prints as its first operand (a cast, say)
  const char* suffix = nullptr;   // printed after its one operand: a subscript's "[1:-1]"
  const char* first_operand_suffix = nullptr;  // printed after its first operand: set_subtensor(x[1:-1], v)
  std::size_t arity = 0, shown = 0;  // operands, and how many of them are printed
  std::array<std::size_t, max_arity> operands{};  // table positions, no_node for a literal
  std::array<std::intmax_t, max_arity> literal_num{}, literal_den{};  // literal operands
  std::size_t shape_only = no_node;  // the operand read for its shape only
  bool elementwise = false;
  std::size_t rank = 0;
  // Options after the operands: a permutation, one axis, axes (and keepdims), or new extents.
  enum class options : unsigned char { none, perm, axis, axes, extents };
  options option_kind = options::none;
  std::array<long long, 8> option_values{};
  std::size_t option_count = 0;
  bool keep = false;
  std::array<printed_option, 4> named{};  // printed before its axes: a roll's shift, a pad's widths
  std::size_t named_count = 0;
};

// The table of the unique nodes Nodes (topological order, as unique_nodes_t).
template <class Nodes>
struct print_table;

namespace detail {

inline constexpr int atom = 5;  // names, calls and non-negative integers never need parentheses

template <class E>
struct printed_node_of {
  static constexpr printed_node value = [] {
    printed_node n;
    if constexpr (is_var_v<E>) {
      n.shape_of_text = printed_node::form::variable;
      n.name = E::name.value;
      n.name_length = E::name.view().size();
    } else {
      [&]<class Op, class... Args>(node<Op, Args...>*) {
        if constexpr (requires { Op::text; }) {
          n.shape_of_text = printed_node::form::leaf;
          n.name = Op::text;
          n.name_length = std::string_view(Op::text).size();
        } else if constexpr (requires { Op::name; }) {
          n.name = Op::name;
          n.name_length = std::string_view(Op::name).size();
        }
        if constexpr (requires { Op::symbol; }) n.symbol = Op::symbol;
        if constexpr (requires { Op::binds; }) n.binds = static_cast<int>(Op::binds);
        n.as_first_operand = requires { Op::prints_as_first_operand; };
        if constexpr (requires { Op::suffix; }) n.suffix = Op::suffix;
        if constexpr (requires { Op::first_operand_suffix; }) n.first_operand_suffix = Op::first_operand_suffix;
        n.arity = sizeof...(Args);
        if constexpr (requires { Op::printed_operands; }) n.shown = Op::printed_operands;
        else n.shown = sizeof...(Args);
        [[maybe_unused]] std::size_t k = 0;  // unused when no operand is a literal
        ([&] {
          if constexpr (is_lit_v<Args>) n.literal_num[k] = Args::num, n.literal_den[k] = Args::den;
          ++k;
        }(), ...);
        n.shape_only = shape_only_operand_of<E>::value;
        n.elementwise = same_type<kind_t<E>, elementwise>;
        if constexpr (requires { Op::printed_options; })
          for (const printed_option& o : Op::printed_options) n.named[n.named_count++] = o;
        if constexpr (requires { Op::perm; }) {
          n.option_kind = printed_node::options::perm;
          for (std::size_t v : Op::perm) n.option_values[n.option_count++] = static_cast<long long>(v);
        } else if constexpr (requires { Op::axis; }) {
          n.option_kind = printed_node::options::axis;
          n.option_values[n.option_count++] = static_cast<long long>(Op::axis);
        } else if constexpr (requires { Op::new_extents; }) {
          n.option_kind = printed_node::options::extents;
          for (auto v : Op::new_extents) n.option_values[n.option_count++] = static_cast<long long>(v);
        } else if constexpr (requires { Op::axes; }) {
          n.option_kind = printed_node::options::axes;
          for (auto v : Op::axes) n.option_values[n.option_count++] = static_cast<long long>(v);
          if constexpr (requires { Op::keep; }) n.keep = Op::keep;
        }
      }(static_cast<E*>(nullptr));
    }
    n.rank = rank_v<E>;
    return n;
  }();
};

inline std::string literal_text(std::intmax_t num, std::intmax_t den) {
  if (den == 1) return std::to_string(num);
  // A fraction whose denominator divides a power of ten is a finite decimal.
  std::intmax_t pow10 = 10;
  int digits = 1;
  while (pow10 % den != 0 && digits < 18) { pow10 *= 10; ++digits; }
  const std::intmax_t scale = pow10 / den;
  const std::intmax_t magnitude = num < 0 ? -num : num;
  if (pow10 % den != 0 || magnitude > INTMAX_MAX / scale) return std::to_string(num) + "/" + std::to_string(den);
  const std::intmax_t scaled = magnitude * scale;
  std::string fraction = std::to_string(scaled % pow10);
  fraction.insert(0, static_cast<std::size_t>(digits) - fraction.size(), '0');
  while (fraction.back() == '0') fraction.pop_back();
  return (num < 0 ? "-" : "") + std::to_string(scaled / pow10) + "." + fraction;
}

}  // namespace detail

// Printing from a table: node i of the graph, its operands, and option text.
class graph_printer {
  std::span<const printed_node> nodes_;

  std::string_view name(std::size_t i) const { return {nodes_[i].name, nodes_[i].name_length}; }

  int strength(std::size_t i) const {
    const printed_node& n = nodes_[i];
    if (n.shape_of_text != printed_node::form::operation || n.arity == 0) return detail::atom;
    if (n.as_first_operand) return operand_strength(i, 0);
    return n.symbol ? n.binds : detail::atom;
  }
  int operand_strength(std::size_t i, std::size_t k) const {
    const printed_node& n = nodes_[i];
    if (n.operands[k] != no_node) return strength(n.operands[k]);
    return n.literal_num[k] < 0 ? static_cast<int>(precedence::unary) : detail::atom;
  }
  std::string operand_text(std::size_t i, std::size_t k, int parent, bool parens_on_tie) const {
    const int s = operand_strength(i, k);
    const bool wrap = s < parent || (s == parent && parens_on_tie);
    const std::string text = operand(i, k);
    return wrap ? "(" + text + ")" : text;
  }

  // The expressions whose broadcast is node i's shape: through elementwise
  // nodes (operands of rank 0 never enlarge a broadcast) down to variables
  // and other nodes, each once. An operand read only for its shape prints as
  // these, so a gradient's broadcast_like(1, ...) does not repeat a whole expression.
  void collect_shape_sources(std::size_t i, std::vector<std::string>& sources) const {
    const printed_node& n = nodes_[i];
    if (n.shape_of_text == printed_node::form::operation && n.elementwise && n.rank > 0) {
      for (std::size_t k = 0; k < n.arity; ++k)
        if (n.operands[k] != no_node && nodes_[n.operands[k]].rank > 0) collect_shape_sources(n.operands[k], sources);
    } else {
      std::string text = (*this)(i);
      if (std::find(sources.begin(), sources.end(), text) == sources.end()) sources.push_back(std::move(text));
    }
  }
  std::string shape_text(std::size_t i, std::size_t k) const {
    if (nodes_[i].operands[k] == no_node) return operand(i, k);
    std::vector<std::string> sources;
    collect_shape_sources(nodes_[i].operands[k], sources);
    if (sources.size() == 1) return sources.front();
    std::string s = "shape(";
    for (std::size_t j = 0; j < sources.size(); ++j) s += (j ? ", " : "") + sources[j];
    return s + ")";
  }

 public:
  explicit graph_printer(std::span<const printed_node> nodes) : nodes_(nodes) {}

  // Operand k of node i: a node's text or a literal's.
  std::string operand(std::size_t i, std::size_t k) const {
    const printed_node& n = nodes_[i];
    return n.operands[k] != no_node ? (*this)(n.operands[k]) : detail::literal_text(n.literal_num[k], n.literal_den[k]);
  }

  // ", axis=1", ", axes=[0, 2], keepdims", ", shift=2", ", mode=edge", or nothing: what an op's operands are followed by.
  std::string options(std::size_t i) const {
    const printed_node& n = nodes_[i];
    const std::size_t first_rank = n.operands[0] != no_node ? nodes_[n.operands[0]].rank : 0;
    auto list = [&] {
      std::string s = "[";
      for (std::size_t j = 0; j < n.option_count; ++j) s += (j ? ", " : "") + std::to_string(n.option_values[j]);
      return s + "]";
    };
    std::string s;
    // Appended piece by piece: g++ 12 misreports `", x" + std::string` under -Wrestrict.
    for (std::size_t j = 0; j < n.named_count; ++j) {
      const printed_option& o = n.named[j];
      s.append(", ").append(o.name).append("=").append(o.text ? std::string(o.text) : detail::literal_text(o.num, o.den));
    }
    switch (n.option_kind) {
      case printed_node::options::none: break;
      case printed_node::options::perm: {
        bool reversed = true;
        for (std::size_t j = 0; j < first_rank; ++j)
          reversed = reversed && n.option_values[j] == static_cast<long long>(first_rank - 1 - j);
        if (!reversed) s += ", axes=" + list();
        break;
      }
      case printed_node::options::axis: s += ", axis=" + std::to_string(n.option_values[0]); break;
      case printed_node::options::extents: s += ", shape=" + list(); break;
      case printed_node::options::axes:
        if (n.option_count != first_rank || n.option_count == 0)
          s += n.option_count == 1 ? ", axis=" + std::to_string(n.option_values[0]) : ", axes=" + list();
        if (n.keep) s += ", keepdims";
        break;
    }
    return s;
  }

  // Infix text of node i: "sum(exp(a * x) + 2 * x)".
  std::string operator()(std::size_t i) const {
    const printed_node& n = nodes_[i];
    if (n.shape_of_text != printed_node::form::operation) return std::string(name(i));
    if (n.as_first_operand) return operand(i, 0);
    if (n.suffix) return operand_text(i, 0, detail::atom, false) + n.suffix;
    if (is_not_a_number(n)) return "nan";
    if (n.symbol && n.arity == 2) {
      // Left operands group to the left; a right operand of the same strength keeps its parentheses.
      return operand_text(i, 0, n.binds, n.binds == static_cast<int>(precedence::comparison)) + " " + n.symbol + " " +
             operand_text(i, 1, n.binds, true);
    }
    if (n.symbol) return std::string(n.symbol) + operand_text(i, 0, n.binds, false);
    // Ops may show only their leading operands (a sweep also lists the inputs it binds).
    std::string s = std::string(name(i)) + "(";
    for (std::size_t k = 0; k < n.shown; ++k) {
      if (k == 0 && n.first_operand_suffix) s += operand_text(i, 0, detail::atom, false) + n.first_operand_suffix;
      else s += (k ? ", " : "") + (k == n.shape_only ? shape_text(i, k) : operand(i, k));
    }
    return s + options(i) + ")";
  }

  // 0 / 0, the literal NaN the rewrite rules write where a value is undefined.
  static bool is_not_a_number(const printed_node& n) {
    return n.symbol && n.arity == 2 && std::string_view(n.symbol) == "/" && n.operands[0] == no_node &&
           n.operands[1] == no_node && n.literal_num[0] == 0 && n.literal_num[1] == 0;
  }

  // The label of node i in a drawing: its name, operator or options.
  std::string label(std::size_t i) const {
    const printed_node& n = nodes_[i];
    if (n.symbol) return n.symbol;
    const std::string o = n.shape_of_text == printed_node::form::operation ? options(i) : "";
    return std::string(name(i)) + (o.empty() ? "" : " (" + o.substr(2) + ")");
  }

  std::size_t size() const { return nodes_.size(); }
  const printed_node& operator[](std::size_t i) const { return nodes_[i]; }
};

template <class... N>
struct print_table<type_list<N...>> {
  static constexpr std::array<printed_node, sizeof...(N)> nodes = [] {
    std::array<printed_node, sizeof...(N)> t{detail::printed_node_of<N>::value...};
    const std::array<std::size_t, max_arity> operands[] = {as_array(typename operand_positions<N, type_list<N...>>::type{})...,
                                                           {}};
    for (std::size_t i = 0; i < sizeof...(N); ++i) t[i].operands = operands[i];
    return t;
  }();
  static graph_printer printer() { return graph_printer(nodes); }
};

// Infix text of an expression: "sum(exp(a * x) + 2 * x)".
template <class E>
std::string to_string(E) {
  if constexpr (is_lit_v<E>) return detail::literal_text(E::num, E::den);
  else {
    using nodes = unique_nodes_t<E>;
    return print_table<nodes>::printer()(nodes::size - 1);
  }
}

// Graphviz text of the graph: one box per unique node, edges from operands to users.
template <class... Es>
std::string to_dot(Es...) {
  const graph_printer p = print_table<unique_nodes_t<Es...>>::printer();
  std::string s = "digraph theon {\n  rankdir=BT;\n  node [fontname=\"Helvetica\"];\n";
  std::size_t literal_count = 0;
  for (std::size_t id = 0; id < p.size(); ++id) {
    const printed_node& n = p[id];
    const char* shape = n.shape_of_text == printed_node::form::variable ? "ellipse" : "box";
    s += "  n" + std::to_string(id) + " [label=\"" + p.label(id) + "\", shape=" + shape + "];\n";
    for (std::size_t k = 0; k < n.arity; ++k) {
      // Appended piece by piece: g++ 12 misreports `"c" + std::string` under -Wrestrict.
      std::string port;
      if (n.arity > 1) port.append(" [label=\"").append(std::to_string(k)).append("\"]");
      std::string from;
      if (n.operands[k] == no_node) {
        from.append("c").append(std::to_string(literal_count++));
        s.append("  ").append(from).append(" [label=\"").append(p.operand(id, k)).append("\", shape=plaintext];\n");
      } else {
        from.append("n").append(std::to_string(n.operands[k]));
      }
      s.append("  ").append(from).append(" -> n").append(std::to_string(id)).append(port).append(";\n");
    }
  }
  return s + "}\n";
}

}  // namespace theon
