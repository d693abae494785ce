// theon::ref with one extent bound to a matrix.
// expect: theon::function: the bound array's rank differs from the variable's rank
// expect: name_chars<'A'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::matrix<"A"> A;
  auto f = theon::function(A + A);
  std::vector<double> data(6);
  auto r = f(A = theon::ref(data.data(), {6}));
  (void)r;
}
