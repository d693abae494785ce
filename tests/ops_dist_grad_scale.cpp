// theon::dist: the location-scale densities differentiate in x and in every
// parameter, against finite differences (dist_grad_support.hpp).
#include "dist_grad_support.hpp"

namespace {
using namespace dist_grad_test;

TEST(DistGradient, LocationScaleDensities) {
  const auto cost = theon::sum(dist::normal_lpdf(x, a, b) + dist::lognormal_lpdf(x, a, b) +
                               dist::student_t_lpdf(x, c, a, b) + dist::cauchy_lpdf(x, a, b) +
                               dist::laplace_lpdf(x, c, b));
  expect_gradients(cost, theon::type_list<decltype(x), decltype(a), decltype(b), decltype(c)>{}, x = xs, a = as,
                   b = bs, c = cs);
}

// The multivariate normal in y, mu and the covariance (through its Cholesky
// factor; each covariance entry is perturbed alone, so cholesky factors the
// symmetric part).
TEST(DistGradient, MultiNormalCholesky) {
  constexpr theon::matrix<"Sigma"> Sigma;
  const xt::xtensor<double, 2> sigma{{4, 2, 0.4, 0}, {2, 5, 1, 0.3}, {0.4, 1, 3, -0.2}, {0, 0.3, -0.2, 2}};
  const auto cost = dist::multi_normal_cholesky_lpdf(x, a, theon::cholesky(Sigma));
  const xt::xtensor<double, 1> ys{0.3, -0.2, 0.8, 0.1}, mus{0.5, -1, 2, 0};
  expect_gradients(cost, theon::type_list<decltype(x), decltype(a), decltype(Sigma)>{}, x = ys, a = mus, Sigma = sigma);
}

}  // namespace
