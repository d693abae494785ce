#pragma once
// A readable plan: the loops a compiled function runs, what each fuses and
// reads, and which results get memory of their own.
#include <string>
#include <string_view>
#include <vector>

#include "theon/plan/plan.hpp"
#include "theon/plan/print.hpp"

namespace theon {

struct plan_step {
  std::string kind;                // input, elementwise, reduction, contraction, view, sweep, dense
  std::string node;                // the materialised node, as text
  std::vector<std::string> fused;  // nodes computed inside this step's loop, per element
  std::vector<std::string> stores; // other results this step's loop writes: stores, or reductions beside its own
  std::vector<std::string> reads;  // materialised nodes the loop reads
  std::string loop;                // the step whose loop computes and stores this node; empty: its own
  bool output = false;
  bool temporary = false;          // memory kept in the function between calls
};

struct plan_description {
  std::vector<plan_step> steps;

  // The loops (and products) of a kind that run; nodes stored by another step's loop are not counted.
  std::size_t count(std::string_view kind) const {
    std::size_t n = 0;
    for (const auto& s : steps) n += s.kind == kind && s.loop.empty();
    return n;
  }
  std::size_t temporaries() const {
    std::size_t n = 0;
    for (const auto& s : steps) n += s.temporary;
    return n;
  }
  // The step that materialises `node` (given as to_string text), or nullptr.
  const plan_step* find(std::string_view node) const {
    for (const auto& s : steps)
      if (s.node == node) return &s;
    return nullptr;
  }

  std::string to_string() const {
    std::string text;
    std::size_t n = 0;
    for (const auto& s : steps) {
      if (s.kind == "input") continue;
      // Appended piece by piece: g++ 12 misreports `"[" + std::string` under -Wrestrict.
      text.append("[").append(std::to_string(n++)).append("] ").append(s.kind).append(" ").append(s.node);
      if (s.output) text += "  (output)";
      if (s.temporary) text += "  (temporary)";
      text += "\n";
      if (!s.loop.empty()) text.append("      computed in the loop of {").append(s.loop).append("}\n");
      if (!s.fused.empty()) {
        text += "      fused:";
        for (const auto& f : s.fused) text += " {" + f + "}";
        text += "\n";
      }
      if (!s.stores.empty()) {
        text += "      also writes:";
        for (const auto& f : s.stores) text += " {" + f + "}";
        text += "\n";
      }
      if (!s.reads.empty()) {
        text += "      reads:";
        for (const auto& r : s.reads) text += " {" + r + "}";
        text += "\n";
      }
    }
    return text;
  }
};

template <class G>
plan_description describe_plan() {
  using P = plan<G>;
  plan_description d;
  const graph_printer print = print_table<typename G::nodes>::printer();
  std::vector<std::string> text(G::size);
  for (std::size_t i = 0; i < G::size; ++i) text[i] = print(i);
  for (std::size_t i = 0; i < G::size; ++i) {
    if (!P::materialised(i)) continue;
    static constexpr const char* kind_names[] = {"input", "elementwise", "reduction", "contraction", "view", "sweep", "dense"};
    plan_step s;
    s.kind = kind_names[static_cast<int>(G::kinds[i])];
    s.node = text[i];
    if (P::loop_of(i) != i) s.loop = text[P::loop_of(i)];
    const auto members = P::members(i);
    for (std::size_t k = 0; k < members.count; ++k)
      if (const std::size_t m = members.items[k]; m != i) (P::materialised(m) ? s.stores : s.fused).push_back(text[m]);
    const auto accumulated = P::accumulated(i);
    for (std::size_t k = 0; k < accumulated.count; ++k)
      if (accumulated.items[k] != i) s.stores.push_back(text[accumulated.items[k]]);
    const auto reads = P::reads(i);
    for (std::size_t k = 0; k < reads.count; ++k) s.reads.push_back(text[reads.items[k]]);
    s.output = G::is_output(i);
    s.temporary = P::is_temporary(i);
    d.steps.push_back(std::move(s));
  }
  return d;
}

}  // namespace theon
