#pragma once
// Special functions: the gamma family, the error function's tail, inverse
// trigonometric and hyperbolic functions, base-2 and base-10 logarithms,
// rounding, floating-point predicates, and the log-space helpers (logaddexp,
// log1mexp, xlogy, xlog1py). Each body runs on scalars, xsimd batches and CUDA
// devices; domains and conventions are in docs/ops.md.
#include <cmath>
#include <limits>
#include <type_traits>

#include "theon/ops/arithmetic.hpp"
#include "theon/ops/math.hpp"

namespace theon {

// ------------------------------------------------------------- the gamma family

template <expression A> constexpr auto digamma(A a);
template <expression A> constexpr auto trigamma(A a);

namespace detail {
// f applied to each lane of a batch: where xsimd's version of a function loses
// accuracy (erfc's far tail, lgamma near its roots and for a < 0), a batch
// calls the C library's once per lane. Scalars and devices call f directly.
THEON_HD_TEMPLATE(class T, class F)
T lanewise(T a, F f) {
  if constexpr (std::is_arithmetic_v<T>) {
    return f(a);
  } else {
    typename T::value_type lanes[T::size];
    a.store_unaligned(lanes);
    for (auto& v : lanes) v = f(v);
    return T::load_unaligned(lanes);
  }
}
}  // namespace detail

// log|Gamma(a)|. Poles at 0, -1, -2, ...: +inf. On the host, lgamma_r: lgamma
// writes the global signgam, a race between threads.
struct lgamma_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "lgamma";
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    return detail::lanewise(a, []<class V>(V v) -> V {
#if !defined(__CUDA_ARCH__) && defined(__GLIBC__)
      int sign;
      if constexpr (std::is_same_v<V, float>) return ::lgammaf_r(v, &sign);
      else return ::lgamma_r(v, &sign);
#else
      using std::lgamma;
      return lgamma(v);
#endif
    });
  }
  static constexpr auto partials(auto, auto a) { return expr_list{digamma(a)}; }
};

namespace detail {
// pi / tan(pi x) with the argument reduced to [-1/2, 1/2] first (the period is
// 1), so it stays accurate for large |x|.
THEON_HD_TEMPLATE(class T)
T pi_cot_pi(T x) {
  using std::nearbyint, std::tan;
  const T pi(3.141592653589793238462643383279502884);
  return pi / tan(pi * (x - nearbyint(x)));
}

// The smallest x + n >= 10 (n <= 10 for x >= 0), and what each step of a
// recurrence adds: term(y) summed over y = x, x + 1, ..., x + n - 1.
THEON_HD_TEMPLATE(class T, class Term)
T shift_up(T& x, Term term) {
  T sum(0);
  for (int i = 0; i < 10; ++i) {
    const auto below = x < T(10);
    sum = sum + select(below, term(x), T(0));
    x = select(below, x + T(1), x);
  }
  return sum;
}
}  // namespace detail

