#!/usr/bin/env bash
# README's second command and CI's: installs what is needed, checks format and clang-tidy,
# builds, and runs every test — unit tests in a release build and under ASan/UBSan, then the
# black-box API suite against a real kaiwa of each build, then the web client's typecheck, unit
# tests and its browser tests (Debian's chromium) against the release kaiwa.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh --test
tools/format.sh --check

cmake --preset release -DKAIWA_BUILD_TESTS=ON >/dev/null
tools/tidy.sh build
cmake --build --preset release
ctest --preset release --label-regex unit

cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev --label-regex unit

# Every parser of untrusted input under libFuzzer (clang, ASan/UBSan), seeded from the repo.
FUZZ_SECONDS=30 tools/fuzz.sh

(cd tests/api && npm ci --no-audit --no-fund --loglevel=error)
KAIWA_BIN="$PWD/build/kaiwa" node --test --test-concurrency=1 tests/api/
# The same suite against the sanitized server: a memory error aborts it, failing the tests.
ASAN_OPTIONS=abort_on_error=1:detect_leaks=0 KAIWA_BIN="$PWD/build-dev/kaiwa" \
  node --test --test-concurrency=1 tests/api/

# The web client: types, unit tests (vitest), a build, then the browser against a real kaiwa.
tools/build-web.sh
(cd web && npm run --silent typecheck && npx vitest run)
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
KAIWA_BIN="$PWD/build/kaiwa" node --test --test-concurrency=1 tests/e2e/
