// index<4> of an axis of static extent 4: out of range, caught while compiling.
// expect: theon: an index is out of range for the static extent of its axis
// expect: name_chars<'v'>, double, theon::shape<4>
// expect: index_t<4>
#include <theon/theon.hpp>

int main() {
  constexpr theon::var<"v", double, theon::shape<4>> v;
  auto e = v(theon::index<4>);
  (void)e;
}
