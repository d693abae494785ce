// Special functions (ops/special.hpp): values against glibc's long double
// functions in ulps, digamma and trigamma against mpmath, the tails and
// conventions each op documents, and gradients against finite differences.
//
// Vectors of odd length run the SIMD body and the scalar tail of each loop.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon_test::random_vector;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// |got - reference| in units of the reference's last place (as a double).
double ulps(double got, long double reference) {
  const double r = static_cast<double>(reference);
  if (std::isinf(r) || std::isnan(r)) return got == r || (std::isnan(got) && std::isnan(r)) ? 0.0 : inf;
  const double ulp = std::nextafter(std::abs(r), inf) - std::abs(r);
  return static_cast<double>(std::abs(static_cast<long double>(got) - reference)) / ulp;
}

// The worst error of values against a reference function, in ulps.
double worst_ulps(const xt::xtensor<double, 1>& at, const xt::xtensor<double, 1>& got,
                  const std::function<long double(long double)>& reference) {
  double worst = 0;
  for (std::size_t i = 0; i < at.size(); ++i) worst = std::max(worst, ulps(got(i), reference(at(i))));
  return worst;
}

constexpr theon::vector<"x"> x;
constexpr theon::vector<"y"> y;
constexpr theon::vector<"p"> p;  // positive
constexpr theon::vector<"u"> u;  // in (-1, 1)

// ------------------------------------------------------------------ accuracy

TEST(SpecialFunctions, LibraryFunctionsAreWithinFourUlps) {
  const auto xs = random_vector<double>(1001, -20, 20, 1);
  const auto us = random_vector<double>(1001, -0.999, 0.999, 2);
  xt::xtensor<double, 1> ps = random_vector<double>(1001, -600, 600, 3);
  ps = xt::exp(ps);  // 1e-260 .. 1e260
  auto f = theon::function(theon::erfc(x), theon::sinh(x), theon::cosh(x), theon::asinh(x), theon::atan(x),
                           theon::cbrt(x), theon::exp2(x), theon::asin(u), theon::acos(u), theon::atanh(u),
                           theon::log2(p), theon::log10(p), theon::acosh(1_c + p), theon::lgamma(x), theon::lgamma(p));
  const auto [erfc, sinh, cosh, asinh, atan, cbrt, exp2, asin, acos, atanh, log2, log10, acosh, lgamma_x, lgamma_p] =
      f(x = xs, u = us, p = ps);
  EXPECT_LE(worst_ulps(xs, erfc, [](long double v) { return erfcl(v); }), 4);
  EXPECT_LE(worst_ulps(xs, sinh, [](long double v) { return sinhl(v); }), 4);
  EXPECT_LE(worst_ulps(xs, cosh, [](long double v) { return coshl(v); }), 4);
  EXPECT_LE(worst_ulps(xs, asinh, [](long double v) { return asinhl(v); }), 4);
  EXPECT_LE(worst_ulps(xs, atan, [](long double v) { return atanl(v); }), 4);
  EXPECT_LE(worst_ulps(xs, cbrt, [](long double v) { return cbrtl(v); }), 4);
  EXPECT_LE(worst_ulps(xs, exp2, [](long double v) { return exp2l(v); }), 4);
  EXPECT_LE(worst_ulps(us, asin, [](long double v) { return asinl(v); }), 4);
  EXPECT_LE(worst_ulps(us, acos, [](long double v) { return acosl(v); }), 4);
  EXPECT_LE(worst_ulps(us, atanh, [](long double v) { return atanhl(v); }), 4);
  EXPECT_LE(worst_ulps(ps, log2, [](long double v) { return log2l(v); }), 4);
  EXPECT_LE(worst_ulps(ps, log10, [](long double v) { return log10l(v); }), 4);
  EXPECT_LE(worst_ulps(ps, lgamma_p, [](long double v) { return lgammal(v); }), 4);
  // 1 + p rounds; the reference takes the same rounded argument.
  EXPECT_LE(worst_ulps(ps, acosh, [](long double v) { return acoshl(static_cast<double>(1 + v)); }), 4);
  // lgamma has roots at 1, 2 and two in each (-n-1, -n): there the error is
  // relative to |lgamma| near 0, so it is bounded in absolute terms as well.
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const long double reference = lgammal(xs(i));
    EXPECT_TRUE(ulps(lgamma_x(i), reference) <= 4 || std::abs(lgamma_x(i) - static_cast<double>(reference)) < 1e-15)
        << "lgamma(" << xs(i) << ") = " << lgamma_x(i) << ", glibc's long double: " << static_cast<double>(reference);
  }
}

