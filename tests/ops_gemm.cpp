// gemm(alpha, A, B, beta, C) = alpha A B + beta C: values (C broadcast, a bias
// row included), the run-time shape error, its derivatives, and the
// opt-in fuse_gemm rule building it from the sum it computes.
#include "test_support.hpp"

namespace {
using namespace theon::literals;
constexpr theon::scalar<"s"> s;
constexpr theon::scalar<"t"> t;
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"B"> B;
constexpr theon::matrix<"C"> C;
constexpr theon::vector<"b"> b;
constexpr theon::vector<"v"> v;

// The default phases plus the opt-in gemm rule.
template <class E>
constexpr auto with_gemm(E e) {
  namespace ph = theon::phases;  // (glibc declares a ::canonicalize, so no using-directive)
  return theon::simplify(e, ph::canonicalize, ph::stabilize, ph::specialize + ph::fuse_gemm);
}
template <class E>
constexpr bool is_gemm(E e) {
  return theon::is_op_v<decltype(with_gemm(e)), theon::gemm_op>;
}
// The sums a model writes become gemm nodes; other sums stay as they are.
static_assert(is_gemm(theon::matmul(A, B) + C));
static_assert(is_gemm(C + 2_c * theon::matmul(A, B)));
static_assert(is_gemm(s * theon::matmul(A, B) - t * C));
static_assert(is_gemm(C - theon::matmul(A, B)));
static_assert(is_gemm(theon::matmul(A, B) + b));       // a bias row
static_assert(is_gemm(theon::matmul(A, v) + v));       // matrix-vector
static_assert(!is_gemm(theon::matmul(A, B) * C));
static_assert(!is_gemm(theon::matmul(A, B) + theon::cast<float>(C)));  // dtypes differ
static_assert(!theon::is_op_v<decltype(theon::simplify(theon::matmul(A, B) + C)), theon::gemm_op>);  // opt-in
static_assert(std::is_same_v<decltype(with_gemm(theon::matmul(A, B) - t * C)),
                             decltype(theon::gemm(1_c, A, B, -t, C))>);

TEST(Gemm, ValuesMatchTheSumItComputes) {
  const auto a = theon_test::random<double, 2>({5, 4}, -1, 1, 1);
  const auto bm = theon_test::random<double, 2>({4, 3}, -1, 1, 2);
  const auto c = theon_test::random<double, 2>({5, 3}, -1, 1, 3);
  const auto bias = theon_test::random<double, 1>({3}, -1, 1, 4);
  auto outputs = [](auto... es) { return theon::function(theon::no_rewrites, with_gemm(es)...); };
  const auto written = std::tuple{0.5_c * theon::matmul(A, B) - s * C, theon::matmul(A, B) + b, C - theon::matmul(A, B)};
  auto fused = std::apply(outputs, written);
  auto plain = std::apply([](auto... es) { return theon::function(theon::no_rewrites, es...); }, written);
  const auto [g1, g2, g3] = fused(A = a, B = bm, C = c, b = bias, s = 1.5);
  const auto [p1, p2, p3] = plain(A = a, B = bm, C = c, b = bias, s = 1.5);
  EXPECT_TRUE(theon_test::all_close(g1, p1, 1e-14, 1e-14));
  EXPECT_TRUE(theon_test::all_close(g2, p2, 1e-14, 1e-14));
  EXPECT_TRUE(theon_test::all_close(g3, p3, 1e-14, 1e-14));
  EXPECT_EQ(fused.plan().count("contraction"), 3u);  // three gemms, no separate loops for the sums
}

TEST(Gemm, CThatDoesNotBroadcastIsAShapeError) {
  const auto a = theon_test::random<double, 2>({5, 4}, -1, 1, 1);
  const auto bm = theon_test::random<double, 2>({4, 3}, -1, 1, 2);
  const auto c = theon_test::random<double, 2>({5, 2}, -1, 1, 3);
  auto f = theon::function(theon::gemm(1_c, A, B, 1_c, C));
  EXPECT_TRUE(theon_test::shape_error_says([&] { f(A = a, B = bm, C = c); },
                                           {"gemm", "C does not broadcast", "A: [5, 4]", "B: [4, 3]", "C: [5, 2]"}));
}

TEST(Gemm, DerivativesMatchFiniteDifferences) {
  const auto a = theon_test::random<double, 2>({3, 4}, -1, 1, 5);
  const auto bm = theon_test::random<double, 2>({4, 2}, -1, 1, 6);
  const auto bias = theon_test::random<double, 1>({2}, -1, 1, 7);
  constexpr auto cost = theon::sum(theon::tanh(theon::gemm(s, A, B, t, b)));
  auto check = [&](auto wrt) {
    const auto r = theon::check_grad(cost, wrt, s = 0.7, A = a, B = bm, t = -1.3, b = bias);
    EXPECT_TRUE(r.ok) << theon::to_string(wrt) << ": " << r.to_string();
  };
  check(s);
  check(A);
  check(B);
  check(t);
  check(b);
  // Forward mode along A.
  const auto dA = theon_test::random<double, 2>({3, 4}, -1, 1, 8);
  constexpr theon::matrix<"dA"> dA_;
  const double along = theon::function(theon::jvp(cost, A, dA_))(s = 0.7, A = a, B = bm, t = -1.3, b = bias, dA_ = dA);
  const auto g = theon::function(theon::grad(cost, A))(s = 0.7, A = a, B = bm, t = -1.3, b = bias);
  EXPECT_NEAR(along, xt::sum(g * dA)(), 1e-12);
}

}  // namespace
