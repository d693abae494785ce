#!/usr/bin/env bash
# Build every examples/*.cpp and run each example_* in turn.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-build}

bash scripts/deps.sh
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DTHEON_BUILD_EXAMPLES=ON
cmake --build "$BUILD_DIR" -j "$JOBS" --target theon_examples

# example_cuda_* (built by nvcc) need a GPU.
gpu=0
nvidia-smi -L >/dev/null 2>&1 && gpu=1

shopt -s nullglob
failed=()
ran=0
for exe in "$BUILD_DIR"/examples/example_*; do
  [[ -f "$exe" && -x "$exe" ]] || continue
  name=$(basename "$exe")
  if [[ $name == example_cuda_* && $gpu -eq 0 ]]; then
    echo "(${name}: built by nvcc; no GPU here to run it)"
    continue
  fi
  echo "==================== ${name#example_} ($name) ===================="
  ran=$((ran + 1))
  st=0
  "$exe" || st=$?
  if [[ $st -ne 0 ]]; then
    echo "!! $name exited with status $st" >&2
    failed+=("$name")
  fi
  echo
done

echo "examples run: $ran, failed: ${#failed[@]}${failed:+ (${failed[*]})}"
[[ ${#failed[@]} -eq 0 ]]
