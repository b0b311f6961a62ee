#!/usr/bin/env bash
# Issue 4's indexing-cost target: durable posting (W1, bench/post_message.sh) must not lose more
# than 10 % of its throughput while the search index keeps up. Runs W1 at one connection count
# with `kaiwa serve --search off` and with search on (the default: Groonga in <data>/search),
# alternating, ROUNDS times each, a fresh server and data directory per run. With search on it
# also says how far the index was behind when the load stopped and how long it took to catch up.
# Server pinned to CPU 1 (the indexing thread shares it), wrk to CPU 0, as in post_message.sh.
#
# usage: bench/search_posting.sh [seconds-per-run]
#   CONNECTIONS=64 ROUNDS=3   KAIWA_SERVER_PIN=" " KAIWA_CLIENT_PIN=" " to unpin
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-8}"
connections="${CONNECTIONS:-64}"
rounds="${ROUNDS:-3}"
bin="${KAIWA_BIN:-build/kaiwa}"
[[ -x "$bin" ]] || { echo "build kaiwa first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk missing: tools/install-deps.sh --test" >&2; exit 1; }

work=$(mktemp -d)
server_pid=""
stop_server() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  server_pid=""
  return 0
}
trap 'stop_server; rm -rf "$work"' EXIT
trap 'exit 1' INT TERM

# start_server DATA [serve args...]: a fresh account pair and room; sets url, token, room.
start_server() {
  local data=$1
  shift
  mkdir -p "$data"
  local org poster
  org=$("$bin" admin --data "$data" org create --name Bench | sed -E 's/.*:([0-9]+)}/\1/')
  poster=$("$bin" admin --data "$data" account create --org "$org" --name Poster --email p@bench.example)
  "$bin" admin --data "$data" account create --org "$org" --name Reader --email r@bench.example >/dev/null
  token=$(echo "$poster" | sed -E 's/.*"api_token":"([^"]+)".*/\1/')
  ${KAIWA_SERVER_PIN:-taskset -c 1} "$bin" serve --data "$data" --listen 127.0.0.1:0 \
    --rate-limit 1000000000 "$@" >"$data/ready" 2>"$data/server.log" &
  server_pid=$!
  for _ in $(seq 100); do grep -q ready "$data/ready" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -E 's/.*"url":"([^"]+)".*/\1/' "$data/ready")
  room=$(curl -sf -X POST "$url/v2/rooms" -H "X-ChatWorkToken: $token" \
    -d "name=bench&members_admin_ids=1&members_member_ids=2" | sed -E 's/.*:([0-9]+)}/\1/')
}

cpu_seconds() { awk '{print ($14 + $15) / 100}' "/proc/$server_pid/stat"; }

# Messages the index finds: every W1 body contains 資料を共有します.
indexed() {
  curl -sf -G "$url/kaiwa/v1/search" -H "X-ChatWorkToken: $token" \
    --data-urlencode "q=資料を共有します" --data-urlencode "limit=1" |
    sed -E 's/.*"total":([0-9]+).*/\1/'
}

run() {  # run LABEL [serve args...]
  local label=$1
  shift
  local data="$work/$label.$RANDOM"
  start_server "$data" "$@"
  local before after out
  before=$(cpu_seconds)
  out=$(KAIWA_TOKEN=$token KAIWA_ROOM=$room ${KAIWA_CLIENT_PIN:-taskset -c 0} \
    wrk -t1 -c"$connections" -d"${seconds}s" --latency -s bench/load/post_message.lua "$url")
  after=$(cpu_seconds)
  local rps p50 p99 requests cpu_per_k lag="–" catch_up="–"
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  cpu_per_k=$(awk -v a="$after" -v b="$before" -v n="$requests" 'BEGIN {printf "%.3f", (a - b) * 1000 / n}')
  if [[ "$label" == on ]]; then
    local stored start now
    # Only the posts: the room's creation also stored a message.
    stored=$(sqlite3 "$data/kaiwa.db" \
      "SELECT COUNT(*) FROM messages WHERE body LIKE '%資料を共有します%'" 2>/dev/null || echo 0)
    lag=$((stored - $(indexed)))
    start=$(date +%s.%N)
    local deadline=$((SECONDS + 300)) found
    while found=$(indexed) && ((found < stored && SECONDS < deadline)); do
      sleep 0.05
    done
    now=$(date +%s.%N)
    catch_up=$(awk -v a="$now" -v b="$start" 'BEGIN {printf "%.2f s", a - b}')
    ((found >= stored)) || catch_up="not after 300 s ($found of $stored)"
  fi
  stop_server
  printf '| search %s | %s | %.0f | %s | %s | %s | %s | %s |\n' "$label" "$connections" "$rps" "$p50" \
    "$p99" "$cpu_per_k" "$lag" "$catch_up"
  rm -rf "$data"
}

echo "kaiwa: $bin (tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?')), ${seconds} s per run," \
  "server pinning: '${KAIWA_SERVER_PIN:-taskset -c 1}', wrk: '${KAIWA_CLIENT_PIN:-taskset -c 0}'"
echo
echo "| server | connections | posts/s | p50 | p99 | server CPU s / 1k posts | not yet indexed at the end | caught up after |"
echo "|---|---|---|---|---|---|---|---|"
for _ in $(seq "$rounds"); do
  run off --search off
  run on
done
