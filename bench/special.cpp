// Special functions, dense linear algebra and a stencil: theon's compiled
// functions against hand-written loops, single-threaded, doubles.
//
//   lgamma    over 1e6 points in (0.1, 50): theon::lgamma against a loop of glibc's lgamma_r
//   digamma   the same points: theon::digamma against a loop of boost::math::digamma
//   erfinv    1e6 points in (-1, 1): theon::erfinv against a loop of boost::math::erf_inv
//   log_ndtr  1e6 points in (-10, 5): theon::log_ndtr against a loop of log(erfc(-x / sqrt 2) / 2)
//             (the naive form: it loses the lower tail, and is timed only as a floor)
//   GP        the negative log marginal likelihood of a Gaussian process with a
//             squared-exponential kernel, n = 1000 points, and its gradient wrt the log
//             amplitude, log length scale and log noise. theon: cholesky, solve_triangular
//             and grad, as a user writes it. Hand-written: a Cholesky factor, two triangular
//             solves, K^-1 from the factor, and dNLL/dtheta = 1/2 tr((K^-1 - alpha alpha^T) dK/dtheta),
//             plain loops of the same kind theon's own routines use; and, where the build has
//             LAPACK (THEON_LAPACK), the same with dpotrf and dpotri (gp_lapack).
//   stencil   the five-point Laplacian of a 1024 x 1024 grid written with slices, and its
//             adjoint (the gradient of sum(L(U) * W) wrt U), against loops over the interior
//
// Before timing, every theon result is checked against the hand-written one.
// After the benchmarks the median times give "<name> theon/hand = X".
//
// Defaults (overridable on the command line): --benchmark_repetitions=5
// --benchmark_display_aggregates_only=true.
#include <cmath>
#include <cstdio>
#include <numbers>
#include <vector>

#include <benchmark/benchmark.h>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <xtensor/xmanipulation.hpp>
#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

#include "bench_support.hpp"

namespace {

using namespace theon::literals;
using vec = xt::xtensor<double, 1>;
using mat = xt::xtensor<double, 2>;

constexpr std::size_t points = 1'000'000;
const vec& positive() {
  static const vec v = bench::uniform<1>({points}, 1, 0.1, 50);
  return v;
}
const vec& unit() {
  static const vec v = bench::uniform<1>({points}, 2, -0.999, 0.999);
  return v;
}
const vec& normal_range() {
  static const vec v = bench::uniform<1>({points}, 3, -10, 5);
  return v;
}

constexpr theon::vector<"x"> x;

// One theon function of x over the points, and the same function as a loop.
template <class Expression, class Scalar>
struct elementwise_case {
  const vec& (*points)();
  Scalar scalar;
  decltype(theon::function(Expression{})) compiled = [] {
    auto f = theon::function(Expression{});
    f.threads(1);
    return f;
  }();

