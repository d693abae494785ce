// Writes a GoogleTest file of random expressions for random_support.hpp to check:
//
//   generate <seed> <count> <output.cpp>
//
// Each expression is a random tree (depth up to 6) over the variables a
// (scalar), x (n), y (m) and A (m x n) with n = 4, m = 3: elementwise functions
// and arithmetic with NumPy broadcasting between ranks 0, 1 and 2, reductions
// over all or one axis (with keepdims), matmul, dot, outer, transpose,
// expand_dims, softmax, log_softmax and logsumexp. Every tree is written twice,
// as a theon expression and as calls of the long double reference
// (reference.hpp). Trees are built top-down from the shape each node must have,
// so every one is well formed; functions with a restricted domain get an
// argument inside it (log(|e| + 1)), and a bound on each node's magnitude keeps
// values finite in double.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace {

using shape = std::vector<int>;
const shape scalar{}, vec_n{4}, vec_m{3}, matrix{3, 4}, row{1, 4}, column{3, 1};
const std::vector<shape> shapes{scalar, vec_n, vec_m, matrix, row, column};

struct tree {
  std::string theon, reference;
  shape dims;
  std::set<std::string> variables;
  double bound;  // |value| <= bound for inputs in [-1.5, 1.5]
};

// An operand of an infix operator, in parentheses unless it is one token.
std::string grouped(const std::string& text) {
  return text.find(' ') == std::string::npos && text[0] != '-' ? text : "(" + text + ")";
}

// Replaces each % (or %1, %2, %3) in a template by the operands' texts.
std::string fill(std::string text, const std::vector<std::string>& args) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    std::size_t k = 0;
    if (i + 1 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '3') k = static_cast<std::size_t>(text[++i] - '1');
    out += args[k];
  }
  return out;
}

bool broadcasts_to(const shape& a, const shape& b, const shape& target) {
  shape out(std::max(a.size(), b.size()), 1);
  for (std::size_t k = 0; k < out.size(); ++k) {
    const int ea = k < a.size() ? a[a.size() - 1 - k] : 1, eb = k < b.size() ? b[b.size() - 1 - k] : 1;
    if (ea != eb && ea != 1 && eb != 1) return false;
    out[out.size() - 1 - k] = std::max(ea, eb);
  }
  return out == target;
}

int count(const shape& s) {
  int n = 1;
  for (int e : s) n *= e;
  return n;
}

struct unary_form {
  const char* theon;
  const char* reference;  // a function of v
  double (*bound)(double);
};
const unary_form unary_forms[] = {
    {"-(%)", "-v", [](double b) { return b; }},
    {"theon::exp(theon::tanh(%))", "std::exp(std::tanh(v))", [](double) { return 2.72; }},
    {"theon::log(theon::abs(%) + 1_c)", "std::log(std::fabs(v) + 1)", [](double b) { return std::log(b + 1); }},
    {"theon::log1p(theon::square(%))", "std::log1p(v * v)", [](double b) { return std::log1p(b * b); }},
    {"theon::sqrt(theon::square(%) + 0.25_c)", "std::sqrt(v * v + 0.25L)", [](double b) { return b + 0.5; }},
    {"theon::tanh(%)", "std::tanh(v)", [](double) { return 1.0; }},
    {"theon::sin(%)", "std::sin(v)", [](double) { return 1.0; }},
    {"theon::cos(%)", "std::cos(v)", [](double) { return 1.0; }},
    {"theon::erf(%)", "std::erf(v)", [](double) { return 1.0; }},
    {"theon::sigmoid(%)", "v >= 0 ? 1 / (1 + std::exp(-v)) : std::exp(v) / (1 + std::exp(v))", [](double) { return 1.0; }},
    {"theon::softplus(%)", "v > 0 ? v + std::log1p(std::exp(-v)) : std::log1p(std::exp(v))", [](double b) { return b + 0.7; }},
    {"theon::square(%)", "v * v", [](double b) { return b * b; }},
    {"theon::abs(%)", "std::fabs(v)", [](double b) { return b; }},
    {"theon::pow(%, 3_c)", "v * v * v", [](double b) { return b * b * b; }},
    {"theon::expm1(theon::tanh(%))", "std::expm1(std::tanh(v))", [](double) { return 1.72; }},
    {"theon::clip(%, -0.5_c, 0.5_c)", "std::clamp(v, -0.5L, 0.5L)", [](double) { return 0.5; }},
    {"theon::atan(%)", "std::atan(v)", [](double) { return 1.58; }},
    {"theon::asinh(%)", "std::asinh(v)", [](double b) { return std::asinh(b); }},
    {"theon::erfc(%)", "std::erfc(v)", [](double) { return 2.0; }},
    {"theon::cbrt(theon::square(%) + 1_c)", "std::cbrt(v * v + 1)", [](double b) { return std::cbrt(b * b + 1); }},
    {"theon::lgamma(theon::square(%) + 1_c)", "std::lgamma(v * v + 1)",
     [](double b) { return std::max(0.13, std::lgamma(b * b + 1)); }},
    {"theon::log_ndtr(%)", "std::log(0.5L * std::erfc(-v / std::sqrt(2.0L)))",
     [](double b) { return b * b / 2 + b + 1; }},  // bounds -log Phi(-b)
};

