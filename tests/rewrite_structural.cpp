// Rules on reductions, permutations and dtypes: each fires, and the compiled
// function gives the same values with and without rewriting.
#include "rewrite_support.hpp"
#include "test_support.hpp"

namespace {
using namespace theon::literals;
using rewrite_test::rewrites_to;
constexpr theon::scalar<"a"> a;
constexpr theon::vector<"x"> x;
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"B"> B;
constexpr theon::tensor<"T", double, 3> T;
constexpr theon::vector<"xf", float> xf;

// ---- reductions -------------------------------------------------------------------
static_assert(rewrites_to(theon::sum(theon::sum(A, theon::axis<0>), theon::axis<0>), theon::sum(A)));
static_assert(rewrites_to(theon::sum(theon::sum(T, theon::axis<1>), theon::axis<1>), theon::sum(T, theon::axes<1, 2>)));
static_assert(rewrites_to(theon::sum(theon::sum(T, theon::axis<0>, theon::keepdims), theon::axis<2>, theon::keepdims),
                          theon::sum(T, theon::axes<0, 2>, theon::keepdims)));
static_assert(rewrites_to(theon::sum(theon::sum(A, theon::axis<1>, theon::keepdims)), theon::sum(A)));
// keepdims inside only: the kept axis would vanish, so the sums stay apart.
static_assert(rewrites_to(theon::sum(theon::sum(A, theon::axis<1>, theon::keepdims), theon::axis<0>),
                          theon::sum(theon::sum(A, theon::axis<1>, theon::keepdims), theon::axis<0>)));
static_assert(rewrites_to(theon::sum(2_c * x), 2_c * theon::sum(x)));
static_assert(rewrites_to(theon::sum(a * x), a * theon::sum(x)));
static_assert(rewrites_to(theon::mean(x / a, theon::axis<0>), theon::mean(x, theon::axis<0>) / a));
static_assert(rewrites_to(theon::sum(-x), -theon::sum(x)));
static_assert(rewrites_to(theon::mean(-x), -theon::mean(x)));
static_assert(rewrites_to(theon::max(-x), -theon::min(x)));
static_assert(rewrites_to(theon::min(-A, theon::axis<1>), -theon::max(A, theon::axis<1>)));
// max and min of a nondecreasing function defined everywhere: one call per result.
static_assert(rewrites_to(theon::max(theon::exp(x)), theon::exp(theon::max(x))));
static_assert(rewrites_to(theon::min(theon::sigmoid(A), theon::axis<1>), theon::sigmoid(theon::min(A, theon::axis<1>))));
static_assert(rewrites_to(theon::max(theon::tanh(A), theon::axis<0>, theon::keepdims),
                          theon::tanh(theon::max(A, theon::axis<0>, theon::keepdims))));
static_assert(rewrites_to(theon::max(theon::softplus(x)), theon::softplus(theon::max(x))));
static_assert(rewrites_to(theon::min(theon::expm1(x)), theon::expm1(theon::min(x))));
static_assert(rewrites_to(theon::max(theon::erf(x)), theon::erf(theon::max(x))));
static_assert(rewrites_to(theon::max(theon::log(x)), theon::max(theon::log(x))));  // log is NaN below 0: kept
static_assert(rewrites_to(theon::sum(a), a));
static_assert(rewrites_to(theon::mean(theon::broadcast_like(a, A)), a));
static_assert(rewrites_to(theon::max(theon::broadcast_like(a, x)), a));

// ---- repeated constants, shape sources, counts --------------------------------------
constexpr theon::scalar<"mu"> mu;
static_assert(rewrites_to(theon::broadcast_like(2_c, -0.5_c * (x - mu) / a), theon::broadcast_like(2_c, x)));
static_assert(rewrites_to(theon::broadcast_like(-1_c, x) * (x - mu), mu - x));
static_assert(rewrites_to(theon::broadcast_like(3_c, x) + theon::exp(x), 3_c + theon::exp(x)));
static_assert(rewrites_to(theon::broadcast_like(3_c, A) * x, x * theon::broadcast_like(3_c, A)));  // A is larger than x
static_assert(rewrites_to(theon::sum(x - a), theon::sum(x) - a * theon::sum(theon::broadcast_like(1_c, x))));
static_assert(rewrites_to(theon::mean(x + a), a + theon::mean(x)));
static_assert(rewrites_to(theon::sum(theon::broadcast_like(a, x)), a * theon::sum(theon::broadcast_like(1_c, x))));
static_assert(rewrites_to(theon::shaped_like(x * x, x), x * x));

// ---- permutations, dtypes -----------------------------------------------------------
static_assert(rewrites_to(theon::transpose(theon::transpose(A)), A));
static_assert(rewrites_to(theon::transpose(theon::transpose(T, theon::axes<1, 2, 0>), theon::axes<1, 2, 0>),
                          theon::transpose(T, theon::axes<2, 0, 1>)));
static_assert(rewrites_to(theon::transpose(theon::matmul(theon::transpose(A), theon::transpose(B))), theon::matmul(B, A)));
static_assert(rewrites_to(theon::cast<float>(xf), xf));
static_assert(rewrites_to(theon::cast<double>(xf), theon::cast<double>(xf)));
static_assert(rewrites_to(theon::exp(x - x), theon::broadcast_like(1_c, x)));

// Every output of the rewritten function against the same output compiled as written.
template <class... Es>
void expect_same_with_and_without_rewrites(Es... es) {
  const auto A0 = theon_test::random<double, 2>({4, 3}, -2, 2, 1);
  const auto B0 = theon_test::random<double, 2>({3, 4}, -2, 2, 2);
  const auto T0 = theon_test::random<double, 3>({2, 3, 4}, -2, 2, 3);
  const auto x0 = theon_test::random<double, 1>({5}, -2, 2, 4);
  const auto rewritten = theon::function(es...)(a = 0.75, x = x0, A = A0, B = B0, T = T0);
  const auto as_written = theon::function(theon::no_rewrites, es...)(a = 0.75, x = x0, A = A0, B = B0, T = T0);
  auto expect_close = [](const auto& r, const auto& w, std::size_t output) {
    if constexpr (std::is_arithmetic_v<std::remove_cvref_t<decltype(r)>>) EXPECT_NEAR(r, w, 1e-12) << "output " << output;
    else EXPECT_TRUE(theon_test::all_close(r, w, 1e-12, 1e-12)) << "output " << output;
  };
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    (expect_close(std::get<I>(rewritten), std::get<I>(as_written), I), ...);
  }(std::make_index_sequence<sizeof...(Es)>{});
}