  vec theon_values() { return compiled(x = points()); }
  vec hand_values() const {
    const vec& in = points();
    vec out = vec::from_shape({in.size()});
    for (std::size_t i = 0; i < in.size(); ++i) out[i] = scalar(in[i]);
    return out;
  }
};
template <class Expression, class Scalar>
auto make_case(Expression, const vec& (*points)(), Scalar scalar) {
  return elementwise_case<Expression, Scalar>{points, scalar};
}

auto& lgamma_case() {
  static auto c = make_case(theon::lgamma(x), positive, [](double v) {
    int sign;
    return ::lgamma_r(v, &sign);
  });
  return c;
}
auto& digamma_case() {
  static auto c = make_case(theon::digamma(x), positive, [](double v) { return boost::math::digamma(v); });
  return c;
}
auto& erfinv_case() {
  static auto c = make_case(theon::erfinv(x), unit, [](double v) { return boost::math::erf_inv(v); });
  return c;
}
auto& log_ndtr_case() {
  static auto c = make_case(theon::log_ndtr(x), normal_range,
                            [](double v) { return std::log(0.5 * std::erfc(-v * std::numbers::sqrt2 / 2)); });
  return c;
}

// ==================================================================== GP ===
namespace gp {
constexpr std::size_t n = 1000;

constexpr theon::vector<"t"> t;  // inputs
constexpr theon::vector<"y"> y;  // observations
constexpr theon::scalar<"log_amplitude"> log_amplitude;
constexpr theon::scalar<"log_length"> log_length;
constexpr theon::scalar<"log_noise"> log_noise;

constexpr auto distance = theon::expand_dims<1>(t) - theon::expand_dims<0>(t);  // (n, n)
constexpr auto signal = theon::exp(2_c * log_amplitude) *
                        theon::exp(-0.5_c * theon::square(distance / theon::exp(log_length)));
constexpr auto covariance = signal + theon::exp(2_c * log_noise) * theon::eye_like(signal);
constexpr auto factor = theon::cholesky(covariance);
constexpr auto whitened = theon::solve_triangular(factor, y);
// Without the constant n/2 log(2 pi).
constexpr auto nll = 0.5_c * theon::sum(whitened * whitened) + theon::sum(theon::log(theon::diagonal(factor)));
constexpr auto gradient = theon::grad(nll, log_amplitude, log_length, log_noise);

struct data_t {
  vec t = bench::uniform<1>({n}, 11, 0, 10);
  vec y = [this] {
    vec out = bench::uniform<1>({n}, 12, -0.1, 0.1);
    for (std::size_t i = 0; i < n; ++i) out[i] += std::sin(t[i]);
    return out;
  }();
  double log_amplitude = 0, log_length = std::log(1.5), log_noise = std::log(0.1);
};
const data_t& data() {
  static const data_t d;
  return d;
}

struct result {
  double nll;
  double gradient[3];
};

auto make_theon() {
  auto f = theon::function(nll, theon::get<0>(gradient), theon::get<1>(gradient), theon::get<2>(gradient));
  f.threads(1);
  return f;
}
using theon_fn = decltype(make_theon());

result theon_nll(theon_fn& f, const data_t& d) {
  const auto [value, da, dl, dn] = f(t = d.t, y = d.y, log_amplitude = d.log_amplitude, log_length = d.log_length,
                                     log_noise = d.log_noise);
  return {value, {da, dl, dn}};
}

// The same by hand: K, its Cholesky factor L, alpha = K^-1 y, K^-1 = L^-T L^-1,
// and the trace formula for each hyperparameter. Scratch kept between calls.
struct hand_t {
  std::vector<double> k, signal, l, l_inverse, k_inverse, alpha;

  // signal and K = signal + noise^2 I, row-major n x n.
  static void covariance(const data_t& d, std::vector<double>& signal_out, std::vector<double>& k_out) {
    const double amplitude2 = std::exp(2 * d.log_amplitude), length = std::exp(d.log_length);
    const double noise2 = std::exp(2 * d.log_noise);
    signal_out.resize(n * n), k_out.resize(n * n);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        const double r = (d.t[i] - d.t[j]) / length;
        signal_out[i * n + j] = amplitude2 * std::exp(-0.5 * r * r);
        k_out[i * n + j] = signal_out[i * n + j] + (i == j ? noise2 : 0);
      }
  }
  // From K^-1 and log det L: alpha = K^-1 y, the NLL, and dNLL/dtheta =
  // 1/2 sum((K^-1 - alpha alpha^T) * dK/dtheta), with dK/dlog_amplitude = 2 signal,
  // dK/dlog_length = signal * r^2, dK/dlog_noise = 2 noise^2 I.
  static result from_inverse(const data_t& d, const std::vector<double>& signal_in, const std::vector<double>& inverse,
                             double log_det, std::vector<double>& alpha_out) {
    const double length = std::exp(d.log_length), noise2 = std::exp(2 * d.log_noise);
    alpha_out.resize(n);
    double quadratic = 0;
    for (std::size_t i = 0; i < n; ++i) {
      double v = 0;
      for (std::size_t j = 0; j < n; ++j) v += inverse[i * n + j] * d.y[j];
      alpha_out[i] = v;
      quadratic += d.y[i] * v;
    }
    double da = 0, dl = 0, dn = 0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j) {
        const double w = inverse[i * n + j] - alpha_out[i] * alpha_out[j];
        const double r = (d.t[i] - d.t[j]) / length;
        da += w * signal_in[i * n + j];
        dl += 0.5 * w * signal_in[i * n + j] * r * r;
        if (i == j) dn += w * noise2;
      }
    return {0.5 * quadratic + log_det, {da, dl, dn}};
  }

