// matmul of stacks of matrices (rank 3), as NumPy's: one product per batch,
// a matrix shared by every batch of the other side; values against a plain
// triple loop per batch, the gradient of each operand against finite
// differences, forward mode, and two stacks of different lengths.
#include <gtest/gtest.h>

#include <type_traits>

#include <xtensor/xmanipulation.hpp>
#include <xtensor/xview.hpp>

#include "test_support.hpp"

namespace {

using theon_test::all_close;
using theon_test::eval;
using theon_test::random;

// The product of two matrices, by the definition.
xt::xtensor<double, 2> product(const xt::xtensor<double, 2>& a, const xt::xtensor<double, 2>& b) {
  xt::xtensor<double, 2> c = xt::zeros<double>({a.shape()[0], b.shape()[1]});
  for (std::size_t i = 0; i < a.shape()[0]; ++i)
    for (std::size_t j = 0; j < b.shape()[1]; ++j)
      for (std::size_t k = 0; k < a.shape()[1]; ++k) c(i, j) += a(i, k) * b(k, j);
  return c;
}

TEST(LinalgStacks, BatchedMatmul) {
  constexpr theon::tensor<"S", double, 3> S;
  constexpr theon::tensor<"R", double, 3> R;
  constexpr theon::matrix<"M"> M;
  const auto Ss = random<double, 3>({4, 3, 5}, -1, 1, 91);
  const auto Rs = random<double, 3>({4, 5, 2}, -1, 1, 92);
  const auto Ms = random<double, 2>({5, 2}, -1, 1, 93);
  const auto Ls = random<double, 2>({6, 3}, -1, 1, 94);
  constexpr theon::matrix<"L"> L;
  auto f = theon::function(theon::matmul(S, R), theon::matmul(S, M), theon::matmul(L, S),
                           theon::matmul(theon::transpose(R, theon::axes<0, 2, 1>), theon::transpose(S, theon::axes<0, 2, 1>)));
  const auto [sr, sm, ls, rs_t] = f(S = Ss, R = Rs, M = Ms, L = Ls);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(sr)>, xt::xtensor<double, 3>>);
  ASSERT_EQ(sr.shape(), (std::array<std::size_t, 3>{4, 3, 2}));
  ASSERT_EQ(ls.shape(), (std::array<std::size_t, 3>{4, 6, 5}));
  for (std::size_t b = 0; b < 4; ++b) {
    const xt::xtensor<double, 2> sb = xt::view(Ss, b), rb = xt::view(Rs, b);
    EXPECT_TRUE(all_close(xt::xtensor<double, 2>(xt::view(sr, b)), product(sb, rb), 1e-14));
    EXPECT_TRUE(all_close(xt::xtensor<double, 2>(xt::view(sm, b)), product(sb, Ms), 1e-14));
    EXPECT_TRUE(all_close(xt::xtensor<double, 2>(xt::view(ls, b)), product(Ls, sb), 1e-14));
    const xt::xtensor<double, 2> rb_t = xt::transpose(rb), sb_t = xt::transpose(sb);
    EXPECT_TRUE(all_close(xt::xtensor<double, 2>(xt::view(rs_t, b)), product(rb_t, sb_t), 1e-14));
  }
  static_assert(theon::static_shape_t<decltype(theon::matmul(theon::var<"P", double, theon::shape<7, 2, 3>>{},
                                                             theon::var<"Q", double, theon::shape<3, 4>>{}))>::extents ==
                std::array<std::size_t, 3>{7, 2, 4});
  constexpr theon::tensor<"W", double, 3> W;  // weights of the loss
  const auto Ws = random<double, 3>({4, 3, 2}, -1, 1, 95);
  for (const auto& report : {theon::check_grad(theon::sum(theon::tanh(theon::matmul(S, R)) * W), S, S = Ss, R = Rs, W = Ws),
                             theon::check_grad(theon::sum(theon::tanh(theon::matmul(S, R)) * W), R, S = Ss, R = Rs, W = Ws),
                             theon::check_grad(theon::sum(theon::tanh(theon::matmul(S, M)) * W), M, S = Ss, M = Ms, W = Ws),
                             theon::check_grad(theon::sum(theon::tanh(theon::matmul(S, M)) * W), S, S = Ss, M = Ms, W = Ws)})
    EXPECT_TRUE(report.ok) << report.to_string();
  const auto Ws6 = random<double, 3>({4, 6, 5}, -1, 1, 96);
  const auto shared_left = theon::check_grad(theon::sum(theon::sin(theon::matmul(L, S)) * W), L, L = Ls, S = Ss, W = Ws6);
  EXPECT_TRUE(shared_left.ok) << shared_left.to_string();
  constexpr theon::matrix<"D"> D;  // a direction for M
  const auto Ds = random<double, 2>({5, 2}, -1, 1, 98);
  const auto directional = eval(theon::jvp(theon::matmul(S, M), M, D), S = Ss, M = Ms, D = Ds);
  EXPECT_TRUE(all_close(directional, eval(theon::matmul(S, D), S = Ss, D = Ds), 1e-15));  // linear in M
  // Two stacks with different numbers of matrices.
  EXPECT_TRUE(theon_test::shape_error_says([&] { eval(theon::matmul(S, R), S = Ss, R = random<double, 3>({3, 5, 2}, -1, 1, 97)); },
                                           {"matmul", "S: [4, 3, 5]", "R: [3, 5, 2]"}));
}

}  // namespace
