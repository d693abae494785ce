#pragma once
// Exact rational constants: lit<Num, Den> and the _c literal suffix.
//
// 2_c, 0.5_c and 1e-3_c are parsed digit by digit at compile time into the
// exact fraction they denote (1e-3_c is 1/1000, not the double nearest it), so
// rewrite rules can fold constants without rounding.
#include <cstdint>
#include <limits>
#include <numeric>

#include "theon/core/dtype.hpp"

namespace theon {

template <std::intmax_t Num, std::intmax_t Den = 1>
struct lit {
  static_assert(Den > 0 && std::gcd(Num, Den) == 1, "theon::lit: a literal is stored in lowest terms with a positive denominator");
  static constexpr std::intmax_t num = Num;
  static constexpr std::intmax_t den = Den;
  using dtype = std::conditional_t<Den == 1, integer_literal, fractional_literal>;

  // The literal's value in the dtype it is computed in.
  template <class T>
  static constexpr T value() {
    if constexpr (std::is_same_v<T, bool>) return Num != 0;
    else return static_cast<T>(Num) / static_cast<T>(Den);
  }
};

template <class T>
struct is_lit : std::false_type {};
template <std::intmax_t N, std::intmax_t D>
struct is_lit<lit<N, D>> : std::true_type {};
template <class T>
struct is_lit<const T> : is_lit<T> {};
template <class T>
concept is_lit_v = is_lit<T>::value;

namespace detail {

struct parsed_rational {
  std::intmax_t num = 0;
  std::intmax_t den = 1;
  bool ok = true;
};

constexpr bool checked_mul(std::intmax_t& acc, std::intmax_t by) {
  if (acc > std::numeric_limits<std::intmax_t>::max() / by) return false;
  acc *= by;
  return true;
}

// Grammar: digits ['.' digits] [('e'|'E') ['+'|'-'] digits], digit separators allowed.
template <char... Cs>
constexpr parsed_rational parse_rational() {
  constexpr char text[] = {Cs..., '\0'};
  parsed_rational r;
  std::intmax_t mantissa = 0;
  int exponent10 = 0;  // value = mantissa * 10^exponent10
  std::size_t i = 0;
  bool seen_digit = false;
  auto digit = [&](char c) { return c >= '0' && c <= '9'; };
  auto take_digits = [&](bool fraction) {
    for (; text[i] != '\0' && (digit(text[i]) || text[i] == '\''); ++i) {
      if (text[i] == '\'') continue;
      seen_digit = true;
      if (!checked_mul(mantissa, 10)) { r.ok = false; return; }
      mantissa += text[i] - '0';
      if (fraction) --exponent10;
    }
  };
  take_digits(false);
  if (text[i] == '.') {
    ++i;
    take_digits(true);
  }
  if (text[i] == 'e' || text[i] == 'E') {
    ++i;
    bool negative = false;
    if (text[i] == '+' || text[i] == '-') negative = text[i++] == '-';
    int e = 0;
    if (!digit(text[i])) r.ok = false;
    for (; digit(text[i]); ++i) {
      e = e * 10 + (text[i] - '0');
      if (e > 40) r.ok = false;
    }
    exponent10 += negative ? -e : e;
  }
  if (text[i] != '\0' || !seen_digit) r.ok = false;
  if (!r.ok) return r;
  r.num = mantissa;
  for (; exponent10 > 0; --exponent10) r.ok = r.ok && checked_mul(r.num, 10);
  for (; exponent10 < 0; ++exponent10) {
    // Cancel factors of ten the numerator already has before growing the denominator.
    if (r.num % 10 == 0) r.num /= 10;
    else r.ok = r.ok && checked_mul(r.den, 10);
  }
  const std::intmax_t g = std::gcd(r.num, r.den);
  if (g > 1) { r.num /= g; r.den /= g; }
  return r;
}

}  // namespace detail

// Exact arithmetic on literals, for constant folding. `ok` is false when the
// result has no exact 64-bit fraction (overflow, or division by zero).
__extension__ typedef __int128 wide_integer;  // holds any product of two intmax_t

struct rational {
  std::intmax_t num = 0;
  std::intmax_t den = 1;
  bool ok = true;
};

constexpr rational make_rational(wide_integer num, wide_integer den) {
  if (den == 0) return {0, 1, false};
  if (den < 0) { num = -num; den = -den; }
  wide_integer a = num < 0 ? -num : num, b = den;
  while (b != 0) { const wide_integer t = a % b; a = b; b = t; }
  if (a > 1) { num /= a; den /= a; }
  constexpr wide_integer lo = std::numeric_limits<std::intmax_t>::min(), hi = std::numeric_limits<std::intmax_t>::max();
  if (num < lo || num > hi || den > hi) return {0, 1, false};
  return {static_cast<std::intmax_t>(num), static_cast<std::intmax_t>(den), true};
}
constexpr rational operator+(rational a, rational b) {
  return make_rational(wide_integer{a.num} * b.den + wide_integer{b.num} * a.den, wide_integer{a.den} * b.den);
}
constexpr rational operator-(rational a) { return make_rational(-wide_integer{a.num}, a.den); }
constexpr rational operator-(rational a, rational b) { return a + -b; }
constexpr rational operator*(rational a, rational b) {
  return make_rational(wide_integer{a.num} * b.num, wide_integer{a.den} * b.den);
}
constexpr rational operator/(rational a, rational b) {
  return make_rational(wide_integer{a.num} * b.den, wide_integer{a.den} * b.num);
}
// a^e for an integer exponent (0^e with e < 0 has no value).
constexpr rational power(rational a, std::intmax_t e) {
  if (e < -64 || e > 64) return {0, 1, false};
  if (e < 0) return power(make_rational(a.den, a.num), -e);
  rational r{1, 1, a.ok};
  for (; e > 0 && r.ok; --e) r = r * a;
  return r;
}

template <class L>
inline constexpr rational rational_of{L::num, L::den, true};

namespace literals {

template <char... Cs>
constexpr auto operator""_c() {
  constexpr detail::parsed_rational r = detail::parse_rational<Cs...>();
  static_assert(r.ok, "theon: this _c literal is not a decimal number whose exact fraction fits in 64-bit integers");
  return lit<r.num, r.den>{};
}

}  // namespace literals

}  // namespace theon