// The logarithmic derivative of Gamma. For a >= 0 the recurrence
// psi(a) = psi(a + 1) - 1/a shifts a to at least 10, where the asymptotic
// series (Bernoulli numbers up to B16) is exact to double precision. Near the
// positive root a0 = 1.4616..., where that sum cancels, a Taylor series around
// a0 (coefficients (-1)^(k+1) zeta(k + 1, a0), computed with mpmath to 40
// digits) keeps the relative error small. a < 0 reflects:
// psi(a) = psi(1 - a) - pi cot(pi a). Poles at 0, -1, -2, ...: -inf.
struct digamma_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "digamma";

  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    using std::abs, std::log;
    const auto reflected = a < T(0);
    T x = select(reflected, T(1) - a, a);
    const T shifted = detail::shift_up(x, [](T y) { return -(T(1) / y); });
    const T z = T(1) / (x * x);
    const T series =
        z * (T(1.0 / 12) -
             z * (T(1.0 / 120) -
                  z * (T(1.0 / 252) -
                       z * (T(1.0 / 240) -
                            z * (T(1.0 / 132) - z * (T(691.0 / 32760) - z * (T(1.0 / 12) - z * T(3617.0 / 8160))))))));
    const T positive = shifted + log(x) - T(0.5) / x - series;
    const T near_root = around_root(a);
    const T value = select(abs(a - T(1.4616321449683622)) < T(0.3), near_root, positive);
    return select(reflected, value - detail::pi_cot_pi(a), value);
  }
  static constexpr auto partials(auto, auto a) { return expr_list{trigamma(a)}; }

 private:
  // psi(a0 + t) = sum over k >= 1 of c_k t^k, |t| < 0.3: 26 terms reach 1e-18.
  THEON_HD_TEMPLATE(class T) static T around_root(T a) {
    constexpr double c[] = {
        0.9676722454476212, -0.4427631689835921, 0.258499760955651, -0.16394270544240652,
        0.10782405069126237, -0.07219956125645471, 0.04880428816414311, -0.03316112647484736,
        0.022597648232218104, -0.01542476590494896, 0.010538791616612175, -0.007204534386356869,
        0.004926781395729853, -0.003369801655439328, 0.002305126326734928, -0.0015769367714301972,
        0.0010788252019162967, -0.0007380709389960052, 0.000504953265834602, -0.0003454680251063077,
        0.00023635601564027053, -0.00016170622091974803, 0.0001106337276874741, -7.569179582195066e-05,
        5.178575795222081e-05, -3.5430070947659604e-05};
    const T t = (a - T(1.4616321449683622)) - T(9.549995429965697e-17);  // a - a0, a0 in two parts
    T sum(c[25]);
    for (int k = 24; k >= 0; --k) sum = sum * t + T(c[k]);
    return sum * t;
  }
};

// The derivative of digamma: psi1(a) = psi1(a + 1) + 1/a^2 shifts a to at
// least 10, then the asymptotic series; a < 0 reflects:
// psi1(a) = pi^2 / sin^2(pi a) - psi1(1 - a). Poles at 0, -1, -2, ...: +inf.
// Not differentiable in theon (no tetragamma): third derivatives of lgamma are
// a compile error.
struct trigamma_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "trigamma";

  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    using std::nearbyint, std::sin;
    const auto reflected = a < T(0);
    T x = select(reflected, T(1) - a, a);
    const T shifted = detail::shift_up(x, [](T y) { return T(1) / (y * y); });
    const T r = T(1) / x;
    const T z = r * r;
    const T series =
        r * z *
        (T(1.0 / 6) -
         z * (T(1.0 / 30) -
              z * (T(1.0 / 42) -
                   z * (T(1.0 / 30) - z * (T(5.0 / 66) - z * (T(691.0 / 2730) - z * (T(7.0 / 6) - z * T(3617.0 / 510))))))));
    const T value = shifted + r + T(0.5) * z + series;
    const T pi(3.141592653589793238462643383279502884);
    const T s = sin(pi * (a - nearbyint(a)));
    return select(reflected, pi * pi / (s * s) - value, value);
  }
};

template <expression A> constexpr auto lgamma(A a) { return make_node<lgamma_op>(a); }
template <expression A> constexpr auto digamma(A a) { return make_node<digamma_op>(a); }
template <expression A> constexpr auto trigamma(A a) { return make_node<trigamma_op>(a); }

// ------------------------------------------------- error function, exponentials

// 1 - erf(a) without the cancellation: erfc(27) is 5.2e-319, not 0.
struct erfc_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "erfc";
  static constexpr value_facts facts(value_facts) { return positive_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    return detail::lanewise(a, [](auto v) { using std::erfc; return erfc(v); });
  }
  static constexpr auto partials(auto, auto a) { return expr_list{-(constants::two_over_sqrt_pi{} * exp(-square(a)))}; }
};

template <expression A> constexpr auto erfcx(A a);

