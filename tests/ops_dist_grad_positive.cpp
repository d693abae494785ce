// theon::dist: the densities on the positive half-line and on (0, 1)
// differentiate in x and in every parameter, against finite differences
// (dist_grad_support.hpp).
#include "dist_grad_support.hpp"

namespace {
using namespace dist_grad_test;

TEST(DistGradient, PositiveDensities) {
  const auto cost = theon::sum(dist::exponential_lpdf(x, c) + dist::gamma_lpdf(x, a, b) +
                               dist::inverse_gamma_lpdf(x, a, b) + dist::beta_lpdf(x, a, b));
  expect_gradients(cost, theon::type_list<decltype(x), decltype(a), decltype(b), decltype(c)>{}, x = xs, a = as,
                   b = bs, c = cs);
}

}  // namespace