// Reference values from mpmath 1.3 at 50 digits (mp.digamma, mp.polygamma(1, .)),
// each at the double nearest to the decimal shown.
struct polygamma_reference {
  double at, digamma, trigamma;
};
constexpr polygamma_reference polygamma_table[] = {
    {1e-300, -9.9999999999999997494e+299, inf},
    {1e-8, -100000000.57721564636, 10000000000000001.226},
    {0.1, -10.423754940411076232, 101.4332991507927477},
    {0.25, -4.2274535333762654081, 17.197329154507110739},
    {0.5, -1.9635100260214234794, 4.9348022005446793094},
    {1, -0.57721566490153286061, 1.6449340668482264365},
    {1.25, -0.22745353337626540809, 1.1973291545071107393},
    {1.4616321449683622, -9.2412655217294275168e-17, 0.967672245447621255},
    {1.5, 0.036489973978576520559, 0.93480220054467930942},
    {1.75, 0.24747245354686116371, 0.76410186989382872062},
    {2, 0.42278433509846713939, 0.64493406684822643647},
    {2.5, 0.70315664064524318723, 0.49035775610023486497},
    {3.7, 1.1671535393615113859, 0.3100378576700383191},
    {7.25, 1.9104535268837360284, 0.14787923315893216965},
    {9.875, 2.2385197075906873497, 0.10656593004328110652},
    {10, 2.2517525890667211076, 0.10516633568168574612},
    {12.5, 2.4851956512749120482, 0.083285224601578370444},
    {100.5, 4.6051743525818452119, 0.0099999166695831027116},
    {1e5, 11.512920464961895087, 0.000010000050000166666667},
    {1e15, 34.53877639491068476, 1.0000000000000005e-15},
    {1e300, 690.77552789821370521, 1.0e-300},
    {-0.5, 0.036489973978576520559, 8.9348022005446793094},
    {-0.75, -2.8941202000429320748, 18.975106932284888517},
    {-1.5, 0.70315664064524318723, 9.3792466449891237539},
    {-2.25, 4.1585835646579722748, 19.379410511869137363},
    {-3.875, -6.1064115840198246801, 67.166280619664468127},
    {-10.125, 9.9480538258660761287, 67.299826017487103049},
    {-99.5, 4.6051743525818452119, 9.8596044844197755161},
};

TEST(SpecialFunctions, DigammaAndTrigammaMatchMpmath) {
  const std::size_t n = std::size(polygamma_table);
  xt::xtensor<double, 1> at = xt::xtensor<double, 1>::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) at(i) = polygamma_table[i].at;
  auto f = theon::function(theon::digamma(x), theon::trigamma(x));
  const auto [digamma, trigamma] = f(x = at);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = polygamma_table[i];
    // For a < 0 the reflection subtracts pi cot(pi a), which cancels near the
    // roots of digamma: up to 20 ulps there.
    EXPECT_LE(ulps(digamma(i), r.digamma), r.at > 0 ? 6 : 20) << "digamma(" << r.at << ") = " << digamma(i);
    EXPECT_LE(ulps(trigamma(i), r.trigamma), 4) << "trigamma(" << r.at << ") = " << trigamma(i);
  }
}

