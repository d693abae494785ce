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
  source_name=${name#example_}
  source_name=${source_name#cuda_}
  echo "==================== ${name#example_} ===================="
  # What it shows: the opening comment of its source, up to the first blank comment line.
  sed -n '1,/^\/\/ *$\|^[^/]/{/^\/\/ ./s|^// *|  |p}' "examples/${source_name}.cpp"
  echo
  ran=$((ran + 1))
  st=0
  start=$(date +%s%N)
  (cd "$BUILD_DIR/examples" && "./$name") || st=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  printf '(%s ran in %d.%03d s)\n' "$name" $((ms / 1000)) $((ms % 1000))
  if [[ $st -ne 0 ]]; then
    echo "!! $name exited with status $st" >&2
    failed+=("$name")
  fi
  echo
done

echo "examples run: $ran, failed: ${#failed[@]}${failed:+ (${failed[*]})}"
[[ ${#failed[@]} -eq 0 ]]
