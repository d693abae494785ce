#pragma once
// A string usable as a template argument: variable names live in types.
#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace theon {

template <std::size_t N>
struct fixed_string {
  char value[N]{};

  constexpr fixed_string(const char (&text)[N]) { std::copy_n(text, N, value); }
  // From characters computed at compile time (a variable's name_chars).
  constexpr fixed_string(const std::array<char, N>& text) { std::copy_n(text.data(), N, value); }

  constexpr std::string_view view() const { return {value, N - 1}; }

  template <std::size_t M>
  constexpr bool operator==(const fixed_string<M>& other) const {
    return view() == other.view();
  }
};

}  // namespace theon
