#!/usr/bin/env bash
# Installs what Kaiwa needs from Debian's packages (Debian 12). Idempotent: installs only what is
# missing, so it costs nothing on a prepared machine.
#   tools/install-deps.sh          build and run
#   tools/install-deps.sh --test   also what the tests and benchmarks need
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev libsqlite3-dev libssl-dev rapidjson-dev libcli11-dev libspdlog-dev libfmt-dev
  libargon2-dev libgroonga-dev prometheus-cpp-dev
)
# The web client is built with npm (Vite); Debian's Node 18 will do.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(libgtest-dev libgmock-dev libbenchmark-dev clang-format clang-tidy wrk curl nats-server libnats-dev)
  # The fuzz targets (tests/fuzz) are built by clang with libFuzzer, which libclang-rt ships.
  packages+=(clang libclang-rt-14-dev)
  # The web client's browser tests drive Debian's chromium (playwright-core, no bundled browser);
  # the CJK font makes the Japanese screenshots legible.
  packages+=(chromium fonts-noto-cjk)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then
  sudo="sudo"
fi
echo "installing: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
