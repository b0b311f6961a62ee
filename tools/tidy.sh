#!/usr/bin/env bash
# Lints the C++ sources with clang-tidy and the repo's .clang-tidy (CI gate: every finding
# is an error). Runs one clang-tidy per src/ and tests/ .cc file, in parallel on all cores;
# headers are checked through the files that include them.
#
# Usage: tools/tidy.sh [build-dir]   (default: build)
# The build dir needs a compile_commands.json that includes the tests:
#   cmake --preset release -DKAIWA_BUILD_TESTS=ON
# Prints the findings and exits non-zero if there are any.
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir="${1:-build}"
if [[ ! -f "$build_dir/compile_commands.json" ]]; then
  echo "tidy.sh: no $build_dir/compile_commands.json;" \
    "run: cmake --preset release -DKAIWA_BUILD_TESTS=ON" >&2
  exit 2
fi
export build_dir

# Checks one file and prints its output in one piece, so parallel runs don't interleave.
# Boost 1.74 turns on co_await for clang only with libc++'s <experimental/coroutine>; g++
# turns it on itself, so the define just lets clang parse edge/'s coroutines as g++ does.
tidy_one() {
  local out
  if ! out="$(clang-tidy -p "$build_dir" --quiet \
    --extra-arg=-DBOOST_ASIO_HAS_CO_AWAIT=1 "$1" 2>&1)"; then
    printf '%s\n' "$out"
    return 1
  fi
}
export -f tidy_one

# tests/fuzz is built by clang in its own build dir; tools/fuzz.sh lints it against that one.
if find src tests -name '*.cc' -not -path '*/node_modules/*' -not -path 'tests/fuzz/*' -print0 | sort -z |
  xargs -0 -n 1 -P "$(nproc)" bash -c 'tidy_one "$1"' tidy_one; then
  echo "tidy.sh: clean"
else
  echo "tidy.sh: clang-tidy reported findings (see above)" >&2
  exit 1
fi