  result operator()(const data_t& d) {
    covariance(d, signal, k);
    l.assign(n * n, 0), l_inverse.assign(n * n, 0), k_inverse.resize(n * n);
    for (std::size_t j = 0; j < n; ++j) {  // Cholesky, column by column
      double s = k[j * n + j];
      for (std::size_t p = 0; p < j; ++p) s -= l[j * n + p] * l[j * n + p];
      const double root = std::sqrt(s);
      l[j * n + j] = root;
      for (std::size_t i = j + 1; i < n; ++i) {
        double v = k[i * n + j];
        for (std::size_t p = 0; p < j; ++p) v -= l[i * n + p] * l[j * n + p];
        l[i * n + j] = v / root;
      }
    }
    for (std::size_t i = 0; i < n; ++i) {  // L^-1, lower triangular, row by row
      l_inverse[i * n + i] = 1 / l[i * n + i];
      for (std::size_t j = 0; j < i; ++j) {
        double v = 0;
        for (std::size_t p = j; p < i; ++p) v -= l[i * n + p] * l_inverse[p * n + j];
        l_inverse[i * n + j] = v / l[i * n + i];
      }
    }
    for (std::size_t i = 0; i < n; ++i)  // K^-1 = L^-T L^-1, symmetric
      for (std::size_t j = 0; j <= i; ++j) {
        double v = 0;
        for (std::size_t p = i; p < n; ++p) v += l_inverse[p * n + i] * l_inverse[p * n + j];
        k_inverse[i * n + j] = k_inverse[j * n + i] = v;
      }
    double log_det = 0;
    for (std::size_t i = 0; i < n; ++i) log_det += std::log(l[i * n + i]);
    return from_inverse(d, signal, k_inverse, log_det, alpha);
  }
};

#ifdef THEON_LAPACK
extern "C" void dpotri_(const char* uplo, const int* n, double* a, const int* lda, int* info, std::size_t uplo_length);
// The same on LAPACK, as a user of LAPACK writes it: dpotrf for L, dpotri
// for K^-1 from it (row-major lower = column-major upper), the same formula.
struct hand_lapack_t {
  std::vector<double> signal, k_inverse, alpha;

  result operator()(const data_t& d) {
    hand_t::covariance(d, signal, k_inverse);
    const int order = static_cast<int>(n);
    int info = 0;
    dpotrf_("U", &order, k_inverse.data(), &order, &info, 1);
    double log_det = 0;
    for (std::size_t i = 0; i < n; ++i) log_det += std::log(k_inverse[i * n + i]);
    dpotri_("U", &order, k_inverse.data(), &order, &info, 1);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < i; ++j) k_inverse[j * n + i] = k_inverse[i * n + j];
    return hand_t::from_inverse(d, signal, k_inverse, log_det, alpha);
  }
};
#endif
}  // namespace gp

