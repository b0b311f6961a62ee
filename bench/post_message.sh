#!/usr/bin/env bash
# Benchmark W1 (shared/performance.md): durable POST /v2/rooms/{id}/messages at 1, 16 and 64
# keep-alive connections, beside GET /healthz — a bare 200 through the same listener, router and
# worker hop — in the same run, as the stack's ceiling. Server pinned to CPU 1, wrk to CPU 0.
# Prints a Markdown table; usage: bench/post_message.sh [seconds-per-run]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-10}"
bin="${KAIWA_BIN:-build/kaiwa}"
[[ -x "$bin" ]] || { echo "build kaiwa first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: tools/install-deps.sh --test" >&2; exit 1; }

data=$(mktemp -d)
trap 'kill "$server_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT
org=$("$bin" admin --data "$data" org create --name Bench | sed -E 's/.*:([0-9]+)}/\1/')
poster=$("$bin" admin --data "$data" account create --org "$org" --name Poster --email p@bench.example)
"$bin" admin --data "$data" account create --org "$org" --name Reader --email r@bench.example >/dev/null
export KAIWA_TOKEN=$(echo "$poster" | sed -E 's/.*"api_token":"([^"]+)".*/\1/')

${KAIWA_SERVER_PIN:-taskset -c 1} "$bin" serve --data "$data" --listen 127.0.0.1:0 --rate-limit 1000000000 ${KAIWA_SERVE_ARGS:-} \
  >"$data/ready" 2>"$data/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q ready "$data/ready" 2>/dev/null && break; sleep 0.05; done
url=$(sed -E 's/.*"url":"([^"]+)".*/\1/' "$data/ready")
export KAIWA_ROOM=$(curl -sf -X POST "$url/v2/rooms" -H "X-ChatWorkToken: $KAIWA_TOKEN" \
  -d "name=bench&members_admin_ids=1&members_member_ids=2" | sed -E 's/.*:([0-9]+)}/\1/')

cpu_seconds() { awk '{print ($14 + $15) / 100}' "/proc/$server_pid/stat"; }

run() {  # run NAME CONNECTIONS [wrk args...]
  local name=$1 connections=$2
  shift 2
  local before after out
  before=$(cpu_seconds)
  out=$(${KAIWA_CLIENT_PIN:-taskset -c 0} wrk -t1 -c"$connections" -d"${seconds}s" --latency "$@")
  after=$(cpu_seconds)
  local rps p50 p99 requests
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  local cpu_per_k
  cpu_per_k=$(awk -v a="$after" -v b="$before" -v n="$requests" 'BEGIN {printf "%.3f", (a - b) * 1000 / n}')
  printf '| %s | %s | %.0f | %s | %s | %s |\n' "$name" "$connections" "$rps" "$p50" "$p99" "$cpu_per_k"
}

echo "| workload | connections | requests/s | p50 | p99 | server CPU s / 1k req |"
echo "|---|---|---|---|---|---|"
for c in 1 16 64; do
  run "GET /healthz (ceiling)" "$c" "$url/healthz"
  run "POST message, durable" "$c" -s bench/load/post_message.lua "$url"
done
echo
echo "messages stored: $(sqlite3 "$data/kaiwa.db" 'SELECT COUNT(*) FROM messages' 2>/dev/null || echo '?')"