namespace detail {
// a * b as hi + lo exactly (lo by fma); an infinite product has no low part.
THEON_HD_TEMPLATE(class V)
V low_part(V a, V b, V hi) {
  using std::fma;
  return hi < std::numeric_limits<V>::infinity() ? fma(a, b, -hi) : V(0);
}

// exp(a^2) as exp(hi) (1 + lo) with a^2 = hi + lo: exp(a * a) would carry the
// rounding of a * a, magnified a^2 times (25 ulps at a = 5).
THEON_HD_TEMPLATE(class V)
V exp_of_square(V a) {
  using std::exp;
  const V hi = a * a;
  return exp(hi) * (V(1) + low_part(a, a, hi));
}

// erfcx(a) for a >= 0 (and NaN). Below the split, exp(a^2) erfc(a), both
// accurate while erfc(a) is a normal number; above, the asymptotic series
// 1 / (a sqrt(pi)) * sum over k of (-1)^k (2k - 1)!! / (2 a^2)^k, whose ninth
// term is below 2e-19 there.
THEON_HD_TEMPLATE(class V)
V erfcx_nonnegative(V a) {
  using std::erfc;
  const V split = sizeof(V) == sizeof(float) ? V(9) : V(26);
  if (a < split) return exp_of_square(a) * erfc(a);
  const V r = V(1) / (V(2) * a * a);
  V term(1), sum(1);
  for (int k = 1; k <= 8; ++k) {
    term = term * V(-(2 * k - 1)) * r;
    sum = sum + term;
  }
  return V(0.5641895835477563) / a * sum;  // 1 / sqrt(pi)
}
}  // namespace detail

// The scaled complementary error function exp(a^2) erfc(a): finite and
// smooth where erfc underflows (about 2 / (a sqrt(pi)) for large a), so
// log(erfc(a)) = log(erfcx(a)) - a^2 stays accurate. Overflows to +inf below
// a = -26.6, as 2 exp(a^2) does.
struct erfcx_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "erfcx";
  static constexpr value_facts facts(value_facts) { return positive_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    return detail::lanewise(a, []<class V>(V v) -> V {
      if (v < V(0)) return V(2) * detail::exp_of_square(v) - detail::erfcx_nonnegative(-v);
      return detail::erfcx_nonnegative(v);
    });
  }
  // d erfcx(a) = 2 a erfcx(a) - 2 / sqrt(pi)
  static constexpr auto partials(auto out, auto a) {
    return expr_list{lit<2>{} * a * out - constants::two_over_sqrt_pi{}};
  }
};

// The inverse of erf on (-1, 1); +-inf at +-1, NaN outside. A start from
// Giles' single-precision approximation (2010), or from the asymptotic
// erfc(y) ~ exp(-y^2) / (y sqrt(pi)) where a is within 3e-6 of +-1, then three
// Newton steps: Halley's on erf(y) = |a| up to |a| = 1/2, on
// log(erfc(y)) = log(1 - |a|) above, where 1 - |a| is exact and erf(y) - |a|
// would have lost the digits. Within 2 ulps of the true inverse.
struct erfinv_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "erfinv";
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    return detail::lanewise(a, []<class V>(V v) -> V { return inverse(v); });
  }
  // d erfinv(a) = sqrt(pi) / 2 exp(erfinv(a)^2)
  static constexpr auto partials(auto out, auto) { return expr_list{constants::sqrt_pi_over_2{} * exp(square(out))}; }

 private:
  THEON_HD_TEMPLATE(class V) static V inverse(V v) {
    using std::abs, std::copysign, std::erf, std::erfc, std::exp, std::log, std::sqrt;
    const V a = abs(v);
    if (!(a < V(1))) return a == V(1) ? copysign(std::numeric_limits<V>::infinity(), v) : std::numeric_limits<V>::quiet_NaN();
    const V tail = V(1) - a;  // exact for a >= 1/2
    const V w = -log(tail * (V(1) + a));
    V y;
    if (w < V(12)) {
      y = a * start(w);
    } else {
      const V s = -log(tail);
      y = sqrt(s - log(V(1.7724538509055159) * sqrt(s)));  // sqrt(pi)
      y = sqrt(s - log(V(1.7724538509055159) * y));
    }
    for (int step = 0; step < 3; ++step) {
      const V slope = V(1.1283791670955126) * exp(-(y * y));  // d erf(y) / dy
      if (a <= V(0.5)) {
        const V f = erf(y) - a;
        y = y - f / (slope + y * f);
      } else {
        const V c = erfc(y);
        y = y + (log(c) - log(tail)) * c / slope;
      }
    }
    return copysign(y, v);
  }
  // Giles' polynomials in w = -log(1 - a^2): erfinv(a) / a to about 1e-7 for w < 12.
  THEON_HD_TEMPLATE(class V) static V start(V w) {
    using std::sqrt;
    if (w < V(5)) {
      constexpr double c[] = {2.81022636e-08,  3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                              -0.00125372503, -0.00417768164, 0.246640727,     1.50140941};
      return horner(w - V(2.5), c);
    }
    constexpr double c[] = {-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                            -0.0076224613,   0.00943887047,  1.00167406,    2.83297682};
    return horner(sqrt(w) - V(3), c);
  }
  THEON_HD_TEMPLATE(class V) static V horner(V t, const double (&c)[9]) {
    V sum(c[0]);
    for (int k = 1; k < 9; ++k) sum = sum * t + V(c[k]);
    return sum;
  }
};

