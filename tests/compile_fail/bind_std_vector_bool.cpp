// std::vector<bool> packs bits; it has no bool* to read.
// expect: theon::function: std::vector<bool> stores bits, not bools; bind an xt::xtensor<bool, 1>
// expect: name_chars<'b'>
#include <theon/theon.hpp>

int main() {
  constexpr theon::vector<"b", bool> b;
  auto f = theon::function(b == b);
  std::vector<bool> data(3);
  auto r = f(b = data);
  (void)r;
}
