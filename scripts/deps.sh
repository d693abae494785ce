#!/usr/bin/env bash
# Install theon's build/test dependencies on Debian/Ubuntu, only what is missing.
#   bash scripts/deps.sh            required packages
#   bash scripts/deps.sh --bench    also the optional benchmark comparisons (Eigen)
# Runs apt-get as root, through sudo when not root. `apt-get update` runs only
# when something has to be installed.
set -euo pipefail

required=(g++ cmake make libboost-dev xtensor-dev libxsimd-dev libgtest-dev libbenchmark-dev libthrust-dev libopenblas-dev librandom123-dev libopenmpi-dev openmpi-bin)
optional=()
for arg in "$@"; do
  case "$arg" in
    --bench) optional+=(libeigen3-dev) ;;
    *) echo "deps.sh: unknown argument '$arg'" >&2; exit 2 ;;
  esac
done

# Is a package's content already present (from the package or otherwise)?
present() {
  local pkg=$1
  if command -v dpkg >/dev/null 2>&1 &&
     dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    return 0
  fi
  # Installed some other way (tarball, source build, toolkit)?
  case "$pkg" in
    g++)              command -v g++ >/dev/null 2>&1 ;;
    cmake)            command -v cmake >/dev/null 2>&1 ;;
    make)             command -v make >/dev/null 2>&1 || command -v ninja >/dev/null 2>&1 ;;
    libboost-dev)     [[ -f /usr/include/boost/hana.hpp || -f /usr/local/include/boost/hana.hpp ]] ;;
    xtensor-dev)      present libxtensor-dev || [[ -f /usr/include/xtensor/xtensor.hpp || -f /usr/local/include/xtensor/xtensor.hpp ]] ;;
    libxsimd-dev)     [[ -f /usr/include/xsimd/xsimd.hpp || -f /usr/local/include/xsimd/xsimd.hpp ]] ;;
    libgtest-dev)     compgen -G "/usr/lib/*/cmake/GTest/GTestConfig.cmake" >/dev/null ||
                      compgen -G "/usr/local/lib*/cmake/GTest/GTestConfig.cmake" >/dev/null ;;
    libbenchmark-dev) compgen -G "/usr/lib/*/cmake/benchmark/benchmarkConfig.cmake" >/dev/null ||
                      compgen -G "/usr/local/lib*/cmake/benchmark/benchmarkConfig.cmake" >/dev/null ;;
    # OpenBLAS for the CPU runner's products (another BLAS's cblas.h is not it).
    libopenblas-dev)  compgen -G "/usr/include/*/openblas*/cblas.h" >/dev/null || [[ -f /usr/include/openblas/cblas.h ]] ;;
    librandom123-dev) [[ -f /usr/include/Random123/philox.h || -f /usr/local/include/Random123/philox.h ]] ;;
    # MPI for the MPI runner (theon/mpi.hpp): its headers and its launcher.
    libopenmpi-dev)   command -v mpicxx >/dev/null 2>&1 ;;
    openmpi-bin)      command -v mpiexec >/dev/null 2>&1 ;;
    libeigen3-dev)    [[ -f /usr/include/eigen3/Eigen/Core || -f /usr/local/include/eigen3/Eigen/Core ]] ;;
    # The Thrust runner: CUDA's CCCL when the toolkit is there, else Debian's package.
    libthrust-dev)    [[ -f /usr/local/cuda/include/cccl/thrust/version.h || -f /usr/local/cuda/include/thrust/version.h ||
                         -f /usr/include/thrust/version.h ]] ;;
    *)                return 1 ;;
  esac
}

missing=()
for p in "${required[@]}"; do present "$p" || missing+=("$p"); done
opt_missing=()
for p in "${optional[@]}"; do present "$p" || opt_missing+=("$p"); done

all_missing=("${missing[@]}" "${opt_missing[@]}")
if [[ ${#all_missing[@]} -eq 0 ]]; then
  echo "deps: all present (${required[*]}${optional[*]:+ ${optional[*]}})"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "deps: missing ${all_missing[*]}; run as root:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends ${all_missing[*]}" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "deps: installing ${all_missing[*]}"
"${SUDO[@]}" apt-get update -q
if [[ ${#missing[@]} -gt 0 ]]; then
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
if [[ ${#opt_missing[@]} -gt 0 ]]; then
  "${SUDO[@]}" apt-get install -y -q --no-install-recommends "${opt_missing[@]}" ||
    echo "deps: optional ${opt_missing[*]} not installed (benchmarks skip those comparisons)" >&2
fi
