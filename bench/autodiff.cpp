// Reverse-mode differentiation: theon's compiled value + gradient against
// hand-differentiated loops, single-threaded, doubles.
//
//   B3: logistic regression, X (10000 x 100), y in {0, 1}, w (100):
//       loss = mean(softplus(X w) - y * (X w)), gradient wrt w
//   B4: normal log-likelihood of 1e6 points x, scalars mu and sigma:
//       ll = sum(-log(sigma) - log(2 pi)/2 - (x - mu)^2 / (2 sigma^2)), gradient wrt (mu, sigma)
//   B5: two-hidden-layer tanh MLP, batch 256, sizes 64-256-256-10, squared loss:
//       loss = mean((tanh(tanh(X W1 + b1) W2 + b2) W3 + b3 - Y)^2), gradients wrt W1, b1, W2, b2, W3, b3
//   B6: Black-Scholes call price of 1e6 options (vectors S, K, T, sigma; scalar r) with
//       delta = dP/dS, vega = dP/dsigma and gamma = d2P/dS2 (second order), the normal CDF
//       approximated by N(x) = 0.5 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) everywhere.
//
// Every problem is timed twice: the value alone (`value`) and the value with its
// gradient (`grad`). Variants, all in this binary:
//   theon   theon::function(value) / theon::function(value, grad(...)...), threads(1)
//   scalar  plain C++ loops, hand-differentiated (std:: math; the compiler may auto-vectorise)
//   xsimd   the same derivatives with explicit xsimd::batch<double> loops
//   B5 only: `loops` (plain i-k-j matmuls, std::tanh), `xsimd` (i-k-j matmuls with xsimd
//   batches, xsimd::tanh) and `blas` (cblas_dgemm for the products, xsimd for the rest;
//   built when the bench CMake finds a CBLAS, THEON_BENCH_HAVE_BLAS).
// Like theon, every variant returns its results in newly allocated xt::xtensor (or plain
// doubles) and keeps scratch memory between calls.
//
// Before timing, every theon result is checked against the hand-written scalar one
// (norm-wise relative error max|a - b| / max|b| < 1e-9), and so is every other variant.
// After the benchmarks the median times give the lines
//   "B3 grad/value theon = X"       value + gradient over value alone (target <= 3)
//   "B3 grad theon/fastest = X"     theon over the fastest hand-written variant (target <= 1.3)
// and the same for B4, B5 (against the loops and, separately, BLAS) and B6.
//
// Defaults (overridable on the command line): --benchmark_repetitions=5
// --benchmark_display_aggregates_only=true.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <benchmark/benchmark.h>
#include <xsimd/xsimd.hpp>
#include <xtensor/xtensor.hpp>

#ifdef THEON_BENCH_HAVE_BLAS
#include <cblas.h>
#endif

#include <theon/theon.hpp>

#include "bench_support.hpp"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Waggressive-loop-optimizations"
#endif

namespace {

using namespace theon::literals;
using vec = xt::xtensor<double, 1>;
using mat = xt::xtensor<double, 2>;
using batch = xsimd::batch<double>;
constexpr std::size_t W = batch::size;

vec random_vector(std::size_t n, unsigned seed, double lo, double hi) { return bench::uniform<1>({n}, seed, lo, hi); }
mat random_matrix(std::size_t r, std::size_t c, unsigned seed, double lo, double hi) {
  return bench::uniform<2>({r, c}, seed, lo, hi);
}

// Scratch memory a hand-written variant keeps between calls (as theon keeps its temporaries).
double* scratch(std::vector<double>& v, std::size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

// ================================================================== B3 ===
// Logistic regression: loss = mean(softplus(z) - y z), z = X w; dloss/dw = X^T (sigmoid(z) - y) / n.
namespace b3 {
constexpr std::size_t n = 10'000, d = 100;

struct data_t {
  mat X = random_matrix(n, d, 31, -1, 1);
  vec w = random_vector(d, 32, -0.5, 0.5);
  vec y = [] {
    std::mt19937_64 rng(33);
    vec y = vec::from_shape({n});
    for (double& e : y) e = static_cast<double>(rng() & 1);
    return y;
  }();
};
const data_t& data() {
  static const data_t s;
  return s;
}

constexpr theon::matrix<"X"> tX;
constexpr theon::vector<"y"> ty;
constexpr theon::vector<"w"> tw;
constexpr auto z = theon::matmul(tX, tw);
constexpr auto loss = theon::mean(theon::softplus(z) - ty * z);

auto make_value() {
  auto f = theon::function(loss);
  f.threads(1);
  return f;
}
auto make_grad() {
  auto f = theon::function(loss, theon::grad(loss, tw));
  f.threads(1);
  return f;
}
using value_fn = decltype(make_value());
using grad_fn = decltype(make_grad());

struct result {
  double loss;
  vec g;
};

double theon_value(value_fn& f, const data_t& in) { return f(tX = in.X, ty = in.y, tw = in.w); }
result theon_grad(grad_fn& f, const data_t& in) {
  auto [l, g] = f(tX = in.X, ty = in.y, tw = in.w);
  return {l, std::move(g)};
}

inline double softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }
inline double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

double scalar_value(const data_t& in) {
  const double* X = in.X.data();
  double acc = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double zi = 0;
    for (std::size_t j = 0; j < d; ++j) zi += X[i * d + j] * in.w[j];
    acc += softplus(zi) - in.y[i] * zi;
  }
  return acc / n;
}

// One pass over X: each row's z, then its contribution to the gradient while the row is in cache.
result scalar_grad(const data_t& in) {
  const double* X = in.X.data();
  result r{0, vec::from_shape({d})};
  double* g = r.g.data();
  std::fill(g, g + d, 0.0);
  double acc = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double* row = X + i * d;
    double zi = 0;
    for (std::size_t j = 0; j < d; ++j) zi += row[j] * in.w[j];
    acc += softplus(zi) - in.y[i] * zi;
    const double gi = (sigmoid(zi) - in.y[i]) / n;
    for (std::size_t j = 0; j < d; ++j) g[j] += gi * row[j];
  }
  r.loss = acc / n;
  return r;
}

