#pragma once
// Shared helpers for theon's value tests: random inputs with fixed seeds,
// plain references (elementwise maps with NumPy broadcasting, reductions over
// axes), comparison with a tolerance, and a check of theon::shape_error texts.
//
// The helpers are deliberately light on templates (references are plain
// vectors, the comparison is one non-template function): every test file
// already instantiates many theon kernels, and compile time matters.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace theon_test {

// ---- dtype helpers ------------------------------------------------------------

// What the docs promise: bool arithmetic counts in int32; transcendental
// functions and true division of integers compute in double.
template <class T>
using arith_t = std::conditional_t<std::is_same_v<T, bool>, theon::int32, T>;
template <class T>
using floating_t = std::conditional_t<std::is_floating_point_v<T>, T, double>;

// Default relative tolerances: double 1e-12, float 1e-5, integers exact.
template <class T>
constexpr double tol() {
  if constexpr (std::is_same_v<T, float>) return 1e-5;
  else if constexpr (std::is_same_v<T, double>) return 1e-12;
  else return 0.0;
}
// Reductions accumulate in another order than the reference: looser for double.
template <class T>
constexpr double reduce_tol() {
  if constexpr (std::is_same_v<T, float>) return 1e-5;
  else if constexpr (std::is_same_v<T, double>) return 1e-9;
  else return 0.0;
}

// ---- evaluation -----------------------------------------------------------------

// Compiles one output and evaluates it: eval(x + y, x = xs, y = ys).
template <class E, class... Bindings>
auto eval(E e, const Bindings&... bindings) {
  return theon::function(e)(bindings...);
}

// ---- random inputs -------------------------------------------------------------

// Uniform values in [lo, hi] (integers: inclusive range; bool: fair coin).
template <class T, std::size_t R>
xt::xtensor<T, R> random(const std::array<std::size_t, R>& shape, double lo, double hi, unsigned seed) {
  std::mt19937 gen(seed);
  auto out = xt::xtensor<T, R>::from_shape(shape);
  T* p = out.data();
  if constexpr (std::is_same_v<T, bool>) {
    std::bernoulli_distribution d(0.5);
    for (std::size_t i = 0; i < out.size(); ++i) p[i] = d(gen);
  } else if constexpr (std::is_integral_v<T>) {
    std::uniform_int_distribution<long long> d(static_cast<long long>(lo), static_cast<long long>(hi));
    for (std::size_t i = 0; i < out.size(); ++i) p[i] = static_cast<T>(d(gen));
  } else {
    std::uniform_real_distribution<double> d(lo, hi);
    for (std::size_t i = 0; i < out.size(); ++i) p[i] = static_cast<T>(d(gen));
  }
  return out;
}

template <class T>
xt::xtensor<T, 1> random_vector(std::size_t n, double lo, double hi, unsigned seed) {
  return random<T, 1>({n}, lo, hi, seed);
}
template <class T>
xt::xtensor<T, 2> random_matrix(std::size_t n, std::size_t m, double lo, double hi, unsigned seed) {
  return random<T, 2>({n, m}, lo, hi, seed);
}

// Never zero (divisors): |v| in [lo, hi] with a random sign.
template <class T, std::size_t R>
xt::xtensor<T, R> random_nonzero(const std::array<std::size_t, R>& shape, double lo, double hi, unsigned seed) {
  auto out = random<T, R>(shape, lo, hi, seed);
  std::mt19937 gen(seed + 7919);
  std::bernoulli_distribution sign(0.5);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (sign(gen)) out.data()[i] = static_cast<T>(-out.data()[i]);
  return out;
}

// ---- references ------------------------------------------------------------------

// A reference result: row-major values and a shape.
template <class U>
struct ref_array {
  using value_type = U;
  std::vector<std::size_t> shape;
  std::vector<U> values;

  std::size_t size() const { return values.size(); }
  typename std::vector<U>::reference operator[](std::size_t i) { return values[i]; }
  typename std::vector<U>::const_reference operator[](std::size_t i) const { return values[i]; }
};

template <class C>
std::vector<std::size_t> shape_of(const C& c) {
  if constexpr (requires { c.values; }) return c.shape;
  else return std::vector<std::size_t>(c.shape().begin(), c.shape().end());
}

