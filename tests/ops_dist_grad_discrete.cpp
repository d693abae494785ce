// theon::dist: the probability mass functions differentiate in every real
// parameter, with integer counts, against finite differences
// (dist_grad_support.hpp).
#include "dist_grad_support.hpp"

namespace {
using namespace dist_grad_test;

TEST(DistGradient, DiscreteDensities) {
  const auto cost = theon::sum(dist::poisson_lpmf(k, a) + dist::binomial_lpmf(k, n, x) +
                               dist::neg_binomial_lpmf(k, a, b) + dist::neg_binomial_2_lpmf(k, b, c) +
                               dist::bernoulli_logit_lpmf(x, c));
  expect_gradients(cost, theon::type_list<decltype(x), decltype(a), decltype(b), decltype(c)>{}, k = ks, n = ns,
                   x = xs, a = as, b = bs, c = cs);
}

}  // namespace
