// The MPI runner through the package's theon::mpi: its flags find MPI, and a
// sum over sharded rows is completed across the processes (built only: an
// MPI program is started by mpiexec, which tests/mpi/ exercises).
#include <cstdio>

#include <theon/mpi.hpp>

int main(int argc, char** argv) {
  using namespace theon::literals;
  MPI_Init(&argc, &argv);
  constexpr theon::vector<"x"> x;
  auto f = theon::on(theon::mpi(MPI_COMM_WORLD, theon::sharded(x)), theon::function(theon::sum(x * 2_c)));
  const xt::xtensor<double, 1> mine = {1.0, 2.0, 3.0};
  const double s = f(x = mine);
  int processes = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &processes);
  std::printf("%g\n", s);
  MPI_Finalize();
  return s == 12.0 * processes ? 0 : 1;
}