// The log of the standard normal CDF, log(Phi(a)) = log(erfc(-a / sqrt 2) / 2),
// accurate in both tails: log1p(-erfc(a / sqrt 2) / 2) for a >= 0, where Phi
// is near 1, and log(erfcx(z) / 2) - z^2 with z = -a / sqrt 2 below, where Phi
// underflows (log_ndtr(-40) = -804.6). In the upper tail erfc's argument is
// corrected for the rounding of a / sqrt 2, which erfc magnifies 2 z^2 times.
struct log_ndtr_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "log_ndtr";
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    return detail::lanewise(a, []<class V>(V v) -> V {
      using std::erfc, std::exp, std::fma, std::log, std::log1p;
      const V c(0.7071067811865476), c_low(-4.8336466567264565e-17);  // 1 / sqrt(2) = c + c_low
      const V z = v * c;
      if (!(v < V(0))) {
        // a / sqrt 2 - z; above 40, erfc is 0 anyway (and inf has no rounding)
        const V rounding = v < V(40) ? fma(v, c, -z) + v * c_low : V(0);
        const V upper = erfc(z) - rounding * V(1.1283791670955126) * exp(-(z * z));
        return log1p(V(-0.5) * upper);
      }
      const V half_v = V(0.5) * v;  // z^2 = v^2 / 2 as hi + lo, exactly
      const V hi = half_v * v;
      return log(V(0.5) * erfcx_op::eval(-z)) - hi - detail::low_part(half_v, v, hi);
    });
  }
  // d log(Phi(a)) = phi(a) / Phi(a) = sqrt(2 / pi) / erfcx(-a / sqrt 2): no 0 / 0 in the lower tail.
  static constexpr auto partials(auto, auto a) {
    return expr_list{constants::sqrt_two_over_pi{} / erfcx(-(constants::sqrt_half{} * a))};
  }
};

// Gamma(a) itself (C's tgamma): overflows above 171.6, poles at 0, -1, -2, ...
// Likelihoods want lgamma; the rules rewrite log(|tgamma|) and ratios to it.
struct tgamma_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "tgamma";
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    return detail::lanewise(a, [](auto v) { using std::tgamma; return tgamma(v); });
  }
  static constexpr auto partials(auto out, auto a) { return expr_list{out * digamma(a)}; }
};

struct log2_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "log2";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::log2; return log2(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<1>{} / (constants::ln2{} * a)}; }
};

struct log10_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "log10";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::log10; return log10(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<1>{} / (constants::ln10{} * a)}; }
};

struct exp2_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "exp2";
  static constexpr value_facts facts(value_facts) { return positive_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::exp2; return exp2(a); }
  static constexpr auto partials(auto out, auto) { return expr_list{constants::ln2{} * out}; }
};