// =============================================================== stencil ===
// One explicit step's five-point Laplacian on a 1024 x 1024 grid, as a user
// writes it with slices, and the gradient of sum(L(U) * W) wrt U (the
// adjoint stencil applied to W), against loops over the interior.
namespace stencil {
constexpr std::size_t n = 1024;
using theon::slice;
constexpr theon::matrix<"U"> U;
constexpr theon::matrix<"W"> W;
constexpr auto laplacian = U(slice<2>, slice<1, -1>) + U(slice<0, -2>, slice<1, -1>) + U(slice<1, -1>, slice<2>) +
                           U(slice<1, -1>, slice<0, -2>) - 4_c * U(slice<1, -1>, slice<1, -1>);
constexpr auto adjoint = theon::grad(theon::sum(laplacian * W), U);

const mat& grid() {
  static const mat g = bench::uniform<2>({n, n}, 21, -1, 1);
  return g;
}
const mat& weights() {
  static const mat w = bench::uniform<2>({n - 2, n - 2}, 22, -1, 1);
  return w;
}

auto make_value() {
  auto f = theon::function(laplacian);
  f.threads(1);
  return f;
}
auto make_adjoint() {
  auto f = theon::function(adjoint);
  f.threads(1);
  return f;
}

mat hand_value(const mat& u) {
  mat out = mat::from_shape({n - 2, n - 2});
  for (std::size_t i = 1; i + 1 < n; ++i)
    for (std::size_t j = 1; j + 1 < n; ++j)
      out(i - 1, j - 1) = u(i + 1, j) + u(i - 1, j) + u(i, j + 1) + u(i, j - 1) - 4 * u(i, j);
  return out;
}
// d/dU of sum(L(U) * W): each weight spread back to the five points it read.
mat hand_adjoint(const mat& w) {
  mat out = xt::zeros<double>({n, n});
  for (std::size_t i = 1; i + 1 < n; ++i)
    for (std::size_t j = 1; j + 1 < n; ++j) {
      const double g = w(i - 1, j - 1);
      out(i + 1, j) += g;
      out(i - 1, j) += g;
      out(i, j + 1) += g;
      out(i, j - 1) += g;
      out(i, j) -= 4 * g;
    }
  return out;
}
}  // namespace stencil

// ============================================================== checking ===
bool check_results() {
  bool ok = bench::agree("lgamma", lgamma_case().theon_values(), lgamma_case().hand_values(), 1e-14);
  ok = bench::agree("digamma", digamma_case().theon_values(), digamma_case().hand_values(), 1e-14) && ok;
  ok = bench::agree("erfinv", erfinv_case().theon_values(), erfinv_case().hand_values(), 1e-14) && ok;
  // The naive form loses digits in the lower tail: compare above -5 only.
  vec theon = log_ndtr_case().theon_values(), hand = log_ndtr_case().hand_values();
  for (std::size_t i = 0; i < theon.size(); ++i)
    if (normal_range()[i] < -5) theon[i] = hand[i] = 0;
  ok = bench::agree("log_ndtr", theon, hand, 1e-12) && ok;
  auto f = gp::make_theon();
  gp::hand_t hand_gp;
  const gp::result a = gp::theon_nll(f, gp::data()), b = hand_gp(gp::data());
  ok = bench::agree("GP", vec{a.nll, a.gradient[0], a.gradient[1], a.gradient[2]},
             vec{b.nll, b.gradient[0], b.gradient[1], b.gradient[2]}, 1e-8) &&
       ok;
#ifdef THEON_LAPACK
  gp::hand_lapack_t lapack_gp;
  const gp::result c = lapack_gp(gp::data());
  ok = bench::agree("GP LAPACK", vec{a.nll, a.gradient[0], a.gradient[1], a.gradient[2]},
                    vec{c.nll, c.gradient[0], c.gradient[1], c.gradient[2]}, 1e-8) &&
       ok;
#endif
  auto value = stencil::make_value();
  auto adjoint = stencil::make_adjoint();
  const mat theon_value = value(stencil::U = stencil::grid());
  const mat theon_adjoint = adjoint(stencil::W = stencil::weights(), stencil::U = stencil::grid());
  ok = bench::agree("stencil", xt::flatten(theon_value), xt::flatten(stencil::hand_value(stencil::grid())), 1e-14) && ok;
  ok = bench::agree("adjoint", xt::flatten(theon_adjoint), xt::flatten(stencil::hand_adjoint(stencil::weights())), 1e-14) && ok;
  return ok;
}

