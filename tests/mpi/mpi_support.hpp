#pragma once
// What the MPI tests share: this process's rank, its rows of a data set the
// same on every process, comparisons with the single-process result, a
// check that every process holds the same bits, and a main that agrees on
// one verdict for all processes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include <xtensor/xtensor.hpp>
#include <xtensor/xview.hpp>

#include <theon/mpi.hpp>

namespace theon_mpi_test {

inline int rank() {
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}
inline int processes() {
  int n = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

// Rows [first, last) of n for this process: process p gets a share
// proportional to p + 1, or to p where a process may hold none (process 0,
// when there are several); with one process, all of them.
struct shard {
  std::size_t first, last;
};
inline shard my_rows(std::size_t n, bool may_be_empty = true) {
  const std::size_t p = static_cast<std::size_t>(processes()), r = static_cast<std::size_t>(rank());
  const std::size_t extra = may_be_empty && p > 1 ? 0 : 1;
  auto share_before = [&](std::size_t q) { return q * (q - 1) / 2 + q * extra; };
  return {n * share_before(r) / share_before(p), n * share_before(r + 1) / share_before(p)};
}

inline xt::xtensor<double, 2> full_matrix(std::size_t n, std::size_t k) {
  xt::xtensor<double, 2> x = xt::zeros<double>({n, k});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) x(i, j) = std::sin(0.7 * static_cast<double>(i * k + j) + 0.3);
  return x;
}
inline xt::xtensor<double, 1> full_labels(std::size_t n) {
  xt::xtensor<double, 1> y = xt::zeros<double>({n});
  for (std::size_t i = 0; i < n; ++i) y(i) = static_cast<double>((i * 7) % 3 == 0);
  return y;
}
inline xt::xtensor<double, 2> rows_of(const xt::xtensor<double, 2>& x, shard s) {
  return xt::view(x, xt::range(s.first, s.last), xt::all());
}
inline xt::xtensor<double, 1> rows_of(const xt::xtensor<double, 1>& x, shard s) { return xt::view(x, xt::range(s.first, s.last)); }

inline void expect_close(double got, double want, const char* what) {
  EXPECT_NEAR(got, want, 1e-12 * std::max(1.0, std::abs(want))) << what << " on rank " << rank();
}
template <class A, class B>
void expect_close_all(const A& got, const B& want, const char* what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i) expect_close(got.flat(i), want.flat(i), what);
}

// Whether every process holds the same bits.
inline bool same_everywhere(const void* data, std::size_t bytes) {
  std::vector<unsigned char> mine(static_cast<const unsigned char*>(data), static_cast<const unsigned char*>(data) + bytes);
  std::vector<unsigned char> root = mine;
  MPI_Bcast(root.data(), static_cast<int>(bytes), MPI_UNSIGNED_CHAR, 0, MPI_COMM_WORLD);
  int same = mine == root, all = 0;
  PMPI_Allreduce(&same, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
  return all == 1;
}
inline bool same_everywhere(double v) { return same_everywhere(&v, sizeof v); }

// GoogleTest on every process; the program fails when a test failed on any.
inline int run_all_tests(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  testing::InitGoogleTest(&argc, argv);
  const int failed = RUN_ALL_TESTS();
  int any_failed = 0;
  PMPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Finalize();
  return any_failed;
}

}  // namespace theon_mpi_test