// The real cube root, defined for negative a too; infinite slope at 0.
struct cbrt_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "cbrt";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::cbrt; return cbrt(a); }
  static constexpr auto partials(auto out, auto) { return expr_list{lit<1, 3>{} / square(out)}; }
};

// log(1 - exp(a)) for a <= 0, accurate at both ends: log(-expm1(a)) near 0,
// log1p(-exp(a)) below -log 2 (Maechler 2012). NaN for a > 0, -inf at 0.
struct log1mexp_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "log1mexp";
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    using std::exp, std::expm1, std::log, std::log1p;
    return select(a > T(-0.6931471805599453), log(-expm1(a)), log1p(-exp(a)));
  }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<-1>{} / expm1(-a)}; }  // -exp(a) / (1 - exp(a))
};

// ------------------------------------------------------ trigonometric, hyperbolic

template <expression A> constexpr auto sinh(A a);
template <expression A> constexpr auto cosh(A a);

struct sinh_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "sinh";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::sinh; return sinh(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{cosh(a)}; }
};
struct cosh_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "cosh";
  static constexpr value_facts facts(value_facts) { return positive_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::cosh; return cosh(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{sinh(a)}; }
};

// sqrt(a^2 + b^2) without overflow or underflow in the squares.
struct hypot_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "hypot";
  static constexpr bool commutative = true;
  static constexpr value_facts facts(value_facts, value_facts) { return nonnegative_value; }
  THEON_HD_TEMPLATE(class T) static T eval(T a, T b) { using std::hypot; return hypot(a, b); }
  static constexpr auto partials(auto out, auto a, auto b) { return expr_list{a / out, b / out}; }
};
template <expression A, expression B> constexpr auto hypot(A a, B b) { return make_node<hypot_op>(a, b); }

struct asinh_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "asinh";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::asinh; return asinh(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<1>{} / hypot(a, lit<1>{})}; }  // 1 / sqrt(a^2 + 1)
};

// Defined for a >= 1.
struct acosh_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "acosh";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::acosh; return acosh(a); }
  static constexpr auto partials(auto, auto a) {  // 1 / sqrt(a^2 - 1), without cancelling near 1
    return expr_list{lit<1>{} / (sqrt(a - lit<1>{}) * sqrt(a + lit<1>{}))};
  }
};

// Defined for |a| <= 1 (+-inf at +-1).
struct atanh_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "atanh";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::atanh; return atanh(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<1>{} / ((lit<1>{} - a) * (lit<1>{} + a))}; }
};

// asin and acos: defined for |a| <= 1, infinite slope at +-1.
struct asin_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "asin";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::asin; return asin(a); }
  static constexpr auto partials(auto, auto a) {
    return expr_list{lit<1>{} / sqrt((lit<1>{} - a) * (lit<1>{} + a))};
  }
};
struct acos_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "acos";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::acos; return acos(a); }
  static constexpr auto partials(auto, auto a) {
    return expr_list{lit<-1>{} / sqrt((lit<1>{} - a) * (lit<1>{} + a))};
  }
};

struct atan_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "atan";
  THEON_HD_TEMPLATE(class T) static T eval(T a) { using std::atan; return atan(a); }
  static constexpr auto partials(auto, auto a) { return expr_list{lit<1>{} / (lit<1>{} + square(a))}; }
};

// The angle of the point (x, y), y first as in C and NumPy: in [-pi, pi].
struct atan2_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "atan2";
  THEON_HD_TEMPLATE(class T) static T eval(T y, T x) { using std::atan2; return atan2(y, x); }
  static constexpr auto partials(auto, auto y, auto x) {
    return expr_list{x / (square(x) + square(y)), -(y / (square(x) + square(y)))};
  }
};

// ------------------------------------------------------------------- rounding

// Rounding keeps the dtype (integers are returned as they are) and has a zero
// gradient: piecewise constant. Rounding::floating(a) rounds a floating value.
template <class Rounding>
struct rounding_op : elementwise_op<same_rule> {
  THEON_HD_TEMPLATE(class T) static T eval(T a) {
    if constexpr (std::is_integral_v<T>) return a;
    else return Rounding::floating(a);
  }
  static constexpr auto partials(auto, auto) { return expr_list{lit<0>{}}; }
};

