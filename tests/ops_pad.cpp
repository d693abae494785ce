// pad, repeat and tile (ops/pad.hpp): values against NumPy's answers written
// out by hand, along any axis and without one, operands of any strides, the
// edges (zero widths and counts, empty arrays, edge padding of an empty axis),
// inputs untouched, static shapes, the printed forms, and derivatives (sums of
// the copies) against finite differences, to second order.
#include <gtest/gtest.h>

#include "test_support.hpp"

namespace {

using namespace theon::literals;

constexpr theon::vector<"x"> x;
constexpr theon::vector<"v"> v;  // a direction, or weights
constexpr theon::matrix<"A"> A;
constexpr theon::matrix<"W"> W;  // weights

const xt::xtensor<double, 1> xs{1, 2, 3};
const xt::xtensor<double, 2> as{{1, 2, 3}, {4, 5, 6}};  // 2 x 3

// ---------------------------------------------------------------- pad

TEST(Pad, ConstantOrEdgeAlongAnAxisOrEveryAxis) {
  auto f = theon::function(theon::pad<1, 2>(x), theon::pad<2, 1>(x, theon::pad_edge), theon::pad<1, 1>(x, theon::pad_constant(2.5_c)),
                           theon::pad<0, 0>(x, theon::pad_edge), theon::pad<1, 1>(A), theon::pad<1, 0>(A, theon::pad_edge, theon::axis<1>),
                           theon::pad<0, 2>(A, theon::pad_edge), theon::pad<1, 1>(theon::transpose(A), theon::axis<0>));
  const auto xcopy = xs;
  const auto acopy = as;
  const auto [zeros, edge, value, none, border, left, corner, transposed] = f(x = xs, A = as);
  EXPECT_EQ(zeros, (xt::xtensor<double, 1>{0, 1, 2, 3, 0, 0}));  // np.pad(x, (1, 2))
  EXPECT_EQ(edge, (xt::xtensor<double, 1>{1, 1, 1, 2, 3, 3}));   // np.pad(x, (2, 1), 'edge')
  EXPECT_EQ(value, (xt::xtensor<double, 1>{2.5, 1, 2, 3, 2.5}));  // np.pad(x, 1, constant_values=2.5)
  EXPECT_EQ(none, xs);
  EXPECT_EQ(border, (xt::xtensor<double, 2>{{0, 0, 0, 0, 0}, {0, 1, 2, 3, 0}, {0, 4, 5, 6, 0}, {0, 0, 0, 0, 0}}));  // np.pad(a, 1)
  EXPECT_EQ(left, (xt::xtensor<double, 2>{{1, 1, 2, 3}, {4, 4, 5, 6}}));  // np.pad(a, ((0, 0), (1, 0)), 'edge')
  EXPECT_EQ(corner, (xt::xtensor<double, 2>{{1, 2, 3, 3, 3}, {4, 5, 6, 6, 6}, {4, 5, 6, 6, 6}, {4, 5, 6, 6, 6}}));  // np.pad(a, (0, 2), 'edge')
  EXPECT_EQ(transposed, (xt::xtensor<double, 2>{{0, 0}, {1, 4}, {2, 5}, {3, 6}, {0, 0}}));
  EXPECT_EQ(xs, xcopy);
  EXPECT_EQ(as, acopy);
  // Integers keep their dtype, the constant converted to it.
  constexpr theon::vector<"i", theon::int64> i;
  EXPECT_EQ(theon_test::eval(theon::pad<1, 1>(i, theon::pad_constant(theon::lit<-1>{})), i = xt::xtensor<theon::int64, 1>{7, 8}),
            (xt::xtensor<theon::int64, 1>{-1, 7, 8, -1}));
  static_assert(std::is_same_v<decltype(theon::pad<1, 2>(x)), decltype(theon::pad<1, 2>(x, theon::pad_constant, theon::axis<-1>))>);
  static_assert(std::is_same_v<decltype(theon::pad<1, 1>(theon::scalar<"s">{})), theon::scalar<"s">>);  // np.pad of a 0-d array
  EXPECT_EQ(theon::to_string(theon::pad<1, 2>(x)), "pad(x, before=1, after=2)");
  EXPECT_EQ(theon::to_string(theon::pad<1, 0>(A, theon::pad_edge, theon::axis<1>)), "pad(A, before=1, after=0, mode=edge, axis=1)");
  EXPECT_EQ(theon::to_string(theon::pad<1, 1>(A, theon::pad_constant(2.5_c))), "pad(A, before=1, after=1, value=2.5)");
}

constexpr theon::var<"S", double, theon::shape<5>> S;
constexpr theon::var<"M", double, theon::shape<2, 3>> M;
static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::pad<1, 2>(S))>, theon::shape<8>>);
static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::pad<1, 1>(M, theon::pad_edge))>, theon::shape<4, 5>>);
static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::pad<0, 3>(M, theon::axis<1>))>, theon::shape<2, 6>>);
static_assert(theon::static_shape_t<decltype(theon::pad<1, 1>(A))>::extents == theon::extents<2>{theon::dyn, theon::dyn});