// erfinv against the root of glibc's long double erf, found by Newton's method
// from the value under test (erfcl in the tails, where 1 - x is exact); erfcx
// and log_ndtr against their definitions in long double. erfcx is erfc times
// exp(z^2) up to z = 26, so it carries glibc's erfc error and one rounding.
TEST(SpecialFunctions, ErfinvErfcxAndLogNdtrMatchLongDouble) {
  xt::xtensor<double, 1> us = xt::concatenate(
      xt::xtuple(random_vector<double>(501, -0.999, 0.999, 6), 1.0 - xt::pow(10.0, random_vector<double>(250, -16, -1, 7)),
                 xt::pow(10.0, random_vector<double>(250, -15, -1, 8)) - 1.0));
  const auto zs = random_vector<double>(1001, -26, 100, 9);
  const auto vs = random_vector<double>(1001, -100, 38, 10);
  auto f = theon::function(theon::erfinv(u), theon::erfcx(x), theon::log_ndtr(y));
  const auto [erfinv, erfcx, log_ndtr] = f(u = us, x = zs, y = vs);
  for (std::size_t i = 0; i < us.size(); ++i) {
    const long double target = us(i), tail = 1.0L - std::abs(target);
    long double root = std::abs(static_cast<long double>(erfinv(i)));
    for (int step = 0; step < 3; ++step) {
      const long double slope = 1.1283791670955125738961589031215452L * std::exp(-root * root);
      root -= (tail < 0.5L ? tail - std::erfc(root) : std::erf(root) - std::abs(target)) / slope;
    }
    EXPECT_LE(ulps(erfinv(i), std::copysign(root, target)), 2) << "erfinv(" << us(i) << ") = " << erfinv(i);
  }
  EXPECT_LE(worst_ulps(zs, erfcx, [](long double z) { return std::exp(z * z) * std::erfc(z); }), 5);
  // log_ndtr: 2 ulps where the compiler fuses multiply-adds (-march=native), 2.2 without (the sanitizer build).
  EXPECT_LE(worst_ulps(vs, log_ndtr, [](long double v) {
              const long double root2 = std::sqrt(2.0L);
              return v < 0 ? std::log(0.5L * std::erfc(-v / root2)) : std::log1p(-0.5L * std::erfc(v / root2));
            }),
            3);
}

// ------------------------------------------------------ tails and conventions

TEST(SpecialFunctions, TailsAndPoles) {
  const xt::xtensor<double, 1> tails{27, -30, 1e-300, 1e300, 0, -3, -1e-20, -50};
  auto f = theon::function(theon::erfc(x), theon::lgamma(x), theon::digamma(x), theon::log1mexp(x));
  const auto [erfc, lgamma, digamma, log1mexp] = f(x = tails);
  EXPECT_GT(erfc(0), 0.0);  // 5.2e-319: a subnormal, not flushed to 0
  EXPECT_EQ(erfc(0), std::erfc(27.0));
  EXPECT_EQ(erfc(1), 2.0);
  EXPECT_LE(ulps(lgamma(2), lgammal(1e-300L)), 1);  // 690.77...
  EXPECT_LE(ulps(lgamma(3), lgammal(1e300L)), 1);   // 6.9e302
  EXPECT_EQ(lgamma(4), inf);                        // the poles
  EXPECT_EQ(lgamma(5), inf);
  EXPECT_EQ(digamma(4), -inf);
  EXPECT_LE(ulps(log1mexp(6), std::log(1e-20L)), 1);  // log(1 - exp(-1e-20)) = log(1e-20)
  EXPECT_LE(ulps(log1mexp(7), -std::exp(-50.0L)), 2);
  EXPECT_EQ(log1mexp(4), -inf);
}

// Reference values from mpmath 1.3 at 40 digits (mp.log(mp.ncdf(.)), mp.erfinv).
TEST(SpecialFunctions, NormalTailsAndTheEndsOfErfinv) {
  const xt::xtensor<double, 1> at{-40, -1e5, 8, 0.9999999999999999, 1, -1, 1.5, -0.0, -30, 1e300, -inf, inf};
  auto f = theon::function(theon::log_ndtr(x), theon::erfinv(x), theon::erfcx(x));
  const auto [log_ndtr, erfinv, erfcx] = f(x = at);
  EXPECT_LE(ulps(log_ndtr(0), -804.60844201375378817L), 2);
  EXPECT_LE(ulps(log_ndtr(1), -5000000012.431863998274901L), 2);  // Phi(-1e5) underflows; its log does not
  EXPECT_LE(ulps(log_ndtr(2), -6.2209605742717860585e-16L), 2);    // log(1 - 6.2e-16)
  EXPECT_LE(ulps(erfinv(3), 5.8635847487551679272L), 2);            // the largest double below 1
  EXPECT_EQ(erfinv(4), inf);
  EXPECT_EQ(erfinv(5), -inf);
  EXPECT_TRUE(std::isnan(erfinv(6)));
  EXPECT_TRUE(std::signbit(erfinv(7)));
  EXPECT_EQ(erfcx(8), inf);  // 2 exp(900)
  EXPECT_LE(ulps(erfcx(9), 1 / (1e300L * std::sqrt(3.14159265358979323846264338327950288L))), 1);
  EXPECT_EQ(log_ndtr(10), -inf);
  EXPECT_EQ(log_ndtr(11), 0.0);
  EXPECT_EQ(erfcx(10), inf);
  EXPECT_EQ(erfcx(11), 0.0);
}

