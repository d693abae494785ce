#!/usr/bin/env bash
# Random expression tests beyond the seeds CI runs:
#   bash scripts/random_tests.sh [first seed (100)] [files (8)] [expressions per file (4)]
# Each file is one seed; a failure prints the expression (tests/random/). Where
# Thrust and OpenMP are found, each expression also runs on the Thrust runner.
set -euo pipefail
cd "$(dirname "$0")/.."

first=${1:-100}
files=${2:-8}
count=${3:-4}
dir=${BUILD_DIR:-build-random}

bash scripts/deps.sh
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DTHEON_BUILD_EXAMPLES=OFF -DTHEON_CUDA=OFF \
  -DTHEON_RANDOM_SEED="$first" -DTHEON_RANDOM_FILES="$files" -DTHEON_RANDOM_COUNT="$count"
targets=()
for ((seed = first; seed < first + files; ++seed)); do targets+=("test_random_seed_$seed"); done
cmake --build "$dir" -j "${JOBS:-2}" --target "${targets[@]}"
ctest --test-dir "$dir" -R '^random_seed_' -j "${JOBS:-2}" --output-on-failure