struct binary_form {
  const char* theon;
  const char* reference;  // a function of u and v
  double (*bound)(double, double);
};
// Operands are grouped (see grouped) before they are filled in.
const binary_form binary_forms[] = {
    {"%1 + %2", "u + v", [](double p, double q) { return p + q; }},
    {"%1 - %2", "u - v", [](double p, double q) { return p + q; }},
    {"%1 * %2", "u * v", [](double p, double q) { return p * q; }},
    {"%1 / (theon::abs(%2) + 1_c)", "u / (std::fabs(v) + 1)", [](double p, double) { return p; }},
    {"theon::maximum(%1, %2)", "std::max(u, v)", [](double p, double q) { return std::max(p, q); }},
    {"theon::minimum(%1, %2)", "std::min(u, v)", [](double p, double q) { return std::max(p, q); }},
    {"theon::where(%1 > %2, %2, %1)", "u > v ? v : u", [](double p, double q) { return std::max(p, q); }},
    {"theon::hypot(%1, %2)", "std::hypot(u, v)", [](double p, double q) { return p + q; }},
    {"theon::logaddexp(%1, %2)", "std::max(u, v) + std::log1p(std::exp(-std::fabs(u - v)))",
     [](double p, double q) { return std::max(p, q) + 0.7; }},
};

constexpr double largest = 1e4;  // magnitudes above this are not generated