// Eight rows at a time: eight dot products, then softplus / sigmoid on one batch of eight z.
inline double dot_row(const double* row, const double* w) {
  batch acc0(0.0), acc1(0.0);
  std::size_t j = 0;
  for (; j + 2 * W <= d; j += 2 * W) {
    acc0 = xsimd::fma(batch::load_unaligned(row + j), batch::load_unaligned(w + j), acc0);
    acc1 = xsimd::fma(batch::load_unaligned(row + j + W), batch::load_unaligned(w + j + W), acc1);
  }
  for (; j + W <= d; j += W) acc0 = xsimd::fma(batch::load_unaligned(row + j), batch::load_unaligned(w + j), acc0);
  double s = xsimd::hadd(acc0 + acc1);
  for (; j < d; ++j) s += row[j] * w[j];
  return s;
}
inline batch softplus(batch z) { return xsimd::max(z, batch(0.0)) + xsimd::log1p(xsimd::exp(-xsimd::abs(z))); }

double xsimd_value(const data_t& in) {
  const double* X = in.X.data();
  batch acc(0.0);
  alignas(64) double zs[W];
  std::size_t i = 0;
  for (; i + W <= n; i += W) {
    for (std::size_t k = 0; k < W; ++k) zs[k] = dot_row(X + (i + k) * d, in.w.data());
    const batch zb = batch::load_aligned(zs);
    acc += softplus(zb) - batch::load_unaligned(in.y.data() + i) * zb;
  }
  double s = xsimd::hadd(acc);
  for (; i < n; ++i) {
    const double zi = dot_row(X + i * d, in.w.data());
    s += softplus(zi) - in.y[i] * zi;
  }
  return s / n;
}

result xsimd_grad(const data_t& in) {
  const double* X = in.X.data();
  result r{0, vec::from_shape({d})};
  double* g = r.g.data();
  std::fill(g, g + d, 0.0);
  auto axpy = [&](double a, const double* row) {
    const batch va(a);
    std::size_t j = 0;
    for (; j + W <= d; j += W) xsimd::fma(va, batch::load_unaligned(row + j), batch::load_unaligned(g + j)).store_unaligned(g + j);
    for (; j < d; ++j) g[j] += a * row[j];
  };
  const batch inv_n(1.0 / n);
  batch acc(0.0);
  alignas(64) double zs[W], gs[W];
  std::size_t i = 0;
  for (; i + W <= n; i += W) {
    for (std::size_t k = 0; k < W; ++k) zs[k] = dot_row(X + (i + k) * d, in.w.data());
    const batch zb = batch::load_aligned(zs), yb = batch::load_unaligned(in.y.data() + i);
    acc += softplus(zb) - yb * zb;
    ((batch(1.0) / (batch(1.0) + xsimd::exp(-zb)) - yb) * inv_n).store_aligned(gs);
    for (std::size_t k = 0; k < W; ++k) axpy(gs[k], X + (i + k) * d);
  }
  double s = xsimd::hadd(acc);
  for (; i < n; ++i) {
    const double zi = dot_row(X + i * d, in.w.data());
    s += softplus(zi) - in.y[i] * zi;
    axpy((sigmoid(zi) - in.y[i]) / n, X + i * d);
  }
  r.loss = s / n;
  return r;
}
}  // namespace b3

// ================================================================== B4 ===
// ll = sum(-log(sigma) - c - (x - mu)^2 / (2 sigma^2)), c = log(2 pi) / 2.
// With S1 = sum(x - mu), S2 = sum((x - mu)^2):
//   ll = -n (log(sigma) + c) - S2 / (2 sigma^2),  dll/dmu = S1 / sigma^2,  dll/dsigma = -n / sigma + S2 / sigma^3.
namespace b4 {
constexpr std::size_t n = 1'000'000;
constexpr double half_log_2pi = 0.9189385332046727;  // the literal below
constexpr double mu0 = 0.7, sigma0 = 1.8;            // where the gradient is taken (not the optimum)

struct data_t {
  vec x = [] {
    std::mt19937_64 rng(41);
    std::normal_distribution<double> dist(1.0, 2.0);
    vec x = vec::from_shape({n});
    for (double& e : x) e = dist(rng);
    return x;
  }();
};
const data_t& data() {
  static const data_t s;
  return s;
}

constexpr theon::vector<"x"> tx;
constexpr theon::scalar<"mu"> tmu;
constexpr theon::scalar<"sigma"> tsigma;
constexpr auto ll =
    theon::sum(-theon::log(tsigma) - 0.9189385332046727_c - theon::square(tx - tmu) / (2_c * theon::square(tsigma)));
// The same as a user writes it, from the standardised residual (the b4_user variants).
constexpr auto ll_user =
    theon::sum(-theon::log(tsigma) - 0.9189385332046727_c - 0.5_c * theon::square((tx - tmu) / tsigma));

template <class LL>
auto value_of(LL) {
  auto f = theon::function(LL{});
  f.threads(1);
  return f;
}
template <class LL>
auto grad_of(LL) {
  constexpr auto g = theon::grad(LL{}, tmu, tsigma);
  auto f = theon::function(LL{}, theon::get<0>(g), theon::get<1>(g));
  f.threads(1);
  return f;
}
auto make_value() { return value_of(ll); }
auto make_grad() { return grad_of(ll); }

struct result {
  double ll, dmu, dsigma;
};

template <class F>
double theon_value(F& f, const data_t& in) { return f(tx = in.x, tmu = mu0, tsigma = sigma0); }
template <class F>
result theon_grad(F& f, const data_t& in) {
  auto [l, gm, gs] = f(tx = in.x, tmu = mu0, tsigma = sigma0);
  return {l, gm, gs};
}

result closed_form(double s1, double s2) {
  const double s = sigma0;
  return {-double(n) * (std::log(s) + half_log_2pi) - s2 / (2 * s * s), s1 / (s * s), -double(n) / s + s2 / (s * s * s)};
}

double scalar_value(const data_t& in) {
  double s2 = 0;
  for (double x : in.x) s2 += (x - mu0) * (x - mu0);
  return closed_form(0, s2).ll;
}
result scalar_grad(const data_t& in) {
  double s1 = 0, s2 = 0;
  for (double x : in.x) {
    const double e = x - mu0;
    s1 += e;
    s2 += e * e;
  }
  return closed_form(s1, s2);
}

// Four independent accumulators per sum.
double xsimd_value(const data_t& in) {
  const double* x = in.x.data();
  const batch m(mu0);
  batch a0(0.0), a1(0.0), a2(0.0), a3(0.0);
  std::size_t i = 0;
  for (; i + 4 * W <= n; i += 4 * W) {
    const batch e0 = batch::load_unaligned(x + i) - m, e1 = batch::load_unaligned(x + i + W) - m;
    const batch e2 = batch::load_unaligned(x + i + 2 * W) - m, e3 = batch::load_unaligned(x + i + 3 * W) - m;
    a0 = xsimd::fma(e0, e0, a0), a1 = xsimd::fma(e1, e1, a1), a2 = xsimd::fma(e2, e2, a2), a3 = xsimd::fma(e3, e3, a3);
  }
  double s2 = xsimd::hadd((a0 + a1) + (a2 + a3));
  for (; i < n; ++i) s2 += (x[i] - mu0) * (x[i] - mu0);
  return closed_form(0, s2).ll;
}
result xsimd_grad(const data_t& in) {
  const double* x = in.x.data();
  const batch m(mu0);
  batch s0(0.0), s1(0.0), q0(0.0), q1(0.0);
  std::size_t i = 0;
  for (; i + 2 * W <= n; i += 2 * W) {
    const batch e0 = batch::load_unaligned(x + i) - m, e1 = batch::load_unaligned(x + i + W) - m;
    s0 += e0, s1 += e1;
    q0 = xsimd::fma(e0, e0, q0), q1 = xsimd::fma(e1, e1, q1);
  }
  double t1 = xsimd::hadd(s0 + s1), t2 = xsimd::hadd(q0 + q1);
  for (; i < n; ++i) {
    const double e = x[i] - mu0;
    t1 += e;
    t2 += e * e;
  }
  return closed_form(t1, t2);
}
}  // namespace b4