TEST(Pad, EmptyArraysAndTheEdgeOfAnEmptyAxis) {
  const xt::xtensor<double, 1> empty{};
  EXPECT_EQ(theon_test::eval(theon::pad<1, 1>(x), x = empty), (xt::xtensor<double, 1>{0, 0}));
  EXPECT_EQ(theon_test::eval(theon::pad<0, 0>(x, theon::pad_edge), x = empty).size(), 0u);
  // NumPy: "can't extend empty axis 0 using modes other than 'constant' or 'empty'".
  EXPECT_TRUE(theon_test::shape_error_says([&] { (void)theon_test::eval(theon::pad<1, 0>(x, theon::pad_edge), x = empty); },
                                           {"pad", "an empty axis has no edge to pad with", "x: [0]"}));
  // Along a nonempty axis of an empty array: still empty.
  EXPECT_EQ(theon_test::eval(theon::pad<1, 1>(A, theon::pad_edge, theon::axis<1>), A = xt::xtensor<double, 2>::from_shape({0, 2})).shape(),
            (std::array<std::size_t, 2>{0, 4}));
}

TEST(Pad, TheAdjointSumsThePadsIntoWhatTheyCopy) {
  const auto ws = theon_test::random_matrix<double>(2, 6, -1, 1, 1);
  const auto g = theon_test::eval(theon::grad(theon::sum(W * theon::pad<1, 2>(A, theon::axis<1>)), A), A = as, W = ws);
  for (std::size_t i = 0; i < 2; ++i)
    for (std::size_t j = 0; j < 3; ++j) EXPECT_EQ(g(i, j), ws(i, j + 1));  // constant: g without the pads
  const xt::xtensor<double, 1> vs{1, 2, 4, 8, 16, 32};
  EXPECT_EQ(theon_test::eval(theon::grad(theon::sum(v * theon::pad<2, 1>(x, theon::pad_edge)), x), x = xs, v = vs),
            (xt::xtensor<double, 1>{7, 8, 48}));  // edge: the pads summed into the edges
  const auto big = theon_test::random_matrix<double>(3, 4, -1, 1, 2);
  const auto w56 = theon_test::random_matrix<double>(5, 6, -1, 1, 3), w67 = theon_test::random_matrix<double>(6, 7, -1, 1, 4);
  for (const auto& report : {theon::check_grad(theon::sum(theon::sin(theon::pad<1, 2>(A, theon::pad_constant(2_c))) * W), A, A = big, W = w67),
                             theon::check_grad(theon::sum(theon::sin(theon::pad<1, 1>(A, theon::pad_edge)) * W), A, A = big, W = w56)})
    EXPECT_TRUE(report.ok) << report.to_string();
  // Second order: the adjoint's adjoint pads again.
  const auto second = theon::sum(theon::grad(theon::sum(theon::exp(theon::pad<1, 2>(x, theon::pad_edge))), x) * x);
  const auto report = theon::check_grad(second, x, x = xs / 4.0);
  EXPECT_TRUE(report.ok) << report.to_string();
  // Forward mode: the tangent padded with zeros (the constant does not move).
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::pad<1, 1>(x, theon::pad_constant(2.5_c)), x, v), v = xs), (xt::xtensor<double, 1>{0, 1, 2, 3, 0}));
  EXPECT_EQ(theon::to_string(theon::grad(theon::sum(theon::pad<1, 1>(x, theon::pad_edge) * v), x)),
            "pad_adjoint(v, x, before=1, after=1, mode=edge)");
}

// ---------------------------------------------------------------- repeat, tile

