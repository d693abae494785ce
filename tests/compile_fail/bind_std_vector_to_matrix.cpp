// A std::vector has no shape beyond its length: rank 1 only.
// expect: theon::function: a std::vector or std::span can only be bound to a rank-1 variable; use theon::ref
// expect: name_chars<'A'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  auto f = theon::function(A + A);
  std::vector<double> data(6);
  auto r = f(A = data);
  (void)r;
}