// ================================================================== B6 ===
// Black-Scholes with N(x) = 0.5 (1 + tanh(u)), u = a (x + b x^3), a = sqrt(2/pi), b = 0.044715:
//   N'(x) = 0.5 (1 - t^2) a (1 + 3 b x^2),  N''(x) = 0.5 (1 - t^2) (6 a b x - 2 t (a (1 + 3 b x^2))^2),  t = tanh(u).
// d1 = (log(S/K) + (r + sigma^2/2) T) / (sigma sqrt(T)), d2 = d1 - sigma sqrt(T), D = K exp(-r T):
//   price = S N(d1) - D N(d2)
//   delta = N(d1) + Q / (S V),                 Q = S N'(d1) - D N'(d2), V = sigma sqrt(T)
//   vega  = S N'(d1) (sqrt(T) - d1/sigma) + D N'(d2) d1/sigma
//   gamma = N'(d1)/(S V) + (N'(d1) + (S N''(d1) - D N''(d2))/(S V))/(S V) - Q/(S^2 V)
// (the tanh form's N' is not the normal density, so S N'(d1) != D N'(d2) and Q stays).
namespace b6 {
constexpr std::size_t n = 1'000'000;
constexpr double r0 = 0.03;
constexpr double ca = 0.7978845608028654, cb = 0.044715;

struct data_t {
  vec S = random_vector(n, 61, 50, 150), K = random_vector(n, 62, 50, 150);
  vec T = random_vector(n, 63, 0.1, 2.0), sigma = random_vector(n, 64, 0.1, 0.6);
};
const data_t& data() {
  static const data_t s;
  return s;
}

constexpr theon::vector<"S"> tS;
constexpr theon::vector<"K"> tK;
constexpr theon::vector<"T"> tT;
constexpr theon::vector<"sigma"> tsig;
constexpr theon::scalar<"r"> tr;
constexpr auto ncdf(auto e) { return 0.5_c * (1_c + theon::tanh(0.7978845608028654_c * (e + 0.044715_c * e * e * e))); }
constexpr auto vol = tsig * theon::sqrt(tT);
constexpr auto d1 = (theon::log(tS / tK) + (tr + 0.5_c * tsig * tsig) * tT) / vol;
constexpr auto d2 = d1 - vol;
constexpr auto price = tS * ncdf(d1) - tK * theon::exp(-tr * tT) * ncdf(d2);
constexpr auto delta = theon::grad(theon::sum(price), tS);
constexpr auto vega = theon::grad(theon::sum(price), tsig);
constexpr auto gamma = theon::grad(theon::sum(delta), tS);

auto make_value() {
  auto f = theon::function(price);
  f.threads(1);
  return f;
}
auto make_grad() {
  auto f = theon::function(price, delta, vega, gamma);
  f.threads(1);
  return f;
}
using value_fn = decltype(make_value());
using grad_fn = decltype(make_grad());

struct result {
  vec price, delta, vega, gamma;
};

vec theon_value(value_fn& f, const data_t& in) { return f(tS = in.S, tK = in.K, tT = in.T, tsig = in.sigma, tr = r0); }
result theon_grad(grad_fn& f, const data_t& in) {
  auto [p, de, ve, ga] = f(tS = in.S, tK = in.K, tT = in.T, tsig = in.sigma, tr = r0);
  return {std::move(p), std::move(de), std::move(ve), std::move(ga)};
}

// One body for scalars (V = double, std:: math) and batches (ADL finds xsimd's).
template <class V>
inline V cdf(V x) {
  using std::tanh;
  return V(0.5) * (V(1.0) + tanh(V(ca) * (x + V(cb) * x * x * x)));
}
template <class V>
inline void cdf_all(V x, V& N, V& n1, V& n2) {  // N, N', N''
  using std::tanh;
  const V x2 = x * x;
  const V t = tanh(V(ca) * (x + V(cb) * x * x2));
  const V sech2 = V(1.0) - t * t;
  const V du = V(ca) * (V(1.0) + V(3 * cb) * x2);
  N = V(0.5) * (V(1.0) + t);
  n1 = V(0.5) * sech2 * du;
  n2 = V(0.5) * sech2 * (V(6 * ca * cb) * x - V(2.0) * t * du * du);
}
template <class V>
inline V price_at(V S, V K, V T, V sig) {
  using std::exp, std::log, std::sqrt;
  const V vs = sig * sqrt(T);
  const V a = (log(S / K) + (V(r0) + V(0.5) * sig * sig) * T) / vs;
  return S * cdf(a) - K * exp(V(-r0) * T) * cdf(a - vs);
}
template <class V>
inline void greeks_at(V S, V K, V T, V sig, V& price, V& delta, V& vega, V& gamma) {
  using std::exp, std::log, std::sqrt;
  const V sq = sqrt(T), vs = sig * sq;
  const V a = (log(S / K) + (V(r0) + V(0.5) * sig * sig) * T) / vs, b = a - vs;
  const V D = K * exp(V(-r0) * T);
  V N1, n1, nn1, N2, n2, nn2;
  cdf_all(a, N1, n1, nn1);
  cdf_all(b, N2, n2, nn2);
  const V SV = S * vs, Q = S * n1 - D * n2;
  price = S * N1 - D * N2;
  delta = N1 + Q / SV;
  vega = S * n1 * (sq - a / sig) + D * n2 * (a / sig);
  gamma = n1 / SV + (n1 + (S * nn1 - D * nn2) / SV) / SV - Q / (S * SV);
}

vec scalar_value(const data_t& in) {
  vec p = vec::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) p[i] = price_at(in.S[i], in.K[i], in.T[i], in.sigma[i]);
  return p;
}
result scalar_grad(const data_t& in) {
  result r{vec::from_shape({n}), vec::from_shape({n}), vec::from_shape({n}), vec::from_shape({n})};
  for (std::size_t i = 0; i < n; ++i) greeks_at(in.S[i], in.K[i], in.T[i], in.sigma[i], r.price[i], r.delta[i], r.vega[i], r.gamma[i]);
  return r;
}
vec xsimd_value(const data_t& in) {
  vec p = vec::from_shape({n});
  std::size_t i = 0;
  for (; i + W <= n; i += W)
    price_at(batch::load_unaligned(&in.S[i]), batch::load_unaligned(&in.K[i]), batch::load_unaligned(&in.T[i]),
             batch::load_unaligned(&in.sigma[i]))
        .store_unaligned(&p[i]);
  for (; i < n; ++i) p[i] = price_at(in.S[i], in.K[i], in.T[i], in.sigma[i]);
  return p;
}
result xsimd_grad(const data_t& in) {
  result r{vec::from_shape({n}), vec::from_shape({n}), vec::from_shape({n}), vec::from_shape({n})};
  std::size_t i = 0;
  for (; i + W <= n; i += W) {
    batch p, de, ve, ga;
    greeks_at(batch::load_unaligned(&in.S[i]), batch::load_unaligned(&in.K[i]), batch::load_unaligned(&in.T[i]),
              batch::load_unaligned(&in.sigma[i]), p, de, ve, ga);
    p.store_unaligned(&r.price[i]), de.store_unaligned(&r.delta[i]), ve.store_unaligned(&r.vega[i]), ga.store_unaligned(&r.gamma[i]);
  }
  for (; i < n; ++i) greeks_at(in.S[i], in.K[i], in.T[i], in.sigma[i], r.price[i], r.delta[i], r.vega[i], r.gamma[i]);
  return r;
}
}  // namespace b6

