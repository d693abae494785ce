#pragma once
// Random numbers as pure functions (JAX's jax.random, on Random123's
// Philox4x32-10): a draw is the Philox block of (key, the draw's site, the
// element's row-major position in the draw's shape), turned into the
// distribution's value. The same key and shape give the same numbers on
// every runner, whatever the thread count: nothing is carried from one
// element or one call to the next. The same key drawn twice at the same site
// gives the same numbers; theon::fold_in<K>(key) makes an independent key.
//
// A draw is an elementwise op computed inside the loop that consumes it (no
// noise array is materialised): its loop hands it the element's position.
// Its derivative is zero in the key and in the operand that gives its shape:
// mu + sigma * normal(key, mu) differentiates in mu and sigma.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

// Random123's functions are device-only under nvcc unless told otherwise;
// the CPU runner calls them on the host in the same translation unit.
#if defined(__CUDACC__) && !defined(R123_CUDA_DEVICE)
#define R123_CUDA_DEVICE __host__ __device__
#endif
#include <Random123/philox.h>
#include <Random123/u01fixedpt.h>

#include "theon/ops/dense.hpp"
#include "theon/ops/op_base.hpp"

namespace theon {

namespace random_detail {

using philox = r123::Philox4x32;

// Which stream a draw reads: draws of different kinds from one key never
// share a Philox counter.
enum class site : std::uint32_t { fold_in, uniform, normal, exponential, bernoulli, gamma, categorical };

// The 128 random bits of (key, site, position, round): Philox4x32-10 with
// the key as its key and (position, site, round) as its counter. `round`
// numbers the blocks one element needs beyond its first (rejection sampling).
THEON_HD inline philox::ctr_type block(std::int64_t key, site s, std::uint64_t position, std::uint32_t round = 0) {
  const auto k = static_cast<std::uint64_t>(key);
  const philox::key_type key_words = {{static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k >> 32)}};
  const philox::ctr_type counter = {{static_cast<std::uint32_t>(position), static_cast<std::uint32_t>(position >> 32),
                                     static_cast<std::uint32_t>(s), round}};
  return philox{}(counter, key_words);
}

// Uniform on the open interval (0, 1), from word `i` of a block (float: 32
// bits, 23 of them used) or words 2i and 2i+1 (double: 64 bits, 52 used):
// (j + 1/2) 2^-52 for a random j, exact, so the same on every machine, and
// never 0 or 1 (log(u) and log(1 - u) are finite).
template <class T>
THEON_HD T open_unit(const philox::ctr_type& bits, unsigned i) {
  if constexpr (std::is_same_v<T, float>) {
    return u01fixedpt_open_open_32_float(bits.v[i]);
  } else {
    const std::uint64_t word = static_cast<std::uint64_t>(bits.v[2 * i + 1]) << 32 | bits.v[2 * i];
    return static_cast<T>(u01fixedpt_open_open_64_double(word));
  }
}

// Consecutive positions share a block where one block has bits enough for
// several draws: `Parts` positions read block position / Parts, each its
// part of it, so one Philox call serves Parts elements.
struct shared_block {
  philox::ctr_type bits;
  unsigned part;
};
template <unsigned Parts>
THEON_HD shared_block block_at(std::int64_t key, site s, std::uint64_t position) {
  return {block(key, s, position / Parts), static_cast<unsigned>(position % Parts)};
}
// How many uniforms of T one block holds (double 2, float 4).
template <class T>
inline constexpr unsigned units_per_block = 16 / sizeof(T);

// A standard normal by Box-Muller: radius sqrt(-2 log u), angle 2 pi v.
// The pair (R cos(angle), R sin(angle)) is two independent normals: part 1
// of a block takes sin(angle) as cos(angle - pi/2), so both parts (and SIMD
// lanes of either) compute one cosine.
template <class T>
THEON_HD T normal_angle(const philox::ctr_type& bits, unsigned part) {
  return T(6.283185307179586476925286766559) * open_unit<T>(bits, 1) - T(part) * T(1.5707963267948966192313216916398);
}
// V a floating type or a SIMD batch of one.
THEON_HD_TEMPLATE(class V)
V box_muller(V u, V angle) {
  using std::cos;
  using std::log;
  using std::sqrt;
  return sqrt(V(-2) * log(u)) * cos(angle);
}

// On SIMD batches B (the CPU runner's loops): Count values per lane, each
// from its lane's shared block (Philox runs lane by lane, once per block),
// a batch each; what follows (log, cos, comparisons) runs on the batches.
template <class B, unsigned Parts, std::size_t Count, class F>
std::array<B, Count> by_block(std::int64_t key, site s, lane_positions at, F values) {
  using T = typename B::value_type;
  alignas(64) T lanes[Count][B::size];
  constexpr std::uint64_t none = ~std::uint64_t{0};  // above any block index, as Parts > 1
  std::uint64_t cached = none;
  philox::ctr_type bits{};
  for (std::size_t k = 0; k < B::size; ++k) {
    const std::uint64_t position = at[k], index = position / Parts;
    if (index != cached) bits = block(key, s, cached = index);
    const std::array<T, Count> v = values(bits, static_cast<unsigned>(position % Parts));
    for (std::size_t i = 0; i < Count; ++i) lanes[i][k] = v[i];
  }
  std::array<B, Count> out;
  for (std::size_t i = 0; i < Count; ++i) out[i] = B::load_aligned(lanes[i]);
  return out;
}
// The uniforms of a batch's lanes, as uniform_op reads them.
template <class B>
B open_units(std::int64_t key, site s, lane_positions at) {
  using T = typename B::value_type;
  return by_block<B, units_per_block<T>, 1>(key, s, at, [](const philox::ctr_type& bits, unsigned part) {
    return std::array<T, 1>{open_unit<T>(bits, part)};
  })[0];
}
// One element's uniform, as uniform_op reads it.
template <class T>
THEON_HD T open_unit_at(std::int64_t key, site s, std::uint64_t position) {
  const shared_block b = block_at<units_per_block<T>>(key, s, position);
  return open_unit<T>(b.bits, b.part);
}
// On SIMD batches: f(parameter, position) lane by lane.
template <class B, class F>
B by_lane(B parameter, lane_positions at, F f) {
  using T = typename B::value_type;
  alignas(64) T lanes[B::size];
  parameter.store_aligned(lanes);
  for (std::size_t k = 0; k < B::size; ++k) lanes[k] = f(lanes[k], at[k]);
  return B::load_aligned(lanes);
}

// Gamma(alpha, 1) by Marsaglia and Tsang's method ("A simple method for
// generating gamma variables", 2000): for alpha >= 1, d (1 + c z)^3 for a
// normal z, accepted with a uniform test (more than 95% of proposals are);
// below 1, gamma(alpha + 1) u^(1/alpha). Each proposal reads two blocks of
// its own. Not a positive alpha: NaN.
template <class T>
THEON_HD T standard_gamma(std::int64_t key, std::uint64_t position, T alpha) {
  using std::log;
  using std::pow;
  using std::sqrt;
  if (!(alpha > T(0))) return std::numeric_limits<T>::quiet_NaN();
  if (alpha == std::numeric_limits<T>::infinity()) return alpha;
  const bool boosted = alpha < T(1);
  const T d = (boosted ? alpha + T(1) : alpha) - T(1) / T(3), c = T(1) / sqrt(T(9) * d);
  // The proposals one element may make; the chance of needing more is below
  // 0.05^64 for every alpha, and the last proposal is then kept.
  constexpr std::uint32_t proposals = 64;
  T value = d;
  for (std::uint32_t p = 0; p < proposals; ++p) {
    const auto bits = block(key, site::gamma, position, 2 * p);
    const T z = box_muller(open_unit<T>(bits, 0), normal_angle<T>(bits, 0));
    const T root = T(1) + c * z;
    if (root <= T(0)) continue;
    const T v = root * root * root;
    value = d * v;
    const T u = open_unit<T>(block(key, site::gamma, position, 2 * p + 1), 0);
    if (log(u) < T(0.5) * z * z + d - value + d * log(v)) break;
  }
  if (boosted) value *= pow(open_unit<T>(block(key, site::gamma, position, 2 * proposals), 0), T(1) / alpha);
  return value;
}

}  // namespace random_detail

