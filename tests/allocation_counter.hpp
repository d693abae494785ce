#pragma once
// Counts heap allocations, to show that a steady-state call makes none (the
// updates and into tests). Include it in one translation unit only: it
// replaces the global operator new and delete. (The replacement pairs malloc
// with free; g++ cannot see that through new/delete.)
#include <atomic>
#include <cstdlib>
#include <new>

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace theon_test {
inline std::atomic<long> allocations{0};
}
void* operator new(std::size_t n) {
  ++theon_test::allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