// ================================================================== B5 ===
// Forward: A1 = X W1 + b1, H1 = tanh(A1), A2 = H1 W2 + b2, H2 = tanh(A2), O = H2 W3 + b3, E = O - Y,
// loss = sum(E^2) / (B * 10). Backward: dO = 2 E / (B * 10); dW3 = H2^T dO; db3 = colsum(dO);
// dA2 = (dO W3^T) (1 - H2^2); dW2 = H1^T dA2; db2 = colsum(dA2); dA1 = (dA2 W2^T) (1 - H1^2);
// dW1 = X^T dA1; db1 = colsum(dA1).
namespace b5 {
constexpr std::size_t B = 256, D0 = 64, D1 = 256, D2 = 256, D3 = 10;

struct data_t {
  mat X = random_matrix(B, D0, 51, -1, 1), Y = random_matrix(B, D3, 52, -1, 1);
  mat W1 = random_matrix(D0, D1, 53, -0.125, 0.125), W2 = random_matrix(D1, D2, 54, -0.0625, 0.0625);
  mat W3 = random_matrix(D2, D3, 55, -0.0625, 0.0625);
  vec b1 = random_vector(D1, 56, -0.1, 0.1), b2 = random_vector(D2, 57, -0.1, 0.1), b3 = random_vector(D3, 58, -0.1, 0.1);
};
const data_t& data() {
  static const data_t s;
  return s;
}

constexpr theon::matrix<"X"> tX;
constexpr theon::matrix<"Y"> tY;
constexpr theon::matrix<"W1"> tW1;
constexpr theon::matrix<"W2"> tW2;
constexpr theon::matrix<"W3"> tW3;
constexpr theon::vector<"b1"> tb1;
constexpr theon::vector<"b2"> tb2;
constexpr theon::vector<"b3"> tb3;
constexpr auto h1 = theon::tanh(theon::matmul(tX, tW1) + tb1);
constexpr auto h2 = theon::tanh(theon::matmul(h1, tW2) + tb2);
constexpr auto loss = theon::mean(theon::square(theon::matmul(h2, tW3) + tb3 - tY));

auto make_value() {
  auto f = theon::function(loss);
  f.threads(1);
  return f;
}
auto make_grad() {
  constexpr auto g = theon::grad(loss, tW1, tb1, tW2, tb2, tW3, tb3);
  auto f = theon::function(loss, theon::get<0>(g), theon::get<1>(g), theon::get<2>(g), theon::get<3>(g), theon::get<4>(g),
                           theon::get<5>(g));
  f.threads(1);
  return f;
}
using value_fn = decltype(make_value());
using grad_fn = decltype(make_grad());

struct result {
  double loss;
  mat dW1;
  vec db1;
  mat dW2;
  vec db2;
  mat dW3;
  vec db3;
};

double theon_value(value_fn& f, const data_t& in) {
  return f(tX = in.X, tY = in.Y, tW1 = in.W1, tb1 = in.b1, tW2 = in.W2, tb2 = in.b2, tW3 = in.W3, tb3 = in.b3);
}
result theon_grad(grad_fn& f, const data_t& in) {
  auto [l, g1, gb1, g2, gb2, g3, gb3] =
      f(tX = in.X, tY = in.Y, tW1 = in.W1, tb1 = in.b1, tW2 = in.W2, tb2 = in.b2, tW3 = in.W3, tb3 = in.b3);
  return {l, std::move(g1), std::move(gb1), std::move(g2), std::move(gb2), std::move(g3), std::move(gb3)};
}

// The products a variant needs, all row-major: C (m x p) = A B, with A given as
// (m x k) or, for trans_a, as its transpose (k x m). A B^T is done as A times an
// explicit transpose of B (scratch), so every product is an i-k-j loop.
struct plain_gemm {
  static void nn(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    std::fill(C, C + m * p, 0.0);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t q = 0; q < k; ++q) {
        const double a = A[i * k + q];
        const double* b = Bm + q * p;
        double* c = C + i * p;
        for (std::size_t j = 0; j < p; ++j) c[j] += a * b[j];
      }
  }
  static void tn(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    std::fill(C, C + m * p, 0.0);
    for (std::size_t i = 0; i < m; ++i)
      for (std::size_t q = 0; q < k; ++q) {
        const double a = A[q * m + i];
        const double* b = Bm + q * p;
        double* c = C + i * p;
        for (std::size_t j = 0; j < p; ++j) c[j] += a * b[j];
      }
  }
};