TEST(SpecialFunctions, LogSpaceHelpers) {
  const xt::xtensor<double, 1> as{-inf, inf, 1000, 1000, nan, -2, 0, 0, 2, 0};
  const xt::xtensor<double, 1> bs{-inf, inf, 1000, 0, 0, 3, 0, nan, 3, -1};
  auto f = theon::function(theon::logaddexp(x, y), theon::xlogy(x, y), theon::xlog1py(x, y));
  const auto [logaddexp, xlogy, xlog1py] = f(x = as, y = bs);
  EXPECT_EQ(logaddexp(0), -inf);
  EXPECT_EQ(logaddexp(1), inf);
  EXPECT_DOUBLE_EQ(logaddexp(2), 1000 + std::log(2.0));
  EXPECT_EQ(logaddexp(3), 1000.0);
  EXPECT_TRUE(std::isnan(logaddexp(4)));
  EXPECT_DOUBLE_EQ(logaddexp(5), 3 + std::log1p(std::exp(-5.0)));
  EXPECT_EQ(xlogy(6), 0.0);  // 0 log 0
  EXPECT_TRUE(std::isnan(xlogy(7)));
  EXPECT_DOUBLE_EQ(xlogy(8), 2 * std::log(3.0));
  EXPECT_EQ(xlog1py(9), 0.0);  // 0 log(1 + -1)
}

TEST(SpecialFunctions, RoundingKeepsTheDtypeAndRoundsHalvesToEven) {
  const xt::xtensor<double, 1> halves{0.5, 1.5, 2.5, -0.5, -2.5, -2.7, 2.7};
  auto f = theon::function(theon::round(x), theon::floor(x), theon::ceil(x), theon::trunc(x));
  const auto [round, floor, ceil, trunc] = f(x = halves);
  EXPECT_EQ(round, (xt::xtensor<double, 1>{0, 2, 2, -0.0, -2, -3, 3}));
  EXPECT_EQ(floor, (xt::xtensor<double, 1>{0, 1, 2, -1, -3, -3, 2}));
  EXPECT_EQ(ceil, (xt::xtensor<double, 1>{1, 2, 3, -0.0, -2, -2, 3}));
  EXPECT_EQ(trunc, (xt::xtensor<double, 1>{0, 1, 2, -0.0, -2, -2, 2}));

  constexpr theon::vector<"k", theon::int64> k;
  static_assert(std::is_same_v<theon::dtype_t<decltype(theon::floor(k))>, theon::int64>);
  const xt::xtensor<theon::int64, 1> ks{-3, 0, 7};
  EXPECT_EQ(theon::function(theon::round(k) + theon::ceil(k))(k = ks), (xt::xtensor<theon::int64, 1>{-6, 0, 14}));
}

TEST(SpecialFunctions, ModTakesTheSignOfTheDivisorAsNumPy) {
  constexpr theon::vector<"i", theon::int64> i;
  constexpr theon::vector<"j", theon::int64> j;
  const xt::xtensor<theon::int64, 1> is{-7, 7, 7, -7, 5, std::numeric_limits<theon::int64>::min(), 6};
  const xt::xtensor<theon::int64, 1> js{3, -3, 3, -3, 0, -1, 3};
  EXPECT_EQ(theon::function(theon::mod(i, j))(i = is, j = js), (xt::xtensor<theon::int64, 1>{2, -2, 1, -1, 0, 0, 0}));
  const xt::xtensor<double, 1> as{-7.5, 7.5, 7.5, -7.5, 5, 1e300};
  const xt::xtensor<double, 1> bs{2, -2, 2, -2, 0, 3};
  const auto m = theon::function(theon::mod(x, y))(x = as, y = bs);
  EXPECT_EQ(m(0), 0.5);
  EXPECT_EQ(m(1), -0.5);
  EXPECT_EQ(m(2), 1.5);
  EXPECT_EQ(m(3), -1.5);
  EXPECT_TRUE(std::isnan(m(4)));
  EXPECT_EQ(m(5), std::fmod(1e300, 3.0));  // exact: fmod does not round
}

