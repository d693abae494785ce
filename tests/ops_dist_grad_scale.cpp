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

}  // namespace