// i-k-j with batches; four k steps per pass over the row of C.
struct xsimd_gemm {
  template <bool TransA>
  static void run(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    auto at = [&](std::size_t i, std::size_t q) { return TransA ? A[q * m + i] : A[i * k + q]; };
    for (std::size_t i = 0; i < m; ++i) {
      double* c = C + i * p;
      std::fill(c, c + p, 0.0);
      std::size_t q = 0;
      for (; q + 4 <= k; q += 4) {
        const double a0 = at(i, q), a1 = at(i, q + 1), a2 = at(i, q + 2), a3 = at(i, q + 3);
        const batch v0(a0), v1(a1), v2(a2), v3(a3);
        const double *b0 = Bm + q * p, *b1 = b0 + p, *b2 = b1 + p, *b3 = b2 + p;
        std::size_t j = 0;
        for (; j + W <= p; j += W) {
          batch cj = batch::load_unaligned(c + j);
          cj = xsimd::fma(v0, batch::load_unaligned(b0 + j), cj);
          cj = xsimd::fma(v1, batch::load_unaligned(b1 + j), cj);
          cj = xsimd::fma(v2, batch::load_unaligned(b2 + j), cj);
          cj = xsimd::fma(v3, batch::load_unaligned(b3 + j), cj);
          cj.store_unaligned(c + j);
        }
        for (; j < p; ++j) c[j] = std::fma(a3, b3[j], std::fma(a2, b2[j], std::fma(a1, b1[j], std::fma(a0, b0[j], c[j]))));
      }
      for (; q < k; ++q) {
        const double a = at(i, q);
        const batch v(a);
        const double* b = Bm + q * p;
        std::size_t j = 0;
        for (; j + W <= p; j += W) xsimd::fma(v, batch::load_unaligned(b + j), batch::load_unaligned(c + j)).store_unaligned(c + j);
        for (; j < p; ++j) c[j] = std::fma(a, b[j], c[j]);
      }
    }
  }
  static void nn(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    run<false>(A, Bm, C, m, k, p);
  }
  static void tn(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    run<true>(A, Bm, C, m, k, p);
  }
};

#ifdef THEON_BENCH_HAVE_BLAS
struct blas_gemm {
  static void nn(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(p), int(k), 1.0, A, int(k), Bm, int(p), 0.0, C, int(p));
  }
  static void tn(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, int(m), int(p), int(k), 1.0, A, int(m), Bm, int(p), 0.0, C, int(p));
  }
  static void nt(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p) {
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(m), int(p), int(k), 1.0, A, int(k), Bm, int(k), 0.0, C, int(p));
  }
};
#endif

// C = A B^T through an explicit transpose (scratch), unless the kernel set has its own.
template <class Gemm>
void gemm_nt(const double* A, const double* Bm, double* C, std::size_t m, std::size_t k, std::size_t p,
             std::vector<double>& tmp) {
  if constexpr (requires { Gemm::nt(A, Bm, C, m, k, p); }) {
    Gemm::nt(A, Bm, C, m, k, p);
  } else {
    double* bt = scratch(tmp, k * p);  // Bm is p x k; bt = Bm^T is k x p
    for (std::size_t j = 0; j < p; ++j)
      for (std::size_t q = 0; q < k; ++q) bt[q * p + j] = Bm[j * k + q];
    Gemm::nn(A, bt, C, m, k, p);
  }
}

// The elementwise parts: plain (std::tanh) or xsimd.
template <bool Simd>
void bias_tanh(double* a, const double* bias, std::size_t rows, std::size_t cols) {
  for (std::size_t i = 0; i < rows; ++i) {
    double* row = a + i * cols;
    std::size_t j = 0;
    if constexpr (Simd)
      for (; j + W <= cols; j += W) xsimd::tanh(batch::load_unaligned(row + j) + batch::load_unaligned(bias + j)).store_unaligned(row + j);
    for (; j < cols; ++j) row[j] = std::tanh(row[j] + bias[j]);
  }
}
// d *= 1 - h^2 and colsum(d) into db.
template <bool Simd>
void tanh_back(double* d, const double* h, double* db, std::size_t rows, std::size_t cols) {
  std::fill(db, db + cols, 0.0);
  for (std::size_t i = 0; i < rows; ++i) {
    double* dr = d + i * cols;
    const double* hr = h + i * cols;
    std::size_t j = 0;
    if constexpr (Simd)
      for (; j + W <= cols; j += W) {
        const batch hv = batch::load_unaligned(hr + j);
        const batch dv = batch::load_unaligned(dr + j) * (batch(1.0) - hv * hv);
        dv.store_unaligned(dr + j);
        (batch::load_unaligned(db + j) + dv).store_unaligned(db + j);
      }
    for (; j < cols; ++j) {
      dr[j] *= 1.0 - hr[j] * hr[j];
      db[j] += dr[j];
    }
  }
}

struct workspace {
  std::vector<double> h1, h2, o, d2, d1, tmp;
};

