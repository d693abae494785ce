#pragma once
// Element types and NumPy-style promotion.
//
// Supported dtypes: float, double, int32, int64, bool. A literal has no dtype
// of its own: an integer literal takes the other operand's dtype, a fractional
// one turns integer operands into double. An expression made of literals only
// evaluates in double.
#include <concepts>
#include <cstdint>
#include <type_traits>

namespace theon {

using int32 = std::int32_t;
using int64 = std::int64_t;

template <class T>
concept dtype = std::same_as<T, float> || std::same_as<T, double> || std::same_as<T, int32> ||
                std::same_as<T, int64> || std::same_as<T, bool>;

// The dtype of a literal before it meets an operand.
struct integer_literal {};
struct fractional_literal {};

template <class T>
concept literal_dtype = std::same_as<T, integer_literal> || std::same_as<T, fractional_literal>;

template <class T>
concept any_dtype = dtype<T> || literal_dtype<T>;

namespace detail {
template <class A, class B>
struct promote {
  // Two real dtypes: bool < int32 < int64; any integer with a float gives double
  // (NumPy: int32 + float32 -> float64); float < double.
  using type = std::conditional_t<
      std::same_as<A, B>, A,
      std::conditional_t<
          std::same_as<A, bool>, B,
          std::conditional_t<
              std::same_as<B, bool>, A,
              std::conditional_t<std::is_floating_point_v<A> && std::is_floating_point_v<B>, double,
                                 std::conditional_t<std::is_integral_v<A> && std::is_integral_v<B>, int64,
                                                    double>>>>>;
};
template <literal_dtype L, dtype B>
struct promote<L, B> {
  using type = std::conditional_t<std::same_as<L, fractional_literal> && !std::is_floating_point_v<B>, double, B>;
};
template <dtype A, literal_dtype L>
struct promote<A, L> : promote<L, A> {};
template <literal_dtype A, literal_dtype B>
struct promote<A, B> {
  using type = std::conditional_t<std::same_as<A, integer_literal> && std::same_as<B, integer_literal>,
                                  integer_literal, fractional_literal>;
};
}  // namespace detail

// promote_t<A, B, ...>: the dtype both operands are computed in.
template <class A, class... Rest>
struct promote_all {
  using type = A;
};
template <class A, class B, class... Rest>
struct promote_all<A, B, Rest...> : promote_all<typename detail::promote<A, B>::type, Rest...> {};
template <class... Ts>
using promote_t = typename promote_all<Ts...>::type;

// Transcendental functions and true division compute in floating point.
template <class T>
using floating_t = std::conditional_t<std::is_floating_point_v<T>, T,
                                      std::conditional_t<literal_dtype<T>, fractional_literal, double>>;

// Arithmetic on booleans counts in int32 (true + true == 2).
template <class T>
using arithmetic_t = std::conditional_t<std::same_as<T, bool>, int32, T>;

// Sums and products of integers accumulate in int64, as NumPy does on 64-bit systems.
template <class T>
using accumulate_t = std::conditional_t<std::is_integral_v<T>, int64, T>;

// The dtype a value is finally stored in: literal-only expressions evaluate in double.
template <class T>
using storage_t = std::conditional_t<literal_dtype<T>, double, T>;

// A number per stored dtype, for the planner's constexpr tables.
template <dtype T>
inline constexpr int dtype_id = std::same_as<T, float>    ? 0
                                : std::same_as<T, double> ? 1
                                : std::same_as<T, int32>  ? 2
                                : std::same_as<T, int64>  ? 3
                                                          : 4;

}  // namespace theon
