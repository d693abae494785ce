#pragma once
// The collectives the MPI runner needs, on one communicator: the only place
// that includes <mpi.h>. An MPI error aborts the job (MPI's default handler);
// nothing here retries or hides one.
#include <mpi.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "theon/plan/sharding.hpp"

namespace theon {

class communicator {
  MPI_Comm comm_;

  static MPI_Op operation(completion how) {
    switch (how) {
      case completion::prod: return MPI_PROD;
      case completion::max: return MPI_MAX;
      case completion::min: return MPI_MIN;
      default: return MPI_SUM;  // sum, and a mean's sum and count
    }
  }

 public:
  explicit communicator(MPI_Comm comm) : comm_(comm) {}

  MPI_Comm handle() const { return comm_; }

  // MPI must be running: a call outside MPI_Init .. MPI_Finalize is a logic error, not a crash.
  static void require_running() {
    int started = 0, finished = 0;
    MPI_Initialized(&started);
    MPI_Finalized(&finished);
    if (!started || finished)
      throw std::logic_error("theon::mpi: MPI is not running; call MPI_Init before, and MPI_Finalize after, the calls");
  }

  int rank() const {
    int r = 0;
    MPI_Comm_rank(comm_, &r);
    return r;
  }
  int size() const {
    int n = 0;
    MPI_Comm_size(comm_, &n);
    return n;
  }

  // Every process's `mine` (the same length on each), concatenated in rank order.
  void allgather(const std::vector<std::uint64_t>& mine, std::vector<std::uint64_t>& all) const {
    all.resize(mine.size() * static_cast<std::size_t>(size()));
    MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_UINT64_T, all.data(), static_cast<int>(mine.size()),
                  MPI_UINT64_T, comm_);
  }

  // `text` as process `root` has it, on every process.
  void broadcast(std::string& text, int root) const {
    unsigned long long length = text.size();
    MPI_Bcast(&length, 1, MPI_UNSIGNED_LONG_LONG, root, comm_);
    text.resize(length);
    MPI_Bcast(text.data(), static_cast<int>(length), MPI_CHAR, root, comm_);
  }

  // values[i] combined across processes, in place, on every process.
  template <class T>
  void allreduce(std::vector<T>& values, completion how) const {
    static_assert(std::is_same_v<T, double> || std::is_same_v<T, std::int64_t>);
    if (values.empty()) return;
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()),
                  std::is_same_v<T, double> ? MPI_DOUBLE : MPI_INT64_T, operation(how), comm_);
  }
};

}  // namespace theon
