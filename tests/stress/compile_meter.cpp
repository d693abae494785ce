// Measures one compile for the stress tests' budgets (docs/testing.md):
//
//   compile_meter <record> <command> <args...>      runs the command (CMake's
//       compile launcher for the stress targets) and writes "<seconds> <MiB>",
//       its wall time and the peak resident memory of the compiler, to <record>
//   compile_meter --check <record> <seconds> <MiB>  fails unless both are
//       within the budget
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace {
int check(const char* record, double budget_seconds, double budget_mib) {
  std::ifstream in(record);
  double seconds = 0, mib = 0;
  if (!(in >> seconds >> mib)) {
    std::fprintf(stderr, "compile_meter: no measurement in %s (was the target built?)\n", record);
    return 1;
  }
  std::printf("compiled in %.1f s with a peak of %.0f MiB (budget %.0f s, %.0f MiB)\n", seconds, mib, budget_seconds,
              budget_mib);
  return seconds <= budget_seconds && mib <= budget_mib ? 0 : 1;
}

int measure(const char* record, char** command) {
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = fork();
  if (child == 0) {
    execvp(command[0], command);
    std::perror("compile_meter: exec");
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (child < 0 || wait4(child, &status, 0, &usage) < 0) {
    std::perror("compile_meter");
    return 1;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::ofstream(record) << seconds << ' ' << static_cast<double>(usage.ru_maxrss) / 1024 << '\n';
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc == 5 && std::strcmp(argv[1], "--check") == 0) return check(argv[2], std::atof(argv[3]), std::atof(argv[4]));
  if (argc >= 3 && argv[1][0] != '-') return measure(argv[1], argv + 2);
  std::fprintf(stderr, "usage: compile_meter <record> <command...> | compile_meter --check <record> <seconds> <MiB>\n");
  return 2;
}
