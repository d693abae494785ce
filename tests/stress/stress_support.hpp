#pragma once
// Shared by the stress programs: the inputs and a check that prints what differs.
#include <cmath>
#include <cstdio>

#include <xtensor/xtensor.hpp>

#include <theon/theon.hpp>

namespace stress {

inline xt::xtensor<double, 1> inputs() { return {-0.9, -0.3, 0.2, 0.7, 1.1}; }

// |got - want| <= 1e-10 (1 + |want|), element by element.
template <class Got, class Want>
bool agrees(const char* what, const Got& got, const Want& want) {
  for (std::size_t i = 0; i < want.size(); ++i)
    if (!(std::abs(got(i) - want(i)) <= 1e-10 * (1 + std::abs(want(i))))) {
      std::printf("%s: element %zu is %.17g, expected %.17g\n", what, i, got(i), want(i));
      return false;
    }
  std::printf("%s: %zu values agree\n", what, want.size());
  return true;
}

}  // namespace stress
