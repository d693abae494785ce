// The MPI runner, run as CTests under mpirun with 1, 2 and 4 processes: each
// process binds its own rows (shards of different lengths, one of them empty
// with 4 processes) and must get what one process gets from all the rows,
// the same bits on every process.
#include <string>

#include "mpi_support.hpp"

using namespace theon::literals;

// The profiling interface counts the collectives each call makes.
namespace {
int allreduce_calls = 0;
int allgather_calls = 0;
}  // namespace
extern "C" int MPI_Allreduce(const void* send, void* receive, int count, MPI_Datatype type, MPI_Op op, MPI_Comm comm) {
  ++allreduce_calls;
  return PMPI_Allreduce(send, receive, count, type, op, comm);
}
extern "C" int MPI_Allgather(const void* send, int send_count, MPI_Datatype send_type, void* receive, int receive_count,
                             MPI_Datatype receive_type, MPI_Comm comm) {
  ++allgather_calls;
  return PMPI_Allgather(send, send_count, send_type, receive, receive_count, receive_type, comm);
}

namespace {

using namespace theon_mpi_test;

constexpr theon::matrix<"X", double> X;
constexpr theon::vector<"y", double> y;
constexpr theon::vector<"w", double> w;
constexpr theon::scalar<"b", double> b;

const auto logit = theon::matmul(X, w) + b;
const auto loss = theon::mean(theon::softplus(logit) - y * logit);

TEST(Runner, LogisticLossAndGradientsAreGlobal) {
  const std::size_t n = 37, k = 5;
  const auto Xa = full_matrix(n, k);
  const auto ya = full_labels(n);
  const xt::xtensor<double, 1> wa = {0.3, -0.2, 0.1, 0.05, -0.4};
  auto f = theon::function(loss, theon::grad(loss, w), theon::grad(loss, b));
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)), f);
  const auto [l, gw, gb] = f(X = Xa, y = ya, w = wa, b = 0.2);
  const shard s = my_rows(n);
  const auto [l_p, gw_p, gb_p] = g(X = rows_of(Xa, s), y = rows_of(ya, s), w = wa, b = 0.2);
  expect_close(l_p, l, "loss");
  expect_close_all(gw_p, gw, "gradient in w");
  expect_close(gb_p, gb, "gradient in b");
  EXPECT_TRUE(same_everywhere(l_p));
  EXPECT_TRUE(same_everywhere(gw_p.data(), gw_p.size() * sizeof(double)));
}

TEST(Runner, OneAllreduceCompletesALossAndItsGradients) {
  const std::size_t n = 20, k = 5;
  const auto Xa = full_matrix(n, k);
  const auto ya = full_labels(n);
  const xt::xtensor<double, 1> wa = {0.3, -0.2, 0.1, 0.05, -0.4};
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)),
                     theon::function(loss, theon::grad(loss, w), theon::grad(loss, b)));
  const shard s = my_rows(n);
  const auto Xs = rows_of(Xa, s);
  const auto ys = rows_of(ya, s);
  (void)g(X = Xs, y = ys, w = wa, b = 0.0);
  allreduce_calls = allgather_calls = 0;
  (void)g(X = Xs, y = ys, w = wa, b = 0.0);
  EXPECT_EQ(allreduce_calls, 1) << "the loss, its count and both gradients travel in one message";
  EXPECT_EQ(allgather_calls, 1) << "one agreement on the shapes";
}

TEST(Runner, ReductionsOverTheShardedAxis) {
  const std::size_t n = 23, k = 4;
  const auto Xa = full_matrix(n, k);
  auto f = theon::function(theon::sum(X, theon::axis<0>), theon::mean(X, theon::axis<0>), theon::max(X, theon::axis<0>),
                                 theon::min(X), theon::logsumexp(X, theon::axis<0>), theon::prod(1_c + 0.1_c * X),
                                 theon::mean(X, theon::axis<1>), theon::sum(theon::square(X - theon::mean(X))));
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X)), f);
  const shard s = my_rows(n, false);  // max and min need an element on every process
  const auto [sum0, mean0, max0, min_all, lse0, prod_all, mean1, centred] = f(X = Xa);
  const auto [sum0_p, mean0_p, max0_p, min_p, lse0_p, prod_p, mean1_p, centred_p] = g(X = rows_of(Xa, s));
  expect_close_all(sum0_p, sum0, "sum over rows");
  expect_close_all(mean0_p, mean0, "mean over rows (the global count)");
  expect_close_all(max0_p, max0, "max over rows");
  expect_close(min_p, min_all, "min of everything");
  expect_close_all(lse0_p, lse0, "logsumexp over rows (max, then sum)");
  expect_close(prod_p, prod_all, "prod");
  expect_close_all(mean1_p, xt::xtensor<double, 1>(xt::view(mean1, xt::range(s.first, s.last))), "mean of each row stays local");
  expect_close(centred_p, centred, "a reduction reading a completed one");
  // A process without rows has no max: every process says so.
  if (processes() > 1) {
    EXPECT_THROW((void)g(X = rows_of(Xa, my_rows(n))), theon::shape_error);
  }
}