// ---------------------------------------------------------------- keys

// fold_in(key, data): a new key, independent of key for each data value
// (JAX's fold_in): 64 bits of the Philox block of (key, data).
struct fold_in_op : elementwise_op<same_rule> {
  static constexpr const char* name = "fold_in";
  template <class Key, class Data> using dtype = int64;
  template <std::size_t I, class Key, class Data> using operand_dtype = int64;
  template <class Key, class Data>
  static constexpr void check() {
    static_assert(same_type<dtype_t<Key>, int64> && (std::is_integral_v<dtype_t<Data>> || is_lit_v<Data>),
                  "theon::fold_in: takes an int64 key (theon::scalar<\"key\", std::int64_t>) and integer data");
  }
  THEON_HD static std::int64_t eval(std::int64_t key, std::int64_t data) {
    const auto bits = random_detail::block(key, random_detail::site::fold_in, static_cast<std::uint64_t>(data));
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(bits.v[1]) << 32 | bits.v[0]);
  }
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }
};

template <expression Key, expression Data>
constexpr auto fold_in(Key key, Data data) {
  return make_node<fold_in_op>(key, data);
}
// The key for draw site K (one per site): fold_in(key, K).
template <long long K, expression Key>
constexpr auto fold_in(Key key) {
  return fold_in(key, lit<K>{});
}

