#pragma once
// Threads for large loops. Work below a size threshold stays on the calling
// thread: handing it out costs more than it saves there. Larger loops are
// split into slices run by the caller and by a pool of workers started once,
// so a call creates no thread.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

namespace theon {

// The number of threads a loop may use by default, read once: the
// environment variable THEON_NUM_THREADS where it is a positive number, else
// the cores this process may run on: its CPU affinity where the system has one
// (a batch scheduler or an MPI launcher may bind a process to fewer cores than
// the machine has), else the hardware's thread count.
inline std::size_t default_threads() {
  static const std::size_t count = [] {
    if (const char* set = std::getenv("THEON_NUM_THREADS")) {
      char* end = nullptr;
      const long n = std::strtol(set, &end, 10);
      if (end != set && *end == '\0' && n > 0) return static_cast<std::size_t>(n);
    }
#if defined(__linux__)
    cpu_set_t cores;
    if (sched_getaffinity(0, sizeof cores, &cores) == 0) return static_cast<std::size_t>(std::max(1, CPU_COUNT(&cores)));
#endif
    return static_cast<std::size_t>(std::max(1u, std::thread::hardware_concurrency()));
  }();
  return count;
}

struct threading {
  std::size_t threads = 0;                 // 0: default_threads()
  std::size_t min_elements_per_thread = 1 << 16;

  // Small loops stay on the calling thread without asking how many threads to use.
  std::size_t count_for(std::size_t elements) const {
    const std::size_t parts = elements / std::max<std::size_t>(min_elements_per_thread, 1);
    if (parts <= 1) return 1;
    return std::min(parts, threads ? threads : default_threads());
  }
};

// A reference to a callable body(begin, end, part). parallel_for takes one, so
// that the thread machinery is compiled once, not once per loop (whose type
// names the whole graph it belongs to).
class slice_body {
  const void* body_;
  void (*call_)(const void*, std::size_t, std::size_t, std::size_t);

 public:
  template <class Body>
  slice_body(const Body& body)
      : body_(&body), call_([](const void* b, std::size_t begin, std::size_t end, std::size_t part) {
          (*static_cast<const Body*>(b))(begin, end, part);
        }) {}
  void operator()(std::size_t begin, std::size_t end, std::size_t part) const { call_(body_, begin, end, part); }
};

// The workers that run slices of loops beside their callers, started on first
// use and kept until the process exits. A loop's slices are claimed one at a
// time, by its caller and by whichever workers are free; the caller claims
// what is left, so a loop finishes even when every worker is busy with other
// callers' loops, or when the caller is itself a worker (a loop in a loop).
// Slice p is always the same range, whoever runs it: results that depend on
// the split (partial sums) do not depend on the threads.
class worker_pool {
 public:
  static worker_pool& shared() {
    static worker_pool pool;
    return pool;
  }

  // body(begin, end, p) for the `parts` contiguous slices p of [0, count), using
  // up to parts - 1 workers (the pool grows to that many).
  void run(std::size_t count, std::size_t parts, slice_body body) {
    loop job{body, count, parts};
    {
      std::lock_guard lock(mutex_);
      while (workers_.size() + 1 < parts) workers_.emplace_back([this] { serve(); });
      open_.push_back(&job);
    }
    wake_.notify_all();
    work_on(job);
    std::unique_lock lock(mutex_);
    close(job);  // no worker joins it from here on
    finished_.wait(lock, [&] { return job.helpers == 0; });
  }

  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;
  ~worker_pool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& w : workers_) w.join();
  }

 private:
  struct loop {
    slice_body body;
    std::size_t count, parts;
    std::atomic<std::size_t> next{0};  // the next slice to claim
    std::size_t helpers = 0;           // workers on it (guarded by mutex_)
  };

  worker_pool() = default;

  static void work_on(loop& job) {
    for (std::size_t p; (p = job.next.fetch_add(1)) < job.parts;)
      job.body(job.count * p / job.parts, job.count * (p + 1) / job.parts, p);
  }
  void close(loop& job) {
    if (const auto it = std::find(open_.begin(), open_.end(), &job); it != open_.end()) open_.erase(it);
  }

  void serve() {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stopping_ || !open_.empty(); });
      if (open_.empty()) return;  // stopping, and nothing left to help with
      loop& job = *open_.front();
      ++job.helpers;
      lock.unlock();
      work_on(job);
      lock.lock();
      close(job);  // every slice is claimed
      if (--job.helpers == 0) finished_.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, finished_;
  std::vector<loop*> open_;  // loops with slices still to claim
  std::vector<std::thread> workers_;
  bool stopping_ = false;
};

// Runs body(begin, end, part) on `parts` contiguous slices of [0, count).
inline void parallel_for(std::size_t count, std::size_t parts, slice_body body) {
  parts = std::clamp<std::size_t>(parts, 1, std::max<std::size_t>(count, 1));
  if (parts == 1) body(std::size_t{0}, count, std::size_t{0});
  else worker_pool::shared().run(count, parts, body);
}

}  // namespace theon
