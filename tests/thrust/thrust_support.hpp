#pragma once
// The Thrust runner's conformance checks. Each case compiles one function, runs
// it on the CPU runner and through theon::on(thrust::device, f) (CUDA under
// nvcc, the OMP system under g++), and compares every output: same shapes,
// values within a relative tolerance (docs/backends.md says why they may differ).
#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include <theon/thrust.hpp>

#include "../test_support.hpp"

namespace theon_thrust_test {

using namespace theon_test;

// Relative and absolute tolerance: reductions combine in another order, and
// CUDA's exp, log, sin... may differ from the host's in the last bits.
template <class T>
constexpr double runner_tol() {
  if constexpr (std::is_same_v<T, float>) return 1e-5;
  else if constexpr (std::is_same_v<T, double>) return 1e-11;
  else return 0.0;
}

template <class R>
auto on_host(const R& r) {
  if constexpr (theon::is_device_array_v<R>) return theon::to_host(r);
  else return r;
}

template <class C>
struct element {
  using type = C;
};
template <class C>
  requires requires { typename C::value_type; }
struct element<C> {
  using type = typename C::value_type;
};

template <class C, class D>
::testing::AssertionResult same_result(const C& cpu, const D& device) {
  const auto host = on_host(device);
  using T = typename element<C>::type;
  static_assert(std::is_same_v<std::remove_cvref_t<decltype(host)>, C>, "both runners return the same type");
  if constexpr (std::is_arithmetic_v<C>) return close(double(host), double(cpu), runner_tol<T>());
  else return all_close(host, cpu, runner_tol<T>());
}

template <class R>
inline constexpr bool is_tuple_v = false;
template <class... T>
inline constexpr bool is_tuple_v<std::tuple<T...>> = true;

// Every output of f, on both runners, for the same bindings.
template <class F, class... Bindings>
void expect_runners_agree(F& f, const Bindings&... bindings) {
  const auto cpu = f(bindings...);
  auto on_thrust = theon::on(thrust::device, f);
  const auto device = on_thrust(bindings...);
  if constexpr (is_tuple_v<std::remove_cvref_t<decltype(cpu)>>) {
    auto output = [&]<std::size_t K>(std::integral_constant<std::size_t, K>) {
      EXPECT_TRUE(same_result(std::get<K>(cpu), std::get<K>(device))) << "output " << K;
    };
    [&]<std::size_t... K>(std::index_sequence<K...>) {
      (output(std::integral_constant<std::size_t, K>{}), ...);
    }(std::make_index_sequence<std::tuple_size_v<std::remove_cvref_t<decltype(cpu)>>>{});
  } else {
    EXPECT_TRUE(same_result(cpu, device));
  }
}

template <class E, class... Bindings>
void expect_runners_agree_on(E e, const Bindings&... bindings) {
  auto f = theon::function(e);
  expect_runners_agree(f, bindings...);
}

}  // namespace theon_thrust_test
