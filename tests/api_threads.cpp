// One compiled function object called from several threads at once: each
// call that finds the kept buffers in use computes with buffers of its own,
// so every thread gets its own correct results. Copies are independent.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace theon::literals;
using theon_test::random_matrix;
using theon_test::random_vector;

constexpr theon::matrix<"X"> X;
constexpr theon::vector<"w"> w;
constexpr theon::scalar<"b"> b;

// A value and its gradient with temporaries between the loops (the products).
constexpr auto z = theon::tanh(theon::matmul(X, w) + b);
constexpr auto loss = theon::sum(theon::square(z));
auto make() { return theon::function(loss, theon::grad(loss, w)); }

// Every thread calls one function object (or a copy) many times with its own
// inputs and compares with the answers computed beforehand on one thread.
template <class Call>
int mismatches_from_threads(Call&& call, int threads) {
  std::vector<xt::xtensor<double, 2>> xs;
  std::vector<xt::xtensor<double, 1>> ws;
  std::vector<std::pair<double, xt::xtensor<double, 1>>> want;
  auto reference = make();
  for (int t = 0; t < threads; ++t) {
    xs.push_back(random_matrix<double>(3000 + static_cast<std::size_t>(t), 64, -1, 1, 10 + static_cast<unsigned>(t)));
    ws.push_back(random_vector<double>(64, -1, 1, 50 + static_cast<unsigned>(t)));
    const auto [l, g] = reference(X = xs.back(), w = ws.back(), b = 0.1 * t);
    want.emplace_back(l, g);
  }
  std::atomic<int> wrong{0};
  std::latch start(threads);  // all threads call at once
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int k = 0; k < 50; ++k) {
        const auto [l, g] = call(t, X = xs[static_cast<std::size_t>(t)], w = ws[static_cast<std::size_t>(t)], b = 0.1 * t);
        if (l != want[static_cast<std::size_t>(t)].first || g != want[static_cast<std::size_t>(t)].second) ++wrong;
      }
    });
  for (auto& p : pool) p.join();
  return wrong.load();
}

TEST(Threads, OneFunctionObjectServesSeveralThreadsAtOnce) {
  auto f = make();
  f.threads(1);
  EXPECT_EQ(mismatches_from_threads([&](int, const auto&... bindings) { return f(bindings...); }, 4), 0);
}

TEST(Threads, CopiesAreIndependentFunctionObjects) {
  auto f = make();
  const auto [l0, g0] = f(X = random_matrix<double>(8, 64, -1, 1, 1), w = random_vector<double>(64, -1, 1, 2), b = 0.0);
  std::vector<decltype(make())> copies(4, f);  // a copy starts with empty buffers of its own
  EXPECT_EQ(mismatches_from_threads([&](int t, const auto&... bindings) { return copies[static_cast<std::size_t>(t)](bindings...); }, 4), 0);
  EXPECT_TRUE(std::isfinite(l0));
  EXPECT_EQ(g0.size(), 64u);
}

}  // namespace