// ---------------------------------------------------------------- draws

// What every draw shares: operand 0 the key (a rank-0 int64), operand 1 the
// expression whose shape the draw takes, read for its values too where the
// distribution has a parameter (bernoulli's p, gamma's alpha). Floating
// results take that operand's floating dtype (double for integers).
template <class Derived>
struct draw_op {
  using kind = elementwise;
  static constexpr bool positional = true;
  static constexpr bool cheap = false;
  template <class Key, class A> using shape_type = static_shape_t<A>;
  template <class Key, class A> using dtype = floating_t<dtype_t<A>>;
  template <std::size_t I, class Key, class A>
  using operand_dtype = std::conditional_t<I == 0, int64, floating_t<dtype_t<A>>>;

  template <class Key, class A>
  static constexpr void check() {
    static_assert(rank_v<Key> == 0 && same_type<dtype_t<Key>, int64>,
                  "theon: a draw's key is a rank-0 int64 expression (theon::scalar<\"key\", std::int64_t>, or "
                  "theon::fold_in<K>(key)); the draw is the Derived op of this instantiation");
  }
  template <std::size_t RA>
  static constexpr auto shape(bool& ok, const extents<0>&, const extents<RA>& a) {
    ok = true;
    return a;
  }
  // Zero in the key (an integer) and in the shape or parameter (a draw is
  // piecewise constant in bernoulli's p; gamma's is stopped, see docs/random.md).
  static constexpr auto partials(auto, auto, auto) { return expr_list{lit<0>{}, lit<0>{}}; }
};

// Standard draws shaped like `like` (only its shape is read).
template <class Derived>
struct shaped_draw_op : draw_op<Derived> {
  static constexpr std::size_t shape_only_operand = 1;
};

// Each draw has two bodies: one element at its position (scalars, the
// Thrust runner, CUDA), and a SIMD batch at its lanes' positions (the CPU
// runner). Uniform bits are the same in both; the batch's log and cos may
// round differently from the C library's, within 2 ulp.

// Uniform on the open interval (0, 1).
struct uniform_op : shaped_draw_op<uniform_op> {
  static constexpr const char* name = "uniform";
  static constexpr auto at = random_detail::site::uniform;
  THEON_HD_TEMPLATE(class T) static T eval(std::int64_t key, T, std::uint64_t position) {
    return random_detail::open_unit_at<T>(key, at, position);
  }
  template <class B> static B eval(std::int64_t key, B, lane_positions lanes) {
    return random_detail::open_units<B>(key, at, lanes);
  }
};

// Standard normal: mean 0, variance 1.
struct normal_op : shaped_draw_op<normal_op> {
  static constexpr const char* name = "normal";
  static constexpr auto at = random_detail::site::normal;
  THEON_HD_TEMPLATE(class T) static T eval(std::int64_t key, T, std::uint64_t position) {
    const random_detail::shared_block b = random_detail::block_at<2>(key, at, position);
    return random_detail::box_muller(random_detail::open_unit<T>(b.bits, 0), random_detail::normal_angle<T>(b.bits, b.part));
  }
  template <class B> static B eval(std::int64_t key, B, lane_positions lanes) {
    using T = typename B::value_type;
    const auto [u, angle] = random_detail::by_block<B, 2, 2>(key, at, lanes, [](const auto& bits, unsigned part) {
      return std::array<T, 2>{random_detail::open_unit<T>(bits, 0), random_detail::normal_angle<T>(bits, part)};
    });
    return random_detail::box_muller(u, angle);
  }
};

// Standard exponential (rate 1): -log(u) for a uniform u.
struct exponential_op : shaped_draw_op<exponential_op> {
  static constexpr const char* name = "exponential";
  static constexpr auto at = random_detail::site::exponential;
  THEON_HD_TEMPLATE(class T) static T eval(std::int64_t key, T, std::uint64_t position) {
    using std::log;
    return -log(random_detail::open_unit_at<T>(key, at, position));
  }
  template <class B> static B eval(std::int64_t key, B, lane_positions lanes) {
    using std::log;
    return -log(random_detail::open_units<B>(key, at, lanes));
  }
};

