// The core layer on its own (core/ only): lists of types, the graph walk and
// positions in it, instantiated with nodes of a tag op that no other layer knows.
#include <gtest/gtest.h>

#include <theon/core/expr.hpp>
#include <theon/core/graph_walk.hpp>
#include <theon/core/type_list.hpp>

namespace {
using theon::type_list;

struct twice_op {};  // the graph walk needs nothing of an op but its operands
constexpr theon::vector<"x"> x;
constexpr theon::scalar<"a"> a;
using X = decltype(x);
using A = decltype(a);
using inner = theon::node<twice_op, X, A>;
using outer = theon::node<twice_op, inner, inner>;

static_assert(std::is_same_v<theon::unique_nodes_t<outer>, type_list<X, A, inner, outer>>);
static_assert(theon::index_of<inner, theon::unique_nodes_t<outer>>::value == 2);
static_assert(theon::index_of<int, type_list<X, A>>::value == 2);  // absent: the list's size
static_assert(theon::contains<A, type_list<X, A>>::value && !theon::contains<int, type_list<X, A>>::value);
static_assert(std::is_same_v<theon::concat<type_list<X>, type_list<>, type_list<A, X>>::type, type_list<X, A, X>>);
static_assert(std::is_same_v<theon::append<type_list<X>, A>::type, type_list<X, A>>);
static_assert(std::is_same_v<theon::type_at<1, type_list<X, A, inner>>::type, A>);

TEST(Core, OperandPositionsName) {
  using nodes = theon::unique_nodes_t<outer>;
  const auto positions = theon::as_array(theon::operand_positions<outer, nodes>::type{});
  EXPECT_EQ(positions[0], 2u);
  EXPECT_EQ(positions[1], 2u);
  EXPECT_EQ(positions[2], theon::no_node);
}
}  // namespace
