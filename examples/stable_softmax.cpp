// Numerically stable forms come built in: softmax, log_softmax and logsumexp
// subtract the maximum before exponentiating, so logits in the thousands are
// fine where the textbook formula overflows to inf and NaN.
#include <cmath>
#include <cstdio>

#include <xtensor/xio.hpp>

#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"logits"> logits;
  auto f = theon::function(theon::softmax(logits), theon::log_softmax(logits), theon::logsumexp(logits, theon::axis<1>));

  xt::xtensor<double, 2> z = {{1000.0, 1000.0, -1000.0}, {1.0, 2.0, 3.0}};
  auto [p, logp, lse] = f(logits = z);
  std::printf("logits:\n");
  std::printf("  [%8.1f %8.1f %8.1f]\n  [%8.1f %8.1f %8.1f]\n", z(0, 0), z(0, 1), z(0, 2), z(1, 0), z(1, 1), z(1, 2));
  std::printf("softmax row 0     = [%.6f %.6f %.6f]\n", p(0, 0), p(0, 1), p(0, 2));
  std::printf("log_softmax row 0 = [%.6f %.6f %.1f]\n", logp(0, 0), logp(0, 1), logp(0, 2));
  std::printf("logsumexp rows    = [%.12f %.12f]  (1000 + log 2 = %.12f)\n", lse(0), lse(1), 1000.0 + std::log(2.0));

  // The naive formula, for contrast.
  const double naive = std::log(std::exp(1000.0) + std::exp(1000.0) + std::exp(-1000.0));
  std::printf("naive log(sum(exp)) of row 0 = %g\n", naive);

  const bool ok = std::abs(lse(0) - (1000.0 + std::log(2.0))) < 1e-12 && std::abs(p(0, 0) - 0.5) < 1e-15 && std::isfinite(logp(0, 2));
  return ok ? 0 : 1;
}