// Forward pass into ws; returns the loss and leaves E = O - Y in ws.o.
template <class Gemm, bool Simd>
double forward(const data_t& in, workspace& ws) {
  double* h1 = scratch(ws.h1, B * D1);
  double* h2 = scratch(ws.h2, B * D2);
  double* o = scratch(ws.o, B * D3);
  Gemm::nn(in.X.data(), in.W1.data(), h1, B, D0, D1);
  bias_tanh<Simd>(h1, in.b1.data(), B, D1);
  Gemm::nn(h1, in.W2.data(), h2, B, D1, D2);
  bias_tanh<Simd>(h2, in.b2.data(), B, D2);
  Gemm::nn(h2, in.W3.data(), o, B, D2, D3);
  double s = 0;
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t j = 0; j < D3; ++j) {
      double& e = o[i * D3 + j];
      e = e + in.b3[j] - in.Y(i, j);
      s += e * e;
    }
  return s / double(B * D3);
}

template <class Gemm, bool Simd>
double value(const data_t& in, workspace& ws) {
  return forward<Gemm, Simd>(in, ws);
}

template <class Gemm, bool Simd>
result grad(const data_t& in, workspace& ws) {
  result r{forward<Gemm, Simd>(in, ws),
           mat::from_shape({D0, D1}), vec::from_shape({D1}), mat::from_shape({D1, D2}), vec::from_shape({D2}),
           mat::from_shape({D2, D3}), vec::from_shape({D3})};
  double* o = ws.o.data();  // E, becomes dO
  const double scale = 2.0 / double(B * D3);
  std::fill(r.db3.begin(), r.db3.end(), 0.0);
  for (std::size_t i = 0; i < B; ++i)
    for (std::size_t j = 0; j < D3; ++j) {
      o[i * D3 + j] *= scale;
      r.db3[j] += o[i * D3 + j];
    }
  Gemm::tn(ws.h2.data(), o, r.dW3.data(), D2, B, D3);
  double* d2 = scratch(ws.d2, B * D2);
  gemm_nt<Gemm>(o, in.W3.data(), d2, B, D3, D2, ws.tmp);
  tanh_back<Simd>(d2, ws.h2.data(), r.db2.data(), B, D2);
  Gemm::tn(ws.h1.data(), d2, r.dW2.data(), D1, B, D2);
  double* d1 = scratch(ws.d1, B * D1);
  gemm_nt<Gemm>(d2, in.W2.data(), d1, B, D2, D1, ws.tmp);
  tanh_back<Simd>(d1, ws.h1.data(), r.db1.data(), B, D1);
  Gemm::tn(in.X.data(), d1, r.dW1.data(), D0, B, D1);
  return r;
}
}  // namespace b5

// ====================================================== benchmarks ===
template <class F>
void run_bench(benchmark::State& state, F&& body) {
  for (auto _ : state) {
    auto r = body();
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
}

#define THEON_BENCH_PAIR(P)                                                                                             \
  void P##_value_theon(benchmark::State& s) {                                                                           \
    auto f = P::make_value();                                                                                           \
    run_bench(s, [&] { return P::theon_value(f, P::data()); });                                                         \
  }                                                                                                                     \
  void P##_value_scalar(benchmark::State& s) { run_bench(s, [&] { return P::scalar_value(P::data()); }); }              \
  void P##_value_xsimd(benchmark::State& s) { run_bench(s, [&] { return P::xsimd_value(P::data()); }); }                \
  void P##_grad_theon(benchmark::State& s) {                                                                            \
    auto f = P::make_grad();                                                                                            \
    run_bench(s, [&] { return P::theon_grad(f, P::data()); });                                                          \
  }                                                                                                                     \
  void P##_grad_scalar(benchmark::State& s) { run_bench(s, [&] { return P::scalar_grad(P::data()); }); }                \
  void P##_grad_xsimd(benchmark::State& s) { run_bench(s, [&] { return P::xsimd_grad(P::data()); });  }                \
  void P##_grad_theon_threads2(benchmark::State& s) {                                                                   \
    auto f = P::make_grad();                                                                                            \
    f.threads(2);                                                                                                       \
    run_bench(s, [&] { return P::theon_grad(f, P::data()); });                                                          \
  }

THEON_BENCH_PAIR(b3)
THEON_BENCH_PAIR(b4)
THEON_BENCH_PAIR(b6)

void b4_user_value_theon(benchmark::State& s) {
  auto f = b4::value_of(b4::ll_user);
  run_bench(s, [&] { return b4::theon_value(f, b4::data()); });
}
void b4_user_grad_theon(benchmark::State& s) {
  auto f = b4::grad_of(b4::ll_user);
  run_bench(s, [&] { return b4::theon_grad(f, b4::data()); });
}

void b5_value_theon(benchmark::State& s) {
  auto f = b5::make_value();
  run_bench(s, [&] { return b5::theon_value(f, b5::data()); });
}
void b5_grad_theon(benchmark::State& s) {
  auto f = b5::make_grad();
  run_bench(s, [&] { return b5::theon_grad(f, b5::data()); });
}
template <class Gemm, bool Simd>
void b5_value_hand(benchmark::State& s) {
  b5::workspace ws;
  run_bench(s, [&] { return b5::value<Gemm, Simd>(b5::data(), ws); });
}
template <class Gemm, bool Simd>
void b5_grad_hand(benchmark::State& s) {
  b5::workspace ws;
  run_bench(s, [&] { return b5::grad<Gemm, Simd>(b5::data(), ws); });
}
void b5_value_loops(benchmark::State& s) { b5_value_hand<b5::plain_gemm, false>(s); }
void b5_value_xsimd(benchmark::State& s) { b5_value_hand<b5::xsimd_gemm, true>(s); }
void b5_grad_loops(benchmark::State& s) { b5_grad_hand<b5::plain_gemm, false>(s); }
void b5_grad_xsimd(benchmark::State& s) { b5_grad_hand<b5::xsimd_gemm, true>(s); }
#ifdef THEON_BENCH_HAVE_BLAS
void b5_value_blas(benchmark::State& s) { b5_value_hand<b5::blas_gemm, true>(s); }
void b5_grad_blas(benchmark::State& s) { b5_grad_hand<b5::blas_gemm, true>(s); }
#endif

