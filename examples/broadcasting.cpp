// A fused, broadcast, multi-output computation: standardise the columns of a
// data matrix and report each row's squared norm, in one compiled function.
#include <cstdio>

#include <xtensor/xrandom.hpp>

#include <theon/theon.hpp>

int main() {
  using namespace theon::literals;
  constexpr theon::matrix<"X"> X;

  constexpr auto mu = theon::mean(X, theon::axis<0>);                  // (columns)
  constexpr auto centered = X - mu;                                     // (rows, columns) - (columns)
  constexpr auto sigma = theon::sqrt(theon::mean(centered * centered, theon::axis<0>));
  constexpr auto z = centered / sigma;
  constexpr auto row_norm2 = theon::sum(z * z, theon::axis<1>);

  auto f = theon::function(z, row_norm2);
  std::printf("%s", f.plan().to_string().c_str());

  xt::random::seed(7);
  const xt::xtensor<double, 2> data = 3.0 + 2.0 * xt::random::randn<double>({1000, 4});
  auto [zs, norms] = f(X = data);

  const xt::xtensor<double, 1> col_mean = xt::mean(zs, {0});
  const xt::xtensor<double, 1> col_std = xt::stddev(zs, {0});
  std::printf("column means after standardising: %+.2e %+.2e %+.2e %+.2e\n", col_mean(0), col_mean(1), col_mean(2), col_mean(3));
  std::printf("column std devs:                    %.6f %.6f %.6f %.6f\n", col_std(0), col_std(1), col_std(2), col_std(3));
  std::printf("mean squared row norm: %.6f (4 columns -> 4)\n", xt::mean(norms)());
  return std::abs(xt::mean(norms)() - 4.0) < 1e-9 ? 0 : 1;
}
