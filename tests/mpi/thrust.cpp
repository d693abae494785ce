// The MPI runner around the Thrust runner (here on Thrust's OMP system):
// theon::on(theon::mpi(...), theon::on(thrust::device, f)) gives what f gives
// over all the rows, with inputs, results and updated state in device memory.
#include <theon/thrust.hpp>

#include "mpi_support.hpp"

using namespace theon::literals;

namespace {

using namespace theon_mpi_test;

constexpr theon::matrix<"X", double> X;
constexpr theon::vector<"y", double> y;
constexpr theon::vector<"w", double> w;

const auto logit = theon::matmul(X, w);
const auto loss = theon::mean(theon::softplus(logit) - y * logit);

TEST(Thrust, LossGradientAndRowsOverProcesses) {
  const std::size_t n = 29, k = 4;
  const auto Xa = full_matrix(n, k);
  const auto ya = full_labels(n);
  const xt::xtensor<double, 1> wa = {0.3, -0.2, 0.1, 0.05};
  auto f = theon::function(loss, theon::grad(loss, w), theon::max(X, theon::axis<0>), theon::sigmoid(logit));
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)), theon::on(thrust::device, f));
  const auto [l, gw, column_max, p] = f(X = Xa, y = ya, w = wa);
  const shard s = my_rows(n, false);
  const auto X_d = theon::to_device(rows_of(Xa, s));  // device memory, read in place
  const auto [l_p, gw_d, column_max_d, p_d] = g(X = X_d, y = rows_of(ya, s), w = wa);
  expect_close(l_p, l, "loss");
  expect_close_all(theon::to_host(gw_d), gw, "gradient");
  expect_close_all(theon::to_host(column_max_d), column_max, "max over rows");
  expect_close_all(theon::to_host(p_d), rows_of(p, s), "each process's rows");
}

TEST(Thrust, DeviceStateUpdatedIdentically) {
  const std::size_t n = 24, k = 4;
  const auto Xa = full_matrix(n, k);
  const auto ya = full_labels(n);
  auto step = theon::function(loss, theon::updates(w, w - 0.5_c * theon::grad(loss, w)));
  auto step_p = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)), theon::on(thrust::device, step));
  const shard s = my_rows(n);
  const auto Xs = rows_of(Xa, s);
  const auto ys = rows_of(ya, s);
  xt::xtensor<double, 1> w_one = xt::zeros<double>({k});
  auto w_d = theon::to_device(w_one);
  for (int i = 0; i < 50; ++i) {
    (void)step(X = Xa, y = ya, w = w_one);
    (void)step_p(X = Xs, y = ys, w = w_d);
  }
  const xt::xtensor<double, 1> w_p = theon::to_host(w_d);
  EXPECT_TRUE(same_everywhere(w_p.data(), k * sizeof(double)));
  for (std::size_t j = 0; j < k; ++j) EXPECT_NEAR(w_p(j), w_one(j), 1e-10);
}

}  // namespace

int main(int argc, char** argv) { return theon_mpi_test::run_all_tests(argc, argv); }
