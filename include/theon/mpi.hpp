#pragma once
// theon over MPI: everything in theon.hpp, plus theon::on(theon::mpi(comm,
// theon::sharded(X, y)), f), which runs f data-parallel over the processes
// of comm (docs/distributed.md). Needs an MPI implementation (Open MPI:
// libopenmpi-dev); link theon::mpi.
#include "theon/theon.hpp"
#include "theon/api/mpi_function.hpp"