struct floor_op : rounding_op<floor_op> {
  static constexpr const char* name = "floor";
  THEON_HD_TEMPLATE(class T) static T floating(T a) { using std::floor; return floor(a); }
};
struct ceil_op : rounding_op<ceil_op> {
  static constexpr const char* name = "ceil";
  THEON_HD_TEMPLATE(class T) static T floating(T a) { using std::ceil; return ceil(a); }
};
struct trunc_op : rounding_op<trunc_op> {
  static constexpr const char* name = "trunc";
  THEON_HD_TEMPLATE(class T) static T floating(T a) { using std::trunc; return trunc(a); }
};
// To the nearest integer, halves to even (NumPy's round): round(2.5) is 2.
struct round_op : rounding_op<round_op> {
  static constexpr const char* name = "round";
  // nearbyint rounds in the default mode: to nearest, ties to even.
  THEON_HD_TEMPLATE(class T) static T floating(T a) { using std::nearbyint; return nearbyint(a); }
};

// NumPy's mod (Python's %): a - floor(a / b) * b, with the sign of b.
// Integers: mod(a, 0) is 0, as in NumPy; floating point: NaN.
struct mod_op : elementwise_op<arithmetic_rule> {
  static constexpr const char* name = "mod";
  static constexpr bool cheap = false;
  THEON_HD_TEMPLATE(class T) static T eval(T a, T b) {
    using std::fmod;
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return T(0);
      if constexpr (std::is_signed_v<T>) {
        if (b == T(-1)) return T(0);  // a % -1 overflows for the most negative a
      }
      const T r = a % b;
      return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    } else {
      // r and b of opposite signs (r = 0 keeps its sign). Written with & and |:
      // xsimd's != of two SSE2 masks compares them as doubles, and a true
      // mask is a NaN, so it never finds two true masks equal.
      const T r = fmod(a, b);
      const T zero(0);
      return select(((b < zero) & (zero < r)) | ((zero < b) & (r < zero)), r + b, r);
    }
  }
  static constexpr auto partials(auto, auto a, auto b) {
    return expr_list{lit<1>{}, -make_node<floor_op>(a / b)};
  }
};

// -------------------------------------------------------------------- predicates

// Floating-point class tests: bool results, zero gradients. Integers are finite.
struct predicate_op : elementwise_op<compare_rule> {
  static constexpr auto partials(auto, auto) { return expr_list{lit<0>{}}; }
};
struct isnan_op : predicate_op {
  static constexpr const char* name = "isnan";
  THEON_HD_TEMPLATE(class T) static constexpr auto eval(T a) {
    if constexpr (std::is_integral_v<T>) return false;
    else return is_nan(a);
  }
};
struct isinf_op : predicate_op {
  static constexpr const char* name = "isinf";
  THEON_HD_TEMPLATE(class T) static auto eval(T a) {
    using std::abs;
    if constexpr (std::is_integral_v<T>) return false;
    else return abs(a) == T(std::numeric_limits<double>::infinity());
  }
};
struct isfinite_op : predicate_op {
  static constexpr const char* name = "isfinite";
  THEON_HD_TEMPLATE(class T) static auto eval(T a) {
    using std::abs;
    if constexpr (std::is_integral_v<T>) return true;
    else return abs(a) < T(std::numeric_limits<double>::infinity());  // false for NaN
  }
};

// ------------------------------------------------------------- log-space helpers

// log(exp(a) + exp(b)) without overflow: max(a, b) + log1p(exp(-|a - b|)).
// Equal operands (both -inf, say) give a + log 2.
struct logaddexp_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "logaddexp";
  static constexpr bool commutative = true;
  THEON_HD_TEMPLATE(class T) static T eval(T a, T b) {
    using std::abs, std::exp, std::log1p;
    const T larger = select(b < a, a, b);
    return select(a == b, a + T(0.6931471805599453), larger + log1p(exp(-abs(a - b))));
  }
  static constexpr auto partials(auto, auto a, auto b) { return expr_list{sigmoid(a - b), sigmoid(b - a)}; }
};