TEST(Repeat, EachElementNTimes) {
  auto f = theon::function(theon::repeat<2>(x), theon::repeat<2>(A), theon::repeat<2>(A, theon::axis<0>), theon::repeat<3>(A, theon::axis<-1>),
                           theon::repeat<0>(x), theon::repeat<1>(theon::transpose(A), theon::axis<1>));
  const auto acopy = as;
  const auto [twice, flat, rows, columns, none, transposed] = f(x = xs, A = as);
  EXPECT_EQ(twice, (xt::xtensor<double, 1>{1, 1, 2, 2, 3, 3}));
  EXPECT_EQ(flat, (xt::xtensor<double, 1>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6}));  // np.repeat(a, 2): flattened
  EXPECT_EQ(rows, (xt::xtensor<double, 2>{{1, 2, 3}, {1, 2, 3}, {4, 5, 6}, {4, 5, 6}}));
  EXPECT_EQ(columns, (xt::xtensor<double, 2>{{1, 1, 1, 2, 2, 2, 3, 3, 3}, {4, 4, 4, 5, 5, 5, 6, 6, 6}}));
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(transposed, theon_test::eval(theon::transpose(A), A = as));
  EXPECT_EQ(as, acopy);
  EXPECT_EQ(theon_test::eval(theon::repeat<3>(x), x = xt::xtensor<double, 1>{}).size(), 0u);
  static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::repeat<2>(M))>, theon::shape<12>>);
  static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::repeat<2>(M, theon::axis<0>))>, theon::shape<4, 3>>);
  static_assert(std::is_same_v<decltype(theon::repeat<2>(x)), decltype(theon::repeat<2>(x, theon::axis<0>))>);
  EXPECT_EQ(theon::to_string(theon::repeat<2>(x)), "repeat(x, repeats=2)");
  EXPECT_EQ(theon::to_string(theon::repeat<3>(A, theon::axis<-1>)), "repeat(A, repeats=3, axis=1)");
  EXPECT_EQ(theon::to_string(theon::repeat<2>(A)), "repeat(reshape(A, shape=[-1]), repeats=2)");
}

TEST(Tile, TheWholeAxisNTimes) {
  constexpr theon::scalar<"s"> s;
  auto f = theon::function(theon::tile<2>(x), theon::tile<2>(A), theon::tile<2>(A, theon::axis<0>), theon::tile<0>(x), theon::tile<3>(s));
  const auto [twice, last, rows, none, number] = f(x = xs, A = as, s = 7.0);
  EXPECT_EQ(twice, (xt::xtensor<double, 1>{1, 2, 3, 1, 2, 3}));
  EXPECT_EQ(last, (xt::xtensor<double, 2>{{1, 2, 3, 1, 2, 3}, {4, 5, 6, 4, 5, 6}}));  // np.tile(a, 2)
  EXPECT_EQ(rows, (xt::xtensor<double, 2>{{1, 2, 3}, {4, 5, 6}, {1, 2, 3}, {4, 5, 6}}));  // np.tile(a, (2, 1))
  EXPECT_EQ(none.size(), 0u);
  EXPECT_EQ(number, (xt::xtensor<double, 1>{7, 7, 7}));  // np.tile(7.0, 3)
  static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::tile<3>(M))>, theon::shape<2, 9>>);
  static_assert(std::is_same_v<theon::static_shape_t<decltype(theon::tile<2>(S))>, theon::shape<10>>);
  EXPECT_EQ(theon::to_string(theon::tile<2>(A)), "tile(A, reps=2, axis=1)");
}

TEST(RepeatAndTile, TheAdjointSumsTheCopies) {
  const xt::xtensor<double, 1> vs{1, 2, 4, 8, 16, 32};
  auto f = theon::function(theon::grad(theon::sum(v * theon::repeat<2>(x)), x), theon::grad(theon::sum(v * theon::tile<2>(x)), x));
  const auto [repeated, tiled] = f(x = xs, v = vs);
  EXPECT_EQ(repeated, (xt::xtensor<double, 1>{3, 12, 48}));
  EXPECT_EQ(tiled, (xt::xtensor<double, 1>{9, 18, 36}));
  const auto big = theon_test::random_matrix<double>(3, 4, -1, 1, 5);
  const auto w38 = theon_test::random_matrix<double>(3, 8, -1, 1, 6), w94 = theon_test::random_matrix<double>(9, 4, -1, 1, 7);
  constexpr theon::vector<"u"> u;
  const auto u24 = theon_test::random_vector<double>(24, -1, 1, 8);
  for (const auto& report : {theon::check_grad(theon::sum(theon::sin(theon::repeat<2>(A, theon::axis<1>)) * W), A, A = big, W = w38),
                             theon::check_grad(theon::sum(theon::sin(theon::tile<3>(A, theon::axis<0>)) * W), A, A = big, W = w94),
                             theon::check_grad(theon::sum(theon::sin(theon::repeat<2>(A)) * u), A, A = big, u = u24)})
    EXPECT_TRUE(report.ok) << report.to_string();
  const auto second = theon::sum(theon::grad(theon::sum(theon::exp(theon::tile<2>(x) * theon::repeat<2>(x))), x) * x);
  const auto report = theon::check_grad(second, x, x = xs / 4.0);
  EXPECT_TRUE(report.ok) << report.to_string();
  EXPECT_EQ(theon_test::eval(theon::jvp(theon::tile<2>(x), x, v), v = xs), (xt::xtensor<double, 1>{1, 2, 3, 1, 2, 3}));
}

}  // namespace
