// The threads large loops run on: a pool started once (a call creates no
// thread), every slice run exactly once whoever runs it, loops from several
// callers and loops inside loops finishing, and the default thread count:
// THEON_NUM_THREADS, else the process's CPU affinity (one core under
// `taskset -c 0` keeps every loop on the calling thread).
#include <gtest/gtest.h>

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "test_support.hpp"

namespace {

using namespace theon::literals;

long thread_id() { return static_cast<long>(syscall(SYS_gettid)); }

TEST(ThreadPool, EverySliceRunsOnceAndTheSameRangeWhoeverRunsIt) {
  constexpr std::size_t count = 100'003, parts = 7;
  std::vector<std::atomic<int>> visits(count);
  std::vector<std::pair<std::size_t, std::size_t>> ranges(parts);
  theon::parallel_for(count, parts, [&](std::size_t begin, std::size_t end, std::size_t part) {
    ranges[part] = {begin, end};
    for (std::size_t i = begin; i < end; ++i) ++visits[i];
  });
  for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(visits[i].load(), 1) << i;
  for (std::size_t p = 0; p < parts; ++p) {
    EXPECT_EQ(ranges[p].first, count * p / parts);
    EXPECT_EQ(ranges[p].second, count * (p + 1) / parts);
  }
}

// Fifty calls run on the same few threads: the pool's workers and the caller.
TEST(ThreadPool, CallsReuseTheSameThreads) {
  std::mutex m;
  std::set<long> seen;
  for (int call = 0; call < 50; ++call)
    theon::parallel_for(1000, 3, [&](std::size_t, std::size_t, std::size_t) {
      std::lock_guard lock(m);
      seen.insert(thread_id());
    });
  // The caller and the pool's workers: 2, or up to 6 where an earlier case in
  // this process grew the pool to 6 (parts = 7). A thread per call: up to 101.
  EXPECT_LE(seen.size(), 7u);
  EXPECT_TRUE(seen.count(thread_id()));
}

// Several callers at once, each with loops inside its loop's slices: every
// loop finishes (a caller runs whatever slices no worker takes).
TEST(ThreadPool, ConcurrentAndNestedLoopsFinish) {
  std::atomic<long> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c)
    callers.emplace_back([&] {
      for (int k = 0; k < 20; ++k)
        theon::parallel_for(8, 4, [&](std::size_t begin, std::size_t end, std::size_t) {
          for (std::size_t i = begin; i < end; ++i)
            theon::parallel_for(100, 3, [&](std::size_t b, std::size_t e, std::size_t) { total += static_cast<long>(e - b); });
        });
    });
  for (auto& c : callers) c.join();
  EXPECT_EQ(total.load(), 4L * 20 * 8 * 100);
}

// A compiled function gives the same results on one thread and on several.
TEST(ThreadPool, FunctionsGiveTheSameResultsOnAnyNumberOfThreads) {
  constexpr theon::vector<"x"> x;
  const auto xs = theon_test::random_vector<double>(1 << 20, -1, 1, 3);
  auto f = theon::function(theon::exp(x) * 2_c + theon::square(x), theon::max(x), theon::sum(theon::square(x)));
  f.threads(1);
  const auto [a1, m1, s1] = f(x = xs);
  for (std::size_t threads : {2, 3, 8}) {
    f.threads(threads);
    const auto [a, m, s] = f(x = xs);
    // Where slices end differs: an element computed on a SIMD batch with one
    // count may fall in a slice's scalar tail with another (exp within an ulp,
    // then a sum of two positive terms).
    EXPECT_LE(theon_test::worst_ulps_apart(a, a1), 2);
    EXPECT_EQ(m, m1);
    EXPECT_NEAR(s, s1, 1e-9 * s1);  // partial sums combine in another grouping
  }
}

// The default is read once per process: each case reads it in a process of
// its own (a death test in the "threadsafe" style runs the test binary again),
// with the environment and affinity set first.
TEST(ThreadPoolDefault, OneCoreOfAffinityKeepsLoopsOnTheCallingThread) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        unsetenv("THEON_NUM_THREADS");
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(sched_getcpu(), &one);
        const bool pinned = sched_setaffinity(0, sizeof one, &one) == 0;
        std::exit(pinned && theon::default_threads() == 1 && theon::threading{}.count_for(std::size_t{1} << 26) == 1 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

TEST(ThreadPoolDefault, TheEnvironmentVariableSetsTheDefault) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("THEON_NUM_THREADS", "3", 1);
        const theon::threading two{.threads = 2};  // f.threads(n) wins
        std::exit(theon::default_threads() == 3 && theon::threading{}.count_for(std::size_t{1} << 26) == 3 &&
                          two.count_for(std::size_t{1} << 26) == 2
                      ? 0
                      : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