// x log(y), 0 where x is 0 (also for y = 0), as in SciPy: the x log x terms of
// entropies and likelihoods. NaN in y stays NaN.
struct xlogy_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "xlogy";
  THEON_HD_TEMPLATE(class T) static T eval(T x, T y) {
    using std::log;
    return select(is_nan(y), y, select(x == T(0), T(0), x * log(y)));
  }
  static constexpr auto partials(auto, auto x, auto y) { return expr_list{log(y), x / y}; }
};

// x log(1 + y), 0 where x is 0 (also for y = -1).
struct xlog1py_op : elementwise_op<floating_rule> {
  static constexpr const char* name = "xlog1py";
  THEON_HD_TEMPLATE(class T) static T eval(T x, T y) {
    using std::log1p;
    return select(is_nan(y), y, select(x == T(0), T(0), x * log1p(y)));
  }
  static constexpr auto partials(auto, auto x, auto y) { return expr_list{log1p(y), x / (lit<1>{} + y)}; }
};

template <expression A> constexpr auto erfc(A a) { return make_node<erfc_op>(a); }
template <expression A> constexpr auto erfcx(A a) { return make_node<erfcx_op>(a); }
template <expression A> constexpr auto erfinv(A a) { return make_node<erfinv_op>(a); }
template <expression A> constexpr auto log_ndtr(A a) { return make_node<log_ndtr_op>(a); }
template <expression A> constexpr auto tgamma(A a) { return make_node<tgamma_op>(a); }
template <expression A> constexpr auto log2(A a) { return make_node<log2_op>(a); }
template <expression A> constexpr auto log10(A a) { return make_node<log10_op>(a); }
template <expression A> constexpr auto exp2(A a) { return make_node<exp2_op>(a); }
template <expression A> constexpr auto cbrt(A a) { return make_node<cbrt_op>(a); }
template <expression A> constexpr auto log1mexp(A a) { return make_node<log1mexp_op>(a); }
template <expression A> constexpr auto sinh(A a) { return make_node<sinh_op>(a); }
template <expression A> constexpr auto cosh(A a) { return make_node<cosh_op>(a); }
template <expression A> constexpr auto asinh(A a) { return make_node<asinh_op>(a); }
template <expression A> constexpr auto acosh(A a) { return make_node<acosh_op>(a); }
template <expression A> constexpr auto atanh(A a) { return make_node<atanh_op>(a); }
template <expression A> constexpr auto asin(A a) { return make_node<asin_op>(a); }
template <expression A> constexpr auto acos(A a) { return make_node<acos_op>(a); }
template <expression A> constexpr auto atan(A a) { return make_node<atan_op>(a); }
template <expression Y, expression X> constexpr auto atan2(Y y, X x) { return make_node<atan2_op>(y, x); }
template <expression A> constexpr auto floor(A a) { return make_node<floor_op>(a); }
template <expression A> constexpr auto ceil(A a) { return make_node<ceil_op>(a); }
template <expression A> constexpr auto trunc(A a) { return make_node<trunc_op>(a); }
template <expression A> constexpr auto round(A a) { return make_node<round_op>(a); }
template <expression A, expression B> constexpr auto mod(A a, B b) { return make_node<mod_op>(a, b); }
template <expression A> constexpr auto isnan(A a) { return make_node<isnan_op>(a); }
template <expression A> constexpr auto isinf(A a) { return make_node<isinf_op>(a); }
template <expression A> constexpr auto isfinite(A a) { return make_node<isfinite_op>(a); }
template <expression A, expression B> constexpr auto logaddexp(A a, B b) { return make_node<logaddexp_op>(a, b); }
template <expression X, expression Y> constexpr auto xlogy(X x, Y y) { return make_node<xlogy_op>(x, y); }
template <expression X, expression Y> constexpr auto xlog1py(X x, Y y) { return make_node<xlog1py_op>(x, y); }

}  // namespace theon
