// A gather across the sharded rows cannot run on one process's rows: the MPI
// runner refuses it at compile time, the op named in the instantiation.
// expect: theon::mpi: an op reads across the sharded axis
// expect: take
#include <theon/mpi.hpp>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  constexpr theon::matrix<"X"> X;
  constexpr theon::vector<"rows", std::int64_t> rows;
  auto f = theon::function(theon::sum(theon::take(X, rows)));
  auto g = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(X)), f);
  (void)g;
  MPI_Finalize();
}