TEST(Runner, ContractionsOverTheShardedAxisAndEmptyShards) {
  const std::size_t n = 9, k = 3;
  const auto Xa = full_matrix(n, k);
  const auto ya = full_labels(n);
  const auto e = theon::tanh(theon::matmul(X, w)) - y;
  auto f = theon::function(theon::matmul(theon::transpose(X), e), theon::dot(y, y), theon::matmul(X, w),
                                 theon::grad(theon::mean(theon::square(e)), w));
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)), f);
  const xt::xtensor<double, 1> wa = {0.5, -1.0, 0.25};
  const auto [xte, yy, xw, grad_w] = f(X = Xa, y = ya, w = wa);
  const shard s = my_rows(n);
  const auto [xte_p, yy_p, xw_p, grad_w_p] = g(X = rows_of(Xa, s), y = rows_of(ya, s), w = wa);
  expect_close_all(xte_p, xte, "matmul(transpose(X), e)");
  expect_close(yy_p, yy, "dot(y, y)");
  expect_close_all(xw_p, rows_of(xw, s), "matmul(X, w) keeps the rows local");
  expect_close_all(grad_w_p, grad_w, "the gradient of a mean");
}

TEST(Runner, UpdatesKeepReplicatedStateIdentical) {
  const std::size_t n = 40, k = 5;
  const auto Xa = full_matrix(n, k);
  const auto ya = full_labels(n);
  constexpr auto rate = 0.5_c;
  auto step = theon::function(loss, theon::updates(w, w - rate * theon::grad(loss, w), b, b - rate * theon::grad(loss, b)));
  auto step_p = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)), step);
  xt::xtensor<double, 1> w_one = xt::zeros<double>({k}), w_p = w_one;
  double b_one = 0, b_p = 0;
  const shard s = my_rows(n);
  const auto Xs = rows_of(Xa, s);
  const auto ys = rows_of(ya, s);
  double l_one = 0, l_p = 0;
  for (int i = 0; i < 100; ++i) {
    l_one = step(X = Xa, y = ya, w = w_one, b = b_one);
    l_p = step_p(X = Xs, y = ys, w = w_p, b = b_p);
  }
  EXPECT_TRUE(same_everywhere(w_p.data(), k * sizeof(double))) << "w after 100 steps";
  EXPECT_TRUE(same_everywhere(b_p)) << "b after 100 steps";
  EXPECT_NEAR(l_p, l_one, 1e-10 * l_one);
  for (std::size_t j = 0; j < k; ++j) EXPECT_NEAR(w_p(j), w_one(j), 1e-10);
  EXPECT_NEAR(b_p, b_one, 1e-10);
}

TEST(Runner, IntoTheCallersArrays) {
  const std::size_t n = 12, k = 3;
  const auto Xa = full_matrix(n, k);
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X)),
                     theon::function(theon::sum(X, theon::axis<0>), theon::mean(theon::exp(X))));
  const shard s = my_rows(n);
  xt::xtensor<double, 1> column_sums = xt::zeros<double>({k});
  double mean_exp = 0;
  g.into(column_sums, mean_exp)(X = rows_of(Xa, s));
  expect_close_all(column_sums, xt::xtensor<double, 1>(xt::sum(Xa, {0})), "into: column sums");
  expect_close(mean_exp, xt::mean(xt::exp(Xa))(), "into: mean");
}

// A shape error on one process is the same error on every process, and no process hangs.
TEST(Faults, ShapeErrorOnOneProcessIsThrownOnEvery) {
  const std::size_t n = 8, k = 3;
  const auto Xa = full_matrix(n, k);
  const auto ya = full_labels(n);
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X, y)), theon::function(loss));
  const shard s = my_rows(n);
  const bool last = rank() == processes() - 1;
  const auto ys = last ? rows_of(ya, {s.first, s.last - 1}) : rows_of(ya, s);  // one label short there
  std::string message;
  try {
    (void)g(X = rows_of(Xa, s), y = ys, w = xt::xtensor<double, 1>{1.0, 2.0, 3.0}, b = 0.0);
  } catch (const theon::shape_error& e) {
    message = e.what();
  }
  EXPECT_NE(message.find("theon::mpi: on rank " + std::to_string(processes() - 1)), std::string::npos) << message;
  EXPECT_NE(message.find("do not broadcast"), std::string::npos) << message;
  EXPECT_TRUE(same_everywhere(message.data(), message.size()));
  // The next call, with good bindings, runs on every process.
  EXPECT_NO_THROW((void)g(X = rows_of(Xa, s), y = rows_of(ya, s), w = xt::xtensor<double, 1>{1.0, 2.0, 3.0}, b = 0.0));
}

TEST(Faults, ReplicatedInputBoundDifferently) {
  constexpr theon::vector<"offsets", double> offsets;
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(y)), theon::function(theon::sum(y) + theon::sum(offsets)));
  const xt::xtensor<double, 1> mine = xt::ones<double>({static_cast<std::size_t>(rank() + 2)});
  const auto ys = rows_of(full_labels(6), my_rows(6));
  if (processes() == 1) {  // nothing to disagree with
    EXPECT_NO_THROW((void)g(y = ys, offsets = mine));
    return;
  }
  try {
    (void)g(y = ys, offsets = mine);
    ADD_FAILURE() << "a replicated input bound with different shapes was accepted";
  } catch (const theon::shape_error& e) {
    EXPECT_STREQ(e.what(), ("theon::mpi: rank 1 binds 'offsets' with shape (3), rank 0 with (2) (an input not in "
                            "sharded(...) is replicated: every process binds the same)"));
  }
  // Shards differ in their rows only.
  const auto Xa = full_matrix(4, static_cast<std::size_t>(rank() + 2));
  auto h = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X)), theon::function(theon::sum(X)));
  EXPECT_THROW((void)h(X = Xa), theon::shape_error);
}

}  // namespace

int main(int argc, char** argv) { return theon_mpi_test::run_all_tests(argc, argv); }