// true with probability p (clipped to [0, 1]; NaN gives false).
struct bernoulli_op : draw_op<bernoulli_op> {
  static constexpr const char* name = "bernoulli";
  static constexpr auto at = random_detail::site::bernoulli;
  template <class Key, class P> using dtype = bool;
  THEON_HD_TEMPLATE(class T) static bool eval(std::int64_t key, T p, std::uint64_t position) {
    return random_detail::open_unit_at<T>(key, at, position) < p;
  }
  template <class B> static auto eval(std::int64_t key, B p, lane_positions lanes) {
    return random_detail::open_units<B>(key, at, lanes) < p;
  }
};

// Gamma with shape alpha and scale 1 (divide by a rate, multiply by a scale).
// Rejection sampling runs lane by lane on batches too.
struct gamma_op : draw_op<gamma_op> {
  static constexpr const char* name = "gamma";
  THEON_HD_TEMPLATE(class T) static T eval(std::int64_t key, T alpha, std::uint64_t position) {
    return random_detail::standard_gamma<T>(key, position, alpha);
  }
  template <class B> static B eval(std::int64_t key, B alpha, lane_positions lanes) {
    return random_detail::by_lane(alpha, lanes, [key](auto a, std::uint64_t position) {
      return random_detail::standard_gamma(key, position, a);
    });
  }
};

template <expression Key, expression Like> constexpr auto uniform(Key key, Like like) { return make_node<uniform_op>(key, like); }
template <expression Key, expression Like> constexpr auto normal(Key key, Like like) { return make_node<normal_op>(key, like); }
template <expression Key, expression Like> constexpr auto exponential(Key key, Like like) { return make_node<exponential_op>(key, like); }
template <expression Key, expression P> constexpr auto bernoulli(Key key, P p) { return make_node<bernoulli_op>(key, p); }
template <expression Key, expression Alpha> constexpr auto gamma(Key key, Alpha alpha) { return make_node<gamma_op>(key, alpha); }

// One category per row of logits (the last axis), drawn with probabilities
// softmax(logits) by the Gumbel-max trick: the index of the largest
// logits + g for standard Gumbel noise g = -log(-log(u)) at each element.
// int64 results of logits' shape without its last axis; no derivative.
struct categorical_op : routine_op<categorical_op> {
  static constexpr const char* name = "categorical";
  template <class Key, class Logits> using dtype = int64;
  template <std::size_t I, class Key, class Logits>
  using operand_dtype = std::conditional_t<I == 0, int64, dtype_t<Logits>>;
  template <class Key, class Logits>
  static constexpr void check() {
    static_assert(rank_v<Key> == 0 && same_type<dtype_t<Key>, int64>,
                  "theon::categorical: the key is a rank-0 int64 expression (theon::scalar<\"key\", std::int64_t>)");
    static_assert(rank_v<Logits> >= 1 && std::is_floating_point_v<dtype_t<Logits>>,
                  "theon::categorical: the logits are a floating-point array of rank 1 or more (one row per draw)");
  }
  template <std::size_t R>
  static constexpr auto shape(bool& ok, const extents<0>&, const extents<R>& logits) {
    ok = logits[R - 1] != 0;  // no category to draw
    extents<R - 1> out{};
    for (std::size_t i = 0; i + 1 < R; ++i) out[i] = logits[i];
    return out;
  }
  static constexpr const char* mismatch_reason = "the logits' last axis (the categories) is empty";
  template <class Key, class Logits>
  static void compute(int64* out, const Key& key, const Logits& logits) {
    using T = std::remove_const_t<std::remove_pointer_t<decltype(logits.data)>>;
    constexpr std::size_t R = std::tuple_size_v<decltype(logits.shape)>;
    const std::size_t categories = logits.shape[R - 1];
    const std::int64_t k = key.data[0];
    std::size_t best = 0;
    T best_value = 0;
    dense_detail::for_each_index(logits.shape, [&](const auto& at, std::size_t position) {
      using std::log;
      const std::size_t j = at[R - 1];
      const T u = random_detail::open_unit_at<T>(k, random_detail::site::categorical, position);
      const T value = logits.data[dense_detail::offset_at(logits, at)] - log(-log(u));
      if (j == 0 || value > best_value) {
        best = j;
        best_value = value;
      }
      if (j + 1 == categories) out[position / categories] = static_cast<int64>(best);
    });
  }
  // Integer valued: nothing flows back to the key or the logits.
  template <std::size_t K>
  static constexpr auto vjp(auto, auto, auto, auto) { return lit<0>{}; }
  static constexpr auto jvp(auto, auto, auto, auto) { return lit<0>{}; }
};

template <expression Key, expression Logits>
constexpr auto categorical(Key key, Logits logits) {
  return make_node<categorical_op>(key, logits);
}

}  // namespace theon
