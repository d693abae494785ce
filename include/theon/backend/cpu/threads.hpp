#pragma once
// Threads for large loops. Work below a size threshold stays on the calling
// thread: starting threads costs more than it saves there.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#if defined(__linux__)
#include <sched.h>
#endif

namespace theon {

// The cores this process may run on, read once: its CPU affinity where the
// system has one (a batch scheduler or an MPI launcher may bind a process to
// fewer cores than the machine has), else the hardware's thread count.
inline std::size_t available_cores() {
  static const std::size_t cores = [] {
#if defined(__linux__)
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return static_cast<std::size_t>(std::max(1, CPU_COUNT(&set)));
#endif
    return static_cast<std::size_t>(std::max(1u, std::thread::hardware_concurrency()));
  }();
  return cores;
}

struct threading {
  std::size_t threads = 0;                 // 0: one per available core
  std::size_t min_elements_per_thread = 1 << 16;

  // Small loops stay on the calling thread without asking how many cores there are.
  std::size_t count_for(std::size_t elements) const {
    const std::size_t parts = elements / std::max<std::size_t>(min_elements_per_thread, 1);
    if (parts <= 1) return 1;
    return std::min(parts, threads ? threads : available_cores());
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

// Runs body(begin, end, part) on `parts` contiguous slices of [0, count).
inline void parallel_for(std::size_t count, std::size_t parts, slice_body body) {
  parts = std::clamp<std::size_t>(parts, 1, std::max<std::size_t>(count, 1));
  if (parts == 1) {
    body(std::size_t{0}, count, std::size_t{0});
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(parts - 1);
  auto slice = [&](std::size_t p) { return count * p / parts; };
  for (std::size_t p = 1; p < parts; ++p) workers.emplace_back([&, p] { body(slice(p), slice(p + 1), p); });
  body(slice(0), slice(1), std::size_t{0});
  for (auto& w : workers) w.join();
}

}  // namespace theon