TEST(RewriteStructural, AgreeWithAndWithoutRewrites) {
  // Each output mentions every input so that both functions bind the same names.
  constexpr auto all = 0_c * (a + theon::sum(x) + theon::sum(A) + theon::sum(B) + theon::sum(T));
  expect_same_with_and_without_rewrites(
      theon::sum(theon::sum(T, theon::axis<1>), theon::axis<1>) + all,
      theon::sum(theon::sum(T, theon::axis<0>, theon::keepdims), theon::axis<2>, theon::keepdims) + all,
      theon::sum(2_c * x) + theon::sum(a * x) + theon::mean(x / a, theon::axis<0>) + all,
      theon::sum(-x) + theon::max(-x) + theon::mean(-x) + all,
      theon::min(-A, theon::axis<1>) + all,
      theon::max(theon::exp(x)) + theon::min(theon::sigmoid(A), theon::axis<1>) + theon::max(theon::erf(A)) + all,
      theon::transpose(theon::matmul(theon::transpose(A), theon::transpose(B))) + all,
      theon::transpose(theon::transpose(T, theon::axes<1, 2, 0>), theon::axes<1, 2, 0>) + all,
      theon::mean(theon::broadcast_like(a, A)) + theon::max(theon::broadcast_like(a, x)) + all,
      theon::exp(x - x) + all,
      theon::sum(x - a) + theon::mean(A + a, theon::axis<1>) + theon::sum(theon::broadcast_like(a, T), theon::axes<0, 1>) + all,
      theon::sum(theon::broadcast_like(-1_c, x) * (x - a)) + theon::sum(theon::broadcast_like(2.5_c, A), theon::axis<0>, theon::keepdims) + all);
}

}  // namespace
