#pragma once
// Threads for large loops. Work below a size threshold stays on the calling
// thread: starting threads costs more than it saves there.
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace theon {

struct threading {
  std::size_t threads = 0;                 // 0: one per hardware thread
  std::size_t min_elements_per_thread = 1 << 16;

  std::size_t count_for(std::size_t elements) const {
    const std::size_t wanted = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    return std::clamp<std::size_t>(elements / std::max<std::size_t>(min_elements_per_thread, 1), 1, wanted);
  }
};

// Runs body(begin, end, part) on `parts` contiguous slices of [0, count).
template <class Body>
void parallel_for(std::size_t count, std::size_t parts, Body&& body) {
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