TEST(SpecialFunctions, PredicatesGiveBools) {
  const xt::xtensor<double, 1> values{nan, inf, -inf, 0, 1e308, -1, 5e-324};
  auto f = theon::function(theon::isnan(x), theon::isinf(x), theon::isfinite(x));
  const auto [isnan, isinf, isfinite] = f(x = values);
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(isnan)>, xt::xtensor<bool, 1>>);
  EXPECT_EQ(isnan, (xt::xtensor<bool, 1>{true, false, false, false, false, false, false}));
  EXPECT_EQ(isinf, (xt::xtensor<bool, 1>{false, true, true, false, false, false, false}));
  EXPECT_EQ(isfinite, (xt::xtensor<bool, 1>{false, false, false, true, true, true, true}));
  constexpr theon::vector<"k", theon::int32> k;
  auto integers = theon::function(theon::isfinite(k), theon::isnan(k));
  const auto [finite, not_a_number] = integers(k = xt::xtensor<theon::int32, 1>{1, -2});
  EXPECT_EQ(finite, (xt::xtensor<bool, 1>{true, true}));
  EXPECT_EQ(not_a_number, (xt::xtensor<bool, 1>{false, false}));
}

// ------------------------------------------------------------------ gradients

TEST(SpecialFunctions, GradientsMatchFiniteDifferences) {
  const auto us = random_vector<double>(9, -0.9, 0.9, 4);
  const auto ps = random_vector<double>(9, 0.3, 6, 5);
  const auto cost_u = theon::sum(theon::erfc(u) + theon::sinh(u) * theon::cosh(u) + theon::asinh(u) + theon::atan(u) +
                                 theon::asin(u) - theon::acos(u) + theon::atanh(u) + theon::exp2(u) +
                                 theon::round(u) * u + theon::floor(u) * theon::ceil(u) + theon::trunc(u) +
                                 theon::erfinv(u));
  const auto ru = theon::check_grad(cost_u, u, u = us);
  EXPECT_TRUE(ru.ok) << ru.to_string();
  const auto cost_p = theon::sum(theon::log2(p) * theon::log10(p) + theon::lgamma(p) + theon::digamma(p) +
                                 theon::acosh(1_c + p) + theon::cbrt(p) + theon::log1mexp(-p) + theon::tgamma(p) +
                                 theon::erfcx(p - 3_c) + theon::log_ndtr(-(3_c * p)));
  const auto rp = theon::check_grad(cost_p, p, p = ps);
  EXPECT_TRUE(rp.ok) << rp.to_string();
  const auto cost_xy = theon::sum(theon::atan2(x, y) + theon::hypot(x, y) + theon::logaddexp(x, y) +
                                  theon::xlogy(x, y) + theon::xlog1py(x, y) + theon::mod(x, y));
  const auto rx = theon::check_grad(cost_xy, x, x = us, y = ps);
  EXPECT_TRUE(rx.ok) << rx.to_string();
  const auto ry = theon::check_grad(cost_xy, y, x = us, y = ps);
  EXPECT_TRUE(ry.ok) << ry.to_string();
}

// The derivative of lgamma is digamma, and digamma's is trigamma: the
// gradient and the second derivative are the functions themselves.
TEST(SpecialFunctions, SecondDerivativeOfLgammaIsTrigamma) {
  constexpr theon::scalar<"a"> a;
  const auto d2 = theon::grad(theon::grad(theon::lgamma(a), a), a);
  auto f = theon::function(theon::grad(theon::lgamma(a), a), d2, theon::digamma(a), theon::trigamma(a));
  const auto [d1_value, d2_value, digamma, trigamma] = f(a = 3.7);
  EXPECT_EQ(d1_value, digamma);
  EXPECT_EQ(d2_value, trigamma);
}

}  // namespace