// ============================================================ benchmarks ===
template <auto& (*Case)()>
void theon_elementwise(benchmark::State& state) {
  auto& c = Case();
  for (auto _ : state) benchmark::DoNotOptimize(c.theon_values());
}
template <auto& (*Case)()>
void hand_elementwise(benchmark::State& state) {
  const auto& c = Case();
  for (auto _ : state) benchmark::DoNotOptimize(c.hand_values());
}
BENCHMARK(theon_elementwise<lgamma_case>)->Name("lgamma_theon")->Unit(benchmark::kMicrosecond);
BENCHMARK(hand_elementwise<lgamma_case>)->Name("lgamma_hand")->Unit(benchmark::kMicrosecond);
BENCHMARK(theon_elementwise<digamma_case>)->Name("digamma_theon")->Unit(benchmark::kMicrosecond);
BENCHMARK(hand_elementwise<digamma_case>)->Name("digamma_hand")->Unit(benchmark::kMicrosecond);
BENCHMARK(theon_elementwise<erfinv_case>)->Name("erfinv_theon")->Unit(benchmark::kMicrosecond);
BENCHMARK(hand_elementwise<erfinv_case>)->Name("erfinv_hand")->Unit(benchmark::kMicrosecond);
BENCHMARK(theon_elementwise<log_ndtr_case>)->Name("log_ndtr_theon")->Unit(benchmark::kMicrosecond);
BENCHMARK(hand_elementwise<log_ndtr_case>)->Name("log_ndtr_hand")->Unit(benchmark::kMicrosecond);

void gp_theon(benchmark::State& state) {
  auto f = gp::make_theon();
  for (auto _ : state) benchmark::DoNotOptimize(gp::theon_nll(f, gp::data()));
}
void gp_hand(benchmark::State& state) {
  gp::hand_t hand;
  for (auto _ : state) benchmark::DoNotOptimize(hand(gp::data()));
}
BENCHMARK(gp_theon)->Name("gp_theon")->Unit(benchmark::kMillisecond);
BENCHMARK(gp_hand)->Name("gp_hand")->Unit(benchmark::kMillisecond);
#ifdef THEON_LAPACK
void gp_lapack(benchmark::State& state) {
  gp::hand_lapack_t hand;
  for (auto _ : state) benchmark::DoNotOptimize(hand(gp::data()));
}
BENCHMARK(gp_lapack)->Name("gp_lapack")->Unit(benchmark::kMillisecond);
#endif

void stencil_theon(benchmark::State& state) {
  auto f = stencil::make_value();
  for (auto _ : state) benchmark::DoNotOptimize(f(stencil::U = stencil::grid()));
}
void stencil_hand(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(stencil::hand_value(stencil::grid()));
}
void adjoint_theon(benchmark::State& state) {
  auto f = stencil::make_adjoint();
  for (auto _ : state) benchmark::DoNotOptimize(f(stencil::W = stencil::weights(), stencil::U = stencil::grid()));
}
void adjoint_hand(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(stencil::hand_adjoint(stencil::weights()));
}
BENCHMARK(stencil_theon)->Name("stencil_theon")->Unit(benchmark::kMicrosecond);
BENCHMARK(stencil_hand)->Name("stencil_hand")->Unit(benchmark::kMicrosecond);
BENCHMARK(adjoint_theon)->Name("stencil_adjoint_theon")->Unit(benchmark::kMicrosecond);
BENCHMARK(adjoint_hand)->Name("stencil_adjoint_hand")->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  if (!bench::initialize(argc, argv)) return 1;
  std::printf("theon threads(1); %zu points for the special functions, n = %zu for the GP, a %zu x %zu stencil\n",
              points, gp::n, stencil::n, stencil::n);
  const bool checked = check_results();

  bench::timing_reporter reporter(argc, argv);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::printf("\n");
  for (const char* name : {"lgamma", "digamma", "erfinv", "log_ndtr", "gp", "stencil", "stencil_adjoint"}) {
    const std::string label = std::string(name) + " theon/hand";
    reporter.print_pair(label.c_str(), std::string(name) + "_theon", std::string(name) + "_hand");
  }
  reporter.print_pair("gp theon/LAPACK", "gp_theon", "gp_lapack");
  if (!checked) {
    std::fprintf(stderr, "theon disagrees with the hand-written reference (see MISMATCH above)\n");
    return 2;
  }
  return 0;
}
