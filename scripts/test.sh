#!/usr/bin/env bash
# Build and run theon's whole test suite (what CI runs):
#   install missing deps, configure build/ (Release), build -j2, ctest -j2;
#   then the unit tests again under ASan and UBSan (CMake preset `sanitize`,
#   build-sanitize/). SANITIZE=0 skips the second part.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-build}

bash scripts/deps.sh

t0=$(date +%s)
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
      -DTHEON_BUILD_TESTS=ON -DTHEON_BUILD_EXAMPLES=ON
t1=$(date +%s)
# Keep going past a broken test file so CTest still reports everything
# (targets that failed to build show up as failed tests).
keep_going=(-k)
[[ "${CMAKE_GENERATOR:-}" == Ninja* ]] && keep_going=(-k 0)
set +e
cmake --build "$BUILD_DIR" -j "$JOBS" -- "${keep_going[@]}"
build_rc=$?
set -e
t2=$(date +%s)

log="$BUILD_DIR/ctest-output.log"
set +e
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
t3=$(date +%s)

if [[ $build_rc -ne 0 ]]; then
  echo "BUILD FAILED (exit $build_rc): see the compiler errors above" >&2
  [[ $rc -ne 0 ]] || rc=$build_rc
fi

sanitize_log=""
if [[ ${SANITIZE:-1} != 0 ]]; then
  sanitize_log="build-sanitize/ctest-output.log"
  cmake --preset sanitize >/dev/null
  set +e
  cmake --build --preset sanitize -- "${keep_going[@]}"
  sanitize_build_rc=$?
  mkdir -p build-sanitize
  ctest --preset sanitize 2>&1 | tee "$sanitize_log"
  sanitize_rc=${PIPESTATUS[0]}
  set -e
  [[ $sanitize_build_rc -eq 0 ]] || echo "SANITIZER BUILD FAILED (exit $sanitize_build_rc)" >&2
  [[ $rc -ne 0 ]] || rc=$sanitize_build_rc
  [[ $rc -ne 0 ]] || rc=$sanitize_rc
fi
t4=$(date +%s)

echo
echo "configure: $((t1 - t0)) s   build: $((t2 - t1)) s   test: $((t3 - t2)) s   sanitizers (build + unit tests): $((t4 - t3)) s"
# End with CTest's summary lines (repeated) so they are the last thing printed.
summary="tests passed, [0-9]+ tests? failed out of [0-9]+|No tests were found"
grep -E "$summary" "$log" | tail -n 1 || true
[[ -z $sanitize_log ]] || { printf 'sanitizers: '; grep -E "$summary" "$sanitize_log" | tail -n 1 || true; }
exit "$rc"
