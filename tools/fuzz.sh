#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz, the `fuzz` preset: clang + ASan/UBSan) and runs each
# for FUZZ_SECONDS (default 30), starting from its seeds in tests/fuzz/corpus/<target>/. New
# inputs the fuzzer finds go to build-fuzz/corpus/ (kept between runs, never into the repo); a
# crash, leak, timeout or broken property stops with the input saved in build-fuzz/artifacts/.
#
# Usage: tools/fuzz.sh [target...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-30}"
cmake --preset fuzz >/dev/null
# Lints the targets here: tools/tidy.sh's build dir does not compile them.
for file in tests/fuzz/*.cc; do
  clang-tidy -p build-fuzz --quiet "$file"
done
cmake --build --preset fuzz

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  mapfile -t targets < <(ls tests/fuzz/corpus)
fi
mkdir -p build-fuzz/artifacts
for target in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$target"
  echo "fuzz: $target for ${seconds}s"
  # -timeout: one input may take at most 10 s (every parser promises linear time);
  # -rss_limit_mb: a parser that buffers without bound fails here rather than in production.
  # grep hides libFuzzer's progress lines; the fuzzer's own exit status decides.
  set +e
  "build-fuzz/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="build-fuzz/artifacts/$target-" \
    "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target" 2>&1 |
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)|==[0-9]+==|SUMMARY|ERROR|deadly signal|Test unit written|^    #[0-9]+ '
  status="${PIPESTATUS[0]}"
  set -e
  if [[ "$status" -ne 0 ]]; then
    echo "fuzz: $target failed; reproduce with build-fuzz/fuzz/$target build-fuzz/artifacts/$target-*" >&2
    exit 1
  fi
done
