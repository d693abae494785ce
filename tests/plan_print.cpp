// to_string (infix, minimal parentheses) and to_dot.
#include <gtest/gtest.h>

#include <theon/theon.hpp>

namespace {
using namespace theon::literals;
constexpr theon::scalar<"a"> a;
constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::matrix<"A"> A;

TEST(Print, ContractExample) { EXPECT_EQ(theon::to_string(theon::sum(theon::exp(a * x) + 2_c * x)), "sum(exp(a * x) + 2 * x)"); }

TEST(Print, MinimalParentheses) {
  EXPECT_EQ(theon::to_string((a + x) * y), "(a + x) * y");
  EXPECT_EQ(theon::to_string(a + x * y), "a + x * y");
  EXPECT_EQ(theon::to_string((a + x) + y), "a + x + y");
  EXPECT_EQ(theon::to_string(a + (x + y)), "a + (x + y)");
  EXPECT_EQ(theon::to_string(a - (x - y)), "a - (x - y)");
  EXPECT_EQ(theon::to_string((a - x) - y), "a - x - y");
  EXPECT_EQ(theon::to_string(a / (x * y)), "a / (x * y)");
  EXPECT_EQ(theon::to_string(-(a + x)), "-(a + x)");
  EXPECT_EQ(theon::to_string(-theon::exp(x)), "-exp(x)");
  EXPECT_EQ(theon::to_string(x * -2_c), "x * -2");
  EXPECT_EQ(theon::to_string(x + 1_c < y), "x + 1 < y");
  EXPECT_EQ(theon::to_string(theon::where(x > 0_c, x, 0_c)), "where(x > 0, x, 0)");
}

TEST(Print, Literals) {
  EXPECT_EQ(theon::to_string(x * 0.5_c), "x * 0.5");
  EXPECT_EQ(theon::to_string(x * 1e-3_c), "x * 0.001");
  EXPECT_EQ(theon::to_string(x + theon::lit<1, 3>{}), "x + 1/3");
  EXPECT_EQ(theon::to_string(x + -0.25_c), "x + -0.25");
  // 0 / 0 is how the rewrite rules write NaN: it reads as nan.
  EXPECT_EQ(theon::to_string(theon::simplify(theon::exp(theon::log(x)))), "where(x >= 0, x, nan)");
  EXPECT_EQ(theon::to_string(0_c / x), "0 / x");
}

TEST(Print, Options) {
  EXPECT_EQ(theon::to_string(theon::sum(A)), "sum(A)");
  EXPECT_EQ(theon::to_string(theon::sum(A, theon::axis<1>)), "sum(A, axis=1)");
  EXPECT_EQ(theon::to_string(theon::max(A, theon::axis<-1>, theon::keepdims)), "max(A, axis=1, keepdims)");
  EXPECT_EQ(theon::to_string(theon::mean(A, theon::keepdims)), "mean(A, keepdims)");
  EXPECT_EQ(theon::to_string(theon::transpose(A)), "transpose(A)");
  EXPECT_EQ(theon::to_string(theon::matmul(A, x)), "matmul(A, x)");
  EXPECT_EQ(theon::to_string(theon::softmax(A)), "softmax(A, axis=1)");
  EXPECT_EQ(theon::to_string(theon::logsumexp(x)), "logsumexp(x)");
}

// An operand read only for its shape prints as the expressions whose broadcast
// is that shape, each once, not as the whole expression it stands for.
TEST(Print, ShapeOnlyOperands) {
  EXPECT_EQ(theon::to_string(theon::broadcast_like(1_c, theon::exp(a * x) + x)), "broadcast_like(1, x)");
  EXPECT_EQ(theon::to_string(theon::broadcast_like(1_c, theon::exp(x) * y - theon::sum(A, theon::axis<0>) + x * A)),
            "broadcast_like(1, shape(x, y, sum(A, axis=0), A))");
  EXPECT_EQ(theon::to_string(theon::broadcast_like(x, A)), "broadcast_like(x, A)");
  // The operand whose values are read prints in full.
  EXPECT_EQ(theon::to_string(theon::broadcast_like(theon::exp(a) + a, x)), "broadcast_like(exp(a) + a, x)");
}

TEST(Print, DotHasOneBoxPerUniqueNode) {
  constexpr auto ax = a * x;
  const std::string dot = theon::to_dot(theon::exp(ax) + ax);
  EXPECT_NE(dot.find("digraph"), std::string::npos);
  std::size_t boxes = 0;
  for (std::size_t p = dot.find("shape=box"); p != std::string::npos; p = dot.find("shape=box", p + 1)) ++boxes;
  EXPECT_EQ(boxes, 3u);  // *, exp, +
  EXPECT_NE(dot.find("label=\"exp\""), std::string::npos);
  EXPECT_NE(dot.find("label=\"a\", shape=ellipse"), std::string::npos);
}

}  // namespace
