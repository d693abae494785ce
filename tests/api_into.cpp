// f.into(arrays...)(bindings...): outputs computed into the caller's memory.
// The values are those f returns; shapes are checked before anything is
// written; strided arrays and arrays that share memory with an input get the
// right values; and a steady-state call allocates nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include <xtensor/xadapt.hpp>
#include <xtensor/xview.hpp>

#include "test_support.hpp"

#include "allocation_counter.hpp"

namespace {

using namespace theon::literals;

constexpr theon::vector<"a"> a;
constexpr theon::vector<"b"> b;
constexpr theon::matrix<"M"> M;
constexpr auto b1 = a * b + theon::sin(a) - theon::exp(-a * a);

TEST(Into, WritesWhatTheCallReturns) {
  const auto as = theon_test::random_vector<double>(1000, -2, 2, 1), bs = theon_test::random_vector<double>(1000, -2, 2, 2);
  const auto ms = theon_test::random_matrix<double>(30, 40, -1, 1, 3);
  auto f = theon::function(b1, theon::sum(a), theon::transpose(M), M * 2_c);
  const auto [z, s, t, m2] = f(a = as, b = bs, M = ms);
  xt::xtensor<double, 1> into_z = xt::zeros<double>({1000});
  double into_s = 0;
  xt::xtensor<double, 2> into_t = xt::zeros<double>({40, 30});
  std::vector<double> flat(30 * 40);
  auto into_m2 = xt::adapt(flat, std::array<std::size_t, 2>{30, 40});
  f.into(into_z, into_s, into_t, into_m2)(a = as, b = bs, M = ms);
  EXPECT_EQ(into_z, z);
  EXPECT_EQ(into_s, s);
  EXPECT_EQ(into_t, t);  // a view of an input, copied
  EXPECT_EQ((xt::xtensor<double, 2>(into_m2)), m2);
}

TEST(Into, AStridedArrayGetsItsElements) {
  const auto as = theon_test::random_vector<double>(100, -2, 2, 4), bs = theon_test::random_vector<double>(100, -2, 2, 5);
  auto f = theon::function(b1);
  xt::xtensor<double, 1> wide = xt::zeros<double>({200});
  auto every_other = xt::view(wide, xt::range(0, 200, 2));
  f.into(every_other)(a = as, b = bs);
  const xt::xtensor<double, 1> z = f(a = as, b = bs);
  for (std::size_t i = 0; i < 100; ++i) {
    EXPECT_EQ(wide(2 * i), z(i));
    EXPECT_EQ(wide(2 * i + 1), 0.0);
  }
}

// An output written over an input: every loop reads the input as it was, as
// if the output went to fresh memory (NumPy's out= on an operand).
TEST(Into, AnOutputMayShareMemoryWithAnInput) {
  auto f = theon::function(a * 2_c + theon::sum(a), theon::flip(a));
  xt::xtensor<double, 1> as{1, 2, 3, 4};
  xt::xtensor<double, 1> reversed = xt::zeros<double>({4});
  f.into(as, reversed)(a = as);
  EXPECT_EQ(as, (xt::xtensor<double, 1>{12, 14, 16, 18}));
  EXPECT_EQ(reversed, (xt::xtensor<double, 1>{4, 3, 2, 1}));  // read before as was written
  xt::xtensor<double, 1> cs{1, 2, 3, 4};
  auto g = theon::function(theon::flip(a));
  g.into(cs)(a = cs);  // the same memory, reversed
  EXPECT_EQ(cs, (xt::xtensor<double, 1>{4, 3, 2, 1}));
}

TEST(Into, AWrongShapeIsAShapeErrorAndWritesNothing) {
  const auto as = theon_test::random_vector<double>(10, -2, 2, 6), bs = theon_test::random_vector<double>(10, -2, 2, 7);
  auto f = theon::function(theon::sum(a), b1);
  double s = -1;
  xt::xtensor<double, 1> z = xt::zeros<double>({9});
  EXPECT_TRUE(theon_test::shape_error_says([&] { f.into(s, z)(a = as, b = bs); },
                                           {"output 1", "has shape [10]", "into(...) gives it an array of shape [9]"}));
  EXPECT_EQ(s, -1.0);
  EXPECT_EQ(z, (xt::xtensor<double, 1>(xt::zeros<double>({9}))));
}

TEST(Into, ASteadyStateCallAllocatesNothing) {
  const auto as = theon_test::random_vector<double>(1 << 16, -2, 2, 8), bs = theon_test::random_vector<double>(1 << 16, -2, 2, 9);
  const auto ms = theon_test::random_matrix<double>(64, 64, -1, 1, 10);
  auto f = theon::function(b1, theon::sum(b1 * b), theon::transpose(M) + M);
  f.threads(1);
  xt::xtensor<double, 1> z = xt::zeros<double>({1 << 16});
  xt::xtensor<double, 2> symmetric = xt::zeros<double>({64, 64});
  double s = 0;
  f.into(z, s, symmetric)(a = as, b = bs, M = ms);
  const long before = theon_test::allocations.load();
  for (int k = 0; k < 10; ++k) f.into(z, s, symmetric)(a = as, b = bs, M = ms);
  EXPECT_EQ(theon_test::allocations.load() - before, 0);
  const auto [z2, s2, m2] = f(a = as, b = bs, M = ms);
  EXPECT_EQ(z, z2);
  EXPECT_EQ(s, s2);
  EXPECT_EQ(symmetric, m2);
}

}  // namespace
