#pragma once
// Log densities and log probability mass functions, theon::dist: ordinary
// expressions, so they broadcast, fuse into the loops around them and
// differentiate in every argument like any other expression.
//
// Names and parameterisations are Stan's (normal_lpdf(x, mu, sigma), gamma
// with a rate, neg_binomial and neg_binomial_2). The value is elementwise, as
// in jax.scipy.stats: sum it for a joint log likelihood. dirichlet_lpdf and
// multi_normal_cholesky_lpdf reduce the last axis, the event axis. Outside the support the log density
// is -inf (log 0), as in JAX; invalid parameters (sigma <= 0, p > 1) give NaN.
#include "theon/ops/compare.hpp"
#include "theon/ops/dense.hpp"
#include "theon/ops/math.hpp"
#include "theon/ops/reduce.hpp"
#include "theon/ops/nn.hpp"
#include "theon/ops/special.hpp"
#include "theon/ops/take.hpp"

namespace theon::dist {

namespace detail {
using zero = lit<0>;
using one = lit<1>;
using half = lit<1, 2>;
using half_log_two_pi = lit<1148673166505841, 1250000000000000>;  // log(2 pi) / 2
using log_pi = lit<5723649429247001, 5000000000000000>;
using half_log_pi = lit<5723649429247001, 10000000000000000>;

// log 0, the log density outside the support: -(1 / 0), which no rule folds.
inline constexpr auto minus_infinity = node<neg_op, node<div_op, lit<1>, lit<0>>>{};

// value where inside holds, log 0 elsewhere.
template <expression Inside, expression Value>
constexpr auto within(Inside inside, Value value) {
  return where(inside, value, minus_infinity);
}

// log of the binomial coefficient (n choose k), for real n and k.
template <expression N, expression K>
constexpr auto log_choose(N n, K k) {
  return lgamma(n + one{}) - lgamma(k + one{}) - lgamma(n - k + one{});
}

// log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b).
template <expression A, expression B>
constexpr auto log_beta(A a, B b) {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}
}  // namespace detail

// ---------------------------------------------------------------- continuous

// Normal(mu, sigma), sigma the standard deviation.
template <expression X, expression Mu, expression Sigma>
constexpr auto normal_lpdf(X x, Mu mu, Sigma sigma) {
  return -(detail::half{} * square((x - mu) / sigma)) - log(sigma) - detail::half_log_two_pi{};
}

// log(x) ~ Normal(mu, sigma); support x > 0.
template <expression X, expression Mu, expression Sigma>
constexpr auto lognormal_lpdf(X x, Mu mu, Sigma sigma) {
  return detail::within(x > detail::zero{}, normal_lpdf(log(x), mu, sigma) - log(x));
}

// Student's t with nu degrees of freedom, location mu, scale sigma.
template <expression X, expression Nu, expression Mu, expression Sigma>
constexpr auto student_t_lpdf(X x, Nu nu, Mu mu, Sigma sigma) {
  const auto half_nu_plus_one = detail::half{} * (nu + detail::one{});
  return lgamma(half_nu_plus_one) - lgamma(detail::half{} * nu) - detail::half{} * log(nu) - detail::half_log_pi{} -
         log(sigma) - half_nu_plus_one * log1p(square((x - mu) / sigma) / nu);
}

// Cauchy(mu, sigma): location and scale.
template <expression X, expression Mu, expression Sigma>
constexpr auto cauchy_lpdf(X x, Mu mu, Sigma sigma) {
  return -detail::log_pi{} - log(sigma) - log1p(square((x - mu) / sigma));
}

// Laplace (Stan's double_exponential): location mu, scale b.
template <expression X, expression Mu, expression B>
constexpr auto laplace_lpdf(X x, Mu mu, B b) {
  return -(constants::ln2{} + log(b)) - abs(x - mu) / b;
}

// Exponential with rate lambda; support x >= 0.
template <expression X, expression Lambda>
constexpr auto exponential_lpdf(X x, Lambda lambda) {
  return detail::within(x >= detail::zero{}, log(lambda) - lambda * x);
}

// Gamma with shape alpha and rate beta; support x >= 0 (at x = 0: log beta for
// alpha = 1, +inf below, -inf above).
template <expression X, expression Alpha, expression Beta>
constexpr auto gamma_lpdf(X x, Alpha alpha, Beta beta) {
  return detail::within(x >= detail::zero{},
                        alpha * log(beta) - lgamma(alpha) + xlogy(alpha - detail::one{}, x) - beta * x);
}

// Inverse gamma with shape alpha and scale beta; support x > 0.
template <expression X, expression Alpha, expression Beta>
constexpr auto inverse_gamma_lpdf(X x, Alpha alpha, Beta beta) {
  return detail::within(x > detail::zero{},
                        alpha * log(beta) - lgamma(alpha) - (alpha + detail::one{}) * log(x) - beta / x);
}

// Beta(a, b); support 0 <= x <= 1.
template <expression X, expression A, expression B>
constexpr auto beta_lpdf(X x, A a, B b) {
  return detail::within(x >= detail::zero{},
                        detail::within(x <= detail::one{}, xlogy(a - detail::one{}, x) +
                                                               xlog1py(b - detail::one{}, -x) - detail::log_beta(a, b)));
}

// Dirichlet(alpha) over the last axis: x and alpha broadcast, the result drops
// that axis. x is taken to lie on the simplex (its sum is not checked);
// negative components are outside the support.
template <expression X, expression Alpha>
constexpr auto dirichlet_lpdf(X x, Alpha alpha) {
  constexpr auto event = axis<-1>;
  return lgamma(sum(alpha, event)) - sum(lgamma(alpha), event) +
         sum(detail::within(x >= detail::zero{}, xlogy(alpha - detail::one{}, x)), event);
}

// Multivariate normal with mean mu and covariance L L^T, L its lower Cholesky
// factor (theon::cholesky(Sigma)): y a vector, or a matrix whose rows are
// observations (one value per row). Only L's lower triangle is read.
template <expression Y, expression Mu, expression L>
constexpr auto multi_normal_cholesky_lpdf(Y y, Mu mu, L l) {
  static_assert(rank_v<Y> == 1 || rank_v<Y> == 2,
                "theon::dist::multi_normal_cholesky_lpdf: y is one observation (a vector) or one per row (a matrix)");
  const auto z = solve_triangular(l, transpose(y - mu));  // L^-1 (y - mu), observations as columns
  const auto normalising = sum(log(diagonal(l)) + detail::half_log_two_pi{});  // log det L + n/2 log(2 pi)
  if constexpr (rank_v<Y> == 1) return -(detail::half{} * sum(z * z)) - normalising;
  else return -(detail::half{} * sum(z * z, axis<0>)) - normalising;
}

// ------------------------------------------------------------------ discrete

// Poisson with rate lambda; k a count (any dtype), support k >= 0.
template <expression K, expression Lambda>
constexpr auto poisson_lpmf(K k, Lambda lambda) {
  return detail::within(k >= detail::zero{}, xlogy(k, lambda) - lambda - lgamma(k + detail::one{}));
}

// Binomial: k successes in n trials of probability p; support 0 <= k <= n.
template <expression K, expression N, expression P>
constexpr auto binomial_lpmf(K k, N n, P p) {
  return detail::within(k >= detail::zero{}, detail::within(k <= n, detail::log_choose(n, k) + xlogy(k, p) +
                                                                        xlog1py(n - k, -p)));
}

// Negative binomial with shape alpha and inverse scale beta (Stan's
// neg_binomial): mean alpha / beta; support k >= 0.
template <expression K, expression Alpha, expression Beta>
constexpr auto neg_binomial_lpmf(K k, Alpha alpha, Beta beta) {
  return detail::within(k >= detail::zero{}, lgamma(k + alpha) - lgamma(k + detail::one{}) - lgamma(alpha) +
                                                 alpha * log(beta) - (alpha + k) * log1p(beta));
}

// Negative binomial with mean mu and precision phi (Stan's neg_binomial_2):
// variance mu + mu^2 / phi; support k >= 0.
template <expression K, expression Mu, expression Phi>
constexpr auto neg_binomial_2_lpmf(K k, Mu mu, Phi phi) {
  return detail::within(k >= detail::zero{}, lgamma(k + phi) - lgamma(k + detail::one{}) - lgamma(phi) +
                                                 xlogy(k, mu) + phi * log(phi) - (k + phi) * log(mu + phi));
}

// Categorical with log-odds beta, a vector with one entry per category: y
// holds category numbers 0 .. K-1 (int32 or int64, any shape), and the value
// is log_softmax(beta) at each. A negative y is outside the support (-inf);
// y >= K would read past the log-odds: a shape_error naming it.
template <expression Y, expression Beta>
constexpr auto categorical_logit_lpmf(Y y, Beta beta) {
  static_assert(rank_v<Beta> == 1,
                "theon::dist::categorical_logit_lpmf: the log-odds are a vector, one per category");
  return detail::within(y >= detail::zero{}, take(log_softmax(beta), y));
}

// Bernoulli with log-odds alpha: y alpha - log(1 + e^alpha), which is
// -softplus(-alpha) for y = 1 and -softplus(alpha) for y = 0 (no overflow);
// for y in [0, 1] it is the logistic cross-entropy's negative.
template <expression Y, expression Alpha>
constexpr auto bernoulli_logit_lpmf(Y y, Alpha alpha) {
  return y * alpha - softplus(alpha);
}

}  // namespace theon::dist