// Row-major values of an xtensor container (or of a ref_array).
template <class C>
auto values_of(const C& c) {
  if constexpr (requires { c.values; }) return c.values;
  else {
    using T = std::remove_const_t<typename C::value_type>;
    return std::vector<T>(c.begin(), c.end());
  }
}

template <class C>
using value_t = std::remove_const_t<typename C::value_type>;

// out[i] = f(a[i]) in type U. (std::function: one instantiation per type, not per lambda.)
template <class U, class C>
ref_array<U> map(const C& a, const std::function<U(value_t<C>)>& f) {
  ref_array<U> out{shape_of(a), {}};
  const auto in = values_of(a);
  out.values.reserve(in.size());
  for (const auto& v : in) out.values.push_back(f(v));
  return out;
}

// Broadcast shape of two shapes (NumPy rules; they must broadcast).
inline std::vector<std::size_t> broadcast_shape(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
  const std::size_t r = std::max(a.size(), b.size());
  std::vector<std::size_t> out(r, 1);
  for (const auto* s : {&a, &b})
    for (std::size_t i = 0; i < s->size(); ++i) {
      std::size_t& o = out[r - s->size() + i];
      if ((*s)[i] != 1) o = (*s)[i];
    }
  return out;
}

// Flat index into an operand of shape `in` for the flat index `flat` of a broadcast result of shape `out`.
inline std::size_t broadcast_source(std::size_t flat, const std::vector<std::size_t>& out, const std::vector<std::size_t>& in) {
  std::size_t src = 0, stride = 1;
  for (std::size_t i = out.size(); i-- > 0;) {
    const std::size_t idx = flat % out[i];
    flat /= out[i];
    const std::size_t k = i + in.size();  // position in `in`, offset by out.size()
    if (k >= out.size()) {
      const std::size_t e = in[k - out.size()];
      if (e != 1) src += idx * stride;
      stride *= e;
    }
  }
  return src;
}

// out[i] = f(a[i], b[i]) with NumPy broadcasting, in type U.
template <class U, class A, class B>
ref_array<U> map2(const A& a, const B& b, const std::function<U(value_t<A>, value_t<B>)>& f) {
  const auto sa = shape_of(a), sb = shape_of(b);
  const auto va = values_of(a);
  const auto vb = values_of(b);
  ref_array<U> out{broadcast_shape(sa, sb), {}};
  std::size_t n = 1;
  for (auto e : out.shape) n *= e;
  out.values.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.values[i] = f(va[broadcast_source(i, out.shape, sa)], vb[broadcast_source(i, out.shape, sb)]);
  return out;
}

// Reduces `a` over `axes` (negative counts from the end; empty = all axes)
// with `combine`, starting from `init`; keep: reduced axes stay as extent 1.
template <class U, class C, class F>
ref_array<U> reduce_ref(const C& a, std::vector<int> axes, bool keep, U init, F combine) {
  const auto shape = shape_of(a);
  const auto in = values_of(a);
  const std::size_t r = shape.size();
  std::vector<bool> reduced(r, axes.empty());
  for (int ax : axes) reduced[static_cast<std::size_t>(ax < 0 ? ax + static_cast<int>(r) : ax)] = true;
  ref_array<U> out;
  for (std::size_t i = 0; i < r; ++i)
    if (!reduced[i]) out.shape.push_back(shape[i]);
    else if (keep) out.shape.push_back(1);
  std::size_t n = 1;
  for (auto e : out.shape) n *= e;
  out.values.assign(n, init);
  std::vector<std::size_t> idx(r, 0);
  for (std::size_t flat = 0; flat < in.size(); ++flat) {
    std::size_t rem = flat;
    for (std::size_t i = r; i-- > 0;) {
      idx[i] = rem % shape[i];
      rem /= shape[i];
    }
    std::size_t o = 0;
    for (std::size_t i = 0, k = 0; i < r; ++i) {
      if (!reduced[i]) o = o * out.shape[k++] + idx[i];
      else if (keep) ++k;  // an axis of extent 1: index 0
    }
    out.values[o] = combine(out.values[o], static_cast<U>(in[flat]));
  }
  return out;
}