// The registration order is the report order.
#define THEON_REGISTER_PAIR(P)                                 \
  BENCHMARK(P##_value_theon)->Unit(benchmark::kMicrosecond);  \
  BENCHMARK(P##_value_scalar)->Unit(benchmark::kMicrosecond); \
  BENCHMARK(P##_value_xsimd)->Unit(benchmark::kMicrosecond);  \
  BENCHMARK(P##_grad_theon)->Unit(benchmark::kMicrosecond);   \
  BENCHMARK(P##_grad_scalar)->Unit(benchmark::kMicrosecond);  \
  BENCHMARK(P##_grad_xsimd)->Unit(benchmark::kMicrosecond);   \
  BENCHMARK(P##_grad_theon_threads2)->Unit(benchmark::kMicrosecond)->UseRealTime();

THEON_REGISTER_PAIR(b3)
THEON_REGISTER_PAIR(b4)
BENCHMARK(b4_user_value_theon)->Unit(benchmark::kMicrosecond);
BENCHMARK(b4_user_grad_theon)->Unit(benchmark::kMicrosecond);
BENCHMARK(b5_value_theon)->Unit(benchmark::kMicrosecond);
BENCHMARK(b5_value_loops)->Unit(benchmark::kMicrosecond);
BENCHMARK(b5_value_xsimd)->Unit(benchmark::kMicrosecond);
#ifdef THEON_BENCH_HAVE_BLAS
BENCHMARK(b5_value_blas)->Unit(benchmark::kMicrosecond);
#endif
BENCHMARK(b5_grad_theon)->Unit(benchmark::kMicrosecond);
BENCHMARK(b5_grad_loops)->Unit(benchmark::kMicrosecond);
BENCHMARK(b5_grad_xsimd)->Unit(benchmark::kMicrosecond);
#ifdef THEON_BENCH_HAVE_BLAS
BENCHMARK(b5_grad_blas)->Unit(benchmark::kMicrosecond);
#endif
THEON_REGISTER_PAIR(b6)

// ------------------------------------------------------ correctness check ---
// Norm-wise relative error max|a - b| / max|b| of every result against the scalar reference.
double rel_err(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }
template <class E>
double rel_err(const E& a, const E& b) {
  double num = 0, den = 0;
  auto ia = a.begin();
  for (auto ib = b.begin(); ib != b.end(); ++ia, ++ib) {
    num = std::max(num, std::abs(*ia - *ib));
    den = std::max(den, std::abs(*ib));
  }
  return a.size() == b.size() ? num / std::max(den, 1e-300) : 1e300;
}

bool ok = true;
void report(const char* what, double err) {
  constexpr double tol = 1e-9;
  std::printf("  check %-26s relative error %.2e%s\n", what, err, err < tol ? "" : "   MISMATCH");
  if (!(err < tol)) ok = false;
}

bool check_results() {
  std::printf("correctness (norm-wise relative error against the scalar hand-written result, must be < 1e-9):\n");
  {
    const auto& in = b3::data();
    const double v = b3::scalar_value(in);
    const b3::result g = b3::scalar_grad(in);
    auto fv = b3::make_value();
    auto fg = b3::make_grad();
    const b3::result tg = b3::theon_grad(fg, in), xg = b3::xsimd_grad(in);
    report("B3 value theon", rel_err(b3::theon_value(fv, in), v));
    report("B3 value xsimd", rel_err(b3::xsimd_value(in), v));
    report("B3 grad-pass loss scalar", rel_err(g.loss, v));
    report("B3 grad theon: loss", rel_err(tg.loss, v));
    report("B3 grad theon: dw", rel_err(tg.g, g.g));
    report("B3 grad xsimd: loss", rel_err(xg.loss, v));
    report("B3 grad xsimd: dw", rel_err(xg.g, g.g));
  }
  {
    const auto& in = b4::data();
    const double v = b4::scalar_value(in);
    const b4::result g = b4::scalar_grad(in);
    auto fv = b4::make_value();
    auto fg = b4::make_grad();
    const b4::result tg = b4::theon_grad(fg, in), xg = b4::xsimd_grad(in);
    report("B4 value theon", rel_err(b4::theon_value(fv, in), v));
    report("B4 value xsimd", rel_err(b4::xsimd_value(in), v));
    auto fu = b4::value_of(b4::ll_user);
    auto gu = b4::grad_of(b4::ll_user);
    const b4::result ug = b4::theon_grad(gu, in);
    report("B4 user value theon", rel_err(b4::theon_value(fu, in), v));
    report("B4 user grad theon: dmu", rel_err(ug.dmu, g.dmu));
    report("B4 user grad theon: dsigma", rel_err(ug.dsigma, g.dsigma));
    report("B4 grad theon: ll", rel_err(tg.ll, g.ll));
    report("B4 grad theon: dmu", rel_err(tg.dmu, g.dmu));
    report("B4 grad theon: dsigma", rel_err(tg.dsigma, g.dsigma));
    report("B4 grad xsimd: ll", rel_err(xg.ll, g.ll));
    report("B4 grad xsimd: dmu", rel_err(xg.dmu, g.dmu));
    report("B4 grad xsimd: dsigma", rel_err(xg.dsigma, g.dsigma));
  }
  {
    const auto& in = b5::data();
    b5::workspace ws;
    const double v = b5::value<b5::plain_gemm, false>(in, ws);
    const b5::result g = b5::grad<b5::plain_gemm, false>(in, ws);
    auto fv = b5::make_value();
    auto fg = b5::make_grad();
    report("B5 value theon", rel_err(b5::theon_value(fv, in), v));
    report("B5 value xsimd", rel_err(b5::value<b5::xsimd_gemm, true>(in, ws), v));
    auto check = [&](const char* name, const b5::result& t) {
      const std::string s = std::string("B5 grad ") + name + ": ";
      report((s + "loss").c_str(), rel_err(t.loss, v));
      report((s + "dW1").c_str(), rel_err(t.dW1, g.dW1));
      report((s + "db1").c_str(), rel_err(t.db1, g.db1));
      report((s + "dW2").c_str(), rel_err(t.dW2, g.dW2));
      report((s + "db2").c_str(), rel_err(t.db2, g.db2));
      report((s + "dW3").c_str(), rel_err(t.dW3, g.dW3));
      report((s + "db3").c_str(), rel_err(t.db3, g.db3));
    };
    check("theon", b5::theon_grad(fg, in));
    check("xsimd", b5::grad<b5::xsimd_gemm, true>(in, ws));
#ifdef THEON_BENCH_HAVE_BLAS
    report("B5 value blas", rel_err(b5::value<b5::blas_gemm, true>(in, ws), v));
    check("blas", b5::grad<b5::blas_gemm, true>(in, ws));
#endif
  }
  {
    const auto& in = b6::data();
    const vec v = b6::scalar_value(in);
    const b6::result g = b6::scalar_grad(in);
    auto fv = b6::make_value();
    auto fg = b6::make_grad();
    report("B6 value theon", rel_err(b6::theon_value(fv, in), v));
    report("B6 value xsimd", rel_err(b6::xsimd_value(in), v));
    report("B6 grad-pass price scalar", rel_err(g.price, v));
    // The hand-derived greeks against central differences of the scalar price (a coarse
    // check of the derivation itself; theon's exact derivatives are then checked to 1e-9).
    {
      double worst = 0;
      for (std::size_t i = 0; i < b6::n; i += 997) {
        const double S = in.S[i], K = in.K[i], T = in.T[i], s = in.sigma[i];
        const double h = 1e-3 * S, hs = 1e-5;
        const double p0 = b6::price_at(S, K, T, s), pu = b6::price_at(S + h, K, T, s), pd = b6::price_at(S - h, K, T, s);
        const double fd_delta = (pu - pd) / (2 * h), fd_gamma = (pu - 2 * p0 + pd) / (h * h);
        const double fd_vega = (b6::price_at(S, K, T, s + hs) - b6::price_at(S, K, T, s - hs)) / (2 * hs);
        worst = std::max({worst, std::abs(fd_delta - g.delta[i]) / (1 + std::abs(g.delta[i])),
                          std::abs(fd_vega - g.vega[i]) / (1 + std::abs(g.vega[i])),
                          std::abs(fd_gamma - g.gamma[i]) / (1e-2 + std::abs(g.gamma[i]))});
      }
      std::printf("  check %-26s finite-difference error %.2e%s\n", "B6 hand greeks", worst, worst < 1e-4 ? "" : "   MISMATCH");
      if (!(worst < 1e-4)) ok = false;
    }
    auto check = [&](const char* name, const b6::result& t) {
      const std::string s = std::string("B6 grad ") + name + ": ";
      report((s + "price").c_str(), rel_err(t.price, g.price));
      report((s + "delta").c_str(), rel_err(t.delta, g.delta));
      report((s + "vega").c_str(), rel_err(t.vega, g.vega));
      report((s + "gamma").c_str(), rel_err(t.gamma, g.gamma));
    };
    check("theon", b6::theon_grad(fg, in));
    check("xsimd", b6::xsimd_grad(in));
  }
  return ok;
}

// ------------------------------------------------------------ the ratios ---
class ratio_reporter : public bench::timing_reporter {
 public:
  using timing_reporter::timing_reporter;

  // theon over the fastest other variant starting with prefix (none of `skip` in its name).
  void print_fastest(const char* label, const std::string& theon, const std::string& prefix,
                     std::vector<std::string> skip) const {
    skip.push_back("theon");
    const auto [best, best_t] = fastest(real_, prefix, skip);
    const auto [best_cpu, best_tc] = fastest(cpu_, prefix, skip);
    const double t = time(real_, theon), tc = time(cpu_, theon);
    if (t <= 0 || best.empty()) return;
    std::printf("%-28s = %6.3f   (real time: %s %.1f us, fastest other %s %.1f us; CPU-time ratio %.3f vs %s)\n", label,
                t / best_t, theon.c_str(), t / 1e3, best.c_str(), best_t / 1e3, tc / best_tc, best_cpu.c_str());
  }
  // The same ratio for the fastest hand-written variant (for reference).
  void print_hand(const char* label, const std::string& prefix, std::vector<std::string> skip) const {
    skip.push_back("theon");
    const auto [gv, gt] = fastest(real_, prefix + "grad_", skip);
    const auto [vv, vt] = fastest(real_, prefix + "value_", skip);
    if (gv.empty() || vv.empty()) return;
    std::printf("%-28s = %6.3f   (real time: %s %.1f us, %s %.1f us)\n", label, gt / vt, gv.c_str(), gt / 1e3, vv.c_str(),
                vt / 1e3);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (!bench::initialize(argc, argv)) return 1;

#if defined(THEON_BENCH_HAVE_BLAS) && defined(OPENBLAS_VERSION)
  openblas_set_num_threads(1);
  const char* blas = "CBLAS (OpenBLAS, 1 thread)";
#elif defined(THEON_BENCH_HAVE_BLAS)
  const char* blas = "CBLAS (not OpenBLAS: its own threads)";
#else
  const char* blas = "no CBLAS: B5 blas variants not built";
#endif
  std::printf("xsimd arch %s (batch<double> of %zu), theon threads(1), %s\n", xsimd::default_arch::name(), W, blas);
  const bool checked = check_results();

  ratio_reporter reporter(argc, argv);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  std::printf("\n");
  for (const char* p : {"b3", "b4", "b5", "b6"}) {
    const std::string P(p);
    std::string U = "B";  // appended piece by piece: g++ 12 warns (-Wrestrict, falsely) on "B" + string
    U += P.substr(1);
    reporter.print_pair((U + " grad/value theon").c_str(), P + "_grad_theon", P + "_value_theon");
    reporter.print_hand((U + " grad/value hand").c_str(), P + "_", {"blas"});
    if (P == "b5") {
      reporter.print_fastest("B5 value theon/loops", "b5_value_theon", "b5_value_", {"blas"});
      reporter.print_fastest("B5 grad theon/loops", "b5_grad_theon", "b5_grad_", {"blas"});
      reporter.print_pair("B5 value theon/blas", "b5_value_theon", "b5_value_blas");
      reporter.print_pair("B5 grad theon/blas", "b5_grad_theon", "b5_grad_blas");
    } else {
      reporter.print_fastest((U + " value theon/fastest").c_str(), P + "_value_theon", P + "_value_", {});
      reporter.print_fastest((U + " grad theon/fastest").c_str(), P + "_grad_theon", P + "_grad_", {});
    }
    if (P != "b5") reporter.print_pair((U + " grad 1 thread / 2 threads").c_str(), P + "_grad_theon", P + "_grad_theon_threads2");
    if (P == "b4") {
      reporter.print_fastest("B4 user value theon/fastest", "b4_user_value_theon", "b4_value_", {});
      reporter.print_fastest("B4 user grad theon/fastest", "b4_user_grad_theon", "b4_grad_", {});
    }
  }
  if (!checked) {
    std::fprintf(stderr, "some variant disagrees with the scalar reference (see MISMATCH above)\n");
    return 2;
  }
  return 0;
}