class generator {
  std::mt19937 rng_;

  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }
  bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  tree leaf(const shape& s) {
    if (s == scalar) {
      if (chance(0.7)) return {"a", "in.ra()", s, {"a"}, 1.5};
      static const char* literals[][2] = {{"2_c", "2"}, {"0.5_c", "0.5L"}, {"3_c", "3"}, {"1.5_c", "1.5L"}};
      const auto* l = literals[pick(4)];
      return {l[0], std::string("reference::constant(") + l[1] + ")", s, {}, 3};
    }
    if (s == vec_n) return {"x", "in.rx()", s, {"x"}, 1.5};
    if (s == vec_m) return {"y", "in.ry()", s, {"y"}, 1.5};
    if (s == matrix) return {"A", "in.rA()", s, {"A"}, 1.5};
    if (s == row) return {"theon::expand_dims<0>(x)", "reference::expand_dims(in.rx(), 0)", s, {"x"}, 1.5};
    return {"theon::expand_dims<1>(y)", "reference::expand_dims(in.ry(), 1)", s, {"y"}, 1.5};
  }

  static tree combine(const std::string& theon, const std::string& reference, const shape& s,
                      const std::vector<tree>& args, double bound) {
    tree t{theon, reference, s, {}, bound};
    for (const auto& a : args) t.variables.insert(a.variables.begin(), a.variables.end());
    return t;
  }

  tree unary(const shape& s, int depth) {
    const tree child = make(s, depth - 1);
    for (;;) {
      const auto& f = unary_forms[pick(std::size(unary_forms))];
      if (f.bound(child.bound) > largest) continue;
      return combine(fill(f.theon, {child.theon}),
                     "reference::map(" + child.reference + ", [](reference::real v) -> reference::real { return " +
                         f.reference + "; })",
                     s, {child}, f.bound(child.bound));
    }
  }

  tree binary(const shape& s, int depth) {
    std::vector<std::pair<shape, shape>> pairs;
    for (const auto& p : shapes)
      for (const auto& q : shapes)
        if (broadcasts_to(p, q, s)) pairs.push_back({p, q});
    const auto& [p, q] = pairs[pick(static_cast<int>(pairs.size()))];
    const tree left = make(p, depth - 1), right = make(q, depth - 1);
    for (;;) {
      const auto& f = binary_forms[pick(std::size(binary_forms))];
      if (f.bound(left.bound, right.bound) > largest) continue;
      return combine(fill(f.theon, {grouped(left.theon), grouped(right.theon)}),
                     "reference::zip(" + left.reference + ", " + right.reference +
                         ", [](reference::real u, reference::real v) -> reference::real { return " + f.reference + "; })",
                     s, {left, right}, f.bound(left.bound, right.bound));
    }
  }

  // sum, mean, max, min or prod over all axes, or over one axis of a matrix.
  tree reduction(const shape& s, int depth) {
    shape from = matrix;
    std::string options, axis = "-1", keep = "false";
    if (s == scalar) {
      from = shapes[pick(static_cast<int>(shapes.size()))];
    } else if (s == vec_n || s == row) {
      options = ", theon::axis<0>";
      axis = "0";
    } else if (s == vec_m || s == column) {
      options = ", theon::axis<1>";
      axis = "1";
    } else {
      return unary(s, depth);
    }
    if (s == row || s == column) options += ", theon::keepdims", keep = "true";
    const tree child = make(from, depth - 1);
    static const char* ops[] = {"sum", "mean", "max", "min", "prod"};
    for (;;) {
      const std::string op = ops[pick(5)];
      const int members = s == scalar ? count(from) : s == vec_n || s == row ? 3 : 4;
      const double bound = op == "sum" ? child.bound * members : op == "prod" ? std::pow(child.bound, members) : child.bound;
      if (bound > largest) continue;
      return combine("theon::" + op + "(" + child.theon + options + ")",
                     "reference::reduce(" + child.reference + ", reference::fold::" + op + ", " + axis + ", " + keep + ")",
                     s, {child}, bound);
    }
  }

  // matmul, dot, outer.
  tree product(const shape& s, int depth) {
    if (s == vec_m || s == vec_n) {
      const bool transposed = s == vec_n;
      const tree m = make(matrix, depth - 1), v = make(transposed ? vec_m : vec_n, depth - 1);
      const double bound = m.bound * v.bound * (transposed ? 3 : 4);
      if (bound > largest) return unary(s, depth);
      const std::string theon_m = transposed ? "theon::transpose(" + m.theon + ")" : m.theon;
      const std::string ref_m = transposed ? "reference::transpose(" + m.reference + ")" : m.reference;
      return combine("theon::matmul(" + theon_m + ", " + v.theon + ")",
                     "reference::matmul(" + ref_m + ", " + v.reference + ")", s, {m, v}, bound);
    }
    if (s == scalar) {
      const shape& side = chance(0.5) ? vec_n : vec_m;
      const tree u = make(side, depth - 1), v = make(side, depth - 1);
      if (u.bound * v.bound * 4 > largest) return unary(s, depth);
      return combine("theon::dot(" + u.theon + ", " + v.theon + ")", "reference::matmul(" + u.reference + ", " + v.reference + ")",
                     s, {u, v}, u.bound * v.bound * 4);
    }
    if (s == matrix) {
      const tree u = make(vec_m, depth - 1), v = make(vec_n, depth - 1);
      if (u.bound * v.bound > largest) return unary(s, depth);
      return combine("theon::outer(" + u.theon + ", " + v.theon + ")", "reference::outer(" + u.reference + ", " + v.reference + ")",
                     s, {u, v}, u.bound * v.bound);
    }
    return binary(s, depth);
  }

  // softmax and log_softmax keep the shape; logsumexp gives a scalar.
  tree normalisation(const shape& s, int depth) {
    if (s == row || s == column) return unary(s, depth);
    const shape from = s == scalar ? shapes[pick(static_cast<int>(shapes.size()) - 1) + 1] : s;
    const tree child = make(from, depth - 1);
    if (child.bound > 50) return unary(s, depth);
    if (s == scalar)
      return combine("theon::logsumexp(" + child.theon + ")", "reference::logsumexp(" + child.reference + ", -1, false)", s,
                     {child}, child.bound + 3);
    const int axis = s == matrix && chance(0.3) ? 0 : static_cast<int>(s.size()) - 1;
    const std::string option = axis == static_cast<int>(s.size()) - 1 ? "" : ", theon::axis<0>";
    if (chance(0.5))
      return combine("theon::softmax(" + child.theon + option + ")",
                     "reference::softmax(" + child.reference + ", " + std::to_string(axis) + ")", s, {child}, 1);
    return combine("theon::log_softmax(" + child.theon + option + ")",
                   "reference::log_softmax(" + child.reference + ", " + std::to_string(axis) + ")", s, {child},
                   2 * child.bound + 3);
  }

 public:
  explicit generator(unsigned seed) : rng_(seed) {}

  // A tree of shape s and depth at most `depth`; a leaf only where `leaf_allowed`.
  tree make(const shape& s, int depth, bool leaf_allowed = true) {
    if (depth <= 0 || (leaf_allowed && chance(0.2))) return leaf(s);
    const int kind = pick(100);
    if (kind < 35) return unary(s, depth);
    if (kind < 70) return binary(s, depth);
    if (kind < 82) return reduction(s, depth);
    if (kind < 91) return product(s, depth);
    return normalisation(s, depth);
  }

  tree expression() {
    for (;;) {
      tree t = make(shapes[pick(static_cast<int>(shapes.size()))], 1 + pick(6), false);
      if (!t.variables.empty() && t.theon.size() < 1500) return t;
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: generate <seed> <count> <output.cpp>\n");
    return 2;
  }
  const unsigned seed = static_cast<unsigned>(std::strtoul(argv[1], nullptr, 10));
  const int expressions = std::atoi(argv[2]);
  std::ofstream out(argv[3]);
  out << "// Generated by tests/random/generate.cpp with seed " << seed << "; do not edit.\n"
      << "#include \"random_support.hpp\"\n\nnamespace {\nusing namespace theon::literals;\nusing namespace random_test;\n";
  generator g(seed);
  for (int k = 0; k < expressions; ++k) {
    const tree t = g.expression();
    std::string variables;
    for (const auto& v : t.variables) variables += ", " + v;
    out << "\nTEST(RandomSeed" << seed << ", Expression" << k << ") {\n"
        << "  const values in(" << seed * 1000u + static_cast<unsigned>(k) << ");\n"
        << "  constexpr auto e = " << t.theon << ";\n"
        << "  check(e, \"" << t.theon << "\",\n        " << t.reference << ",\n        in" << variables << ");\n}\n";
  }
  out << "\n}  // namespace\n";
  return out ? 0 : 1;
}