// Number of elements combined into each result of a reduction over `axes` (empty = all).
inline std::size_t reduced_count(const std::vector<std::size_t>& shape, const std::vector<int>& axes) {
  std::size_t n = 1;
  if (axes.empty())
    for (auto e : shape) n *= e;
  for (int ax : axes) n *= shape[static_cast<std::size_t>(ax < 0 ? ax + static_cast<int>(shape.size()) : ax)];
  return n;
}

// ---- comparison ------------------------------------------------------------------

inline std::string shape_text(const std::vector<std::size_t>& s) {
  std::string t = "(";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + ")";
}

// |a - e| <= atol + rtol * |e| for every element; NaN matches NaN, infinities
// must be equal, and the shapes must agree exactly.
inline ::testing::AssertionResult compare_values(const std::vector<std::size_t>& sa, const std::vector<long double>& va,
                                                 const std::vector<std::size_t>& se, const std::vector<long double>& ve,
                                                 double rtol, double atol) {
  if (sa != se)
    return ::testing::AssertionFailure() << "shape " << shape_text(sa) << " differs from expected " << shape_text(se);
  if (va.size() != ve.size()) return ::testing::AssertionFailure() << "sizes differ: " << va.size() << " vs " << ve.size();
  std::size_t bad = 0;
  std::ostringstream why;
  why.precision(17);
  for (std::size_t i = 0; i < va.size(); ++i) {
    const long double a = va[i], e = ve[i];
    bool ok;
    if (std::isnan(e) || std::isnan(a)) ok = std::isnan(e) && std::isnan(a);
    else if (std::isinf(e) || std::isinf(a)) ok = a == e;
    else ok = std::fabs(a - e) <= atol + rtol * std::fabs(e);
    if (!ok && bad++ < 5) why << "\n  flat index " << i << ": got " << a << ", expected " << e;
  }
  if (bad) return ::testing::AssertionFailure() << bad << " of " << va.size() << " elements differ" << why.str();
  return ::testing::AssertionSuccess();
}

template <class C>
std::vector<long double> long_values(const C& c) {
  const auto v = values_of(c);
  return std::vector<long double>(v.begin(), v.end());
}

// Compares an xtensor container (or ref_array) with another; atol < 0 means atol = rtol.
template <class A, class E>
::testing::AssertionResult all_close(const A& actual, const E& expected, double rtol, double atol = -1) {
  return compare_values(shape_of(actual), long_values(actual), shape_of(expected), long_values(expected), rtol,
                        atol < 0 ? rtol : atol);
}

// Exact equality (NaN matches NaN).
template <class A, class E>
::testing::AssertionResult all_equal(const A& actual, const E& expected) {
  return all_close(actual, expected, 0.0, 0.0);
}

// One number with a relative tolerance (atol < 0 means atol = rtol).
inline ::testing::AssertionResult close(double actual, double expected, double rtol, double atol = -1) {
  return compare_values({}, {actual}, {}, {expected}, rtol, atol < 0 ? rtol : atol);
}

// The largest distance in units of the last place between the elements of
// two arrays of doubles (of matching signs), as from two implementations of
// one function.
template <class A, class B>
std::int64_t worst_ulps_apart(const A& a, const B& b) {
  std::int64_t worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::int64_t ia, ib;
    const double x = a.flat(i), y = b.flat(i);
    std::memcpy(&ia, &x, sizeof x);
    std::memcpy(&ib, &y, sizeof y);
    worst = std::max(worst, ia > ib ? ia - ib : ib - ia);
  }
  return worst;
}

// ---- errors ---------------------------------------------------------------------

// Runs f; expects theon::shape_error whose what() contains every piece.
inline ::testing::AssertionResult shape_error_says(const std::function<void()>& f,
                                                  std::initializer_list<std::string> pieces) {
  try {
    f();
  } catch (const theon::shape_error& e) {
    const std::string what = e.what();
    for (const auto& p : pieces)
      if (what.find(p) == std::string::npos)
        return ::testing::AssertionFailure() << "message lacks \"" << p << "\": " << what;
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw another exception: " << e.what();
  }
  return ::testing::AssertionFailure() << "did not throw theon::shape_error";
}

}  // namespace theon_test
