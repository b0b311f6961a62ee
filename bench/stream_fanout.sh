#!/usr/bin/env bash
# Benchmarks W2 (fan-out), W3 (idle connections) and a reconnect storm (shared/performance.md §4)
# for Kaiwa's WebSocket stream, beside nats-server — the raw pub/sub upper bound — in the same
# run, with the same load generator (build-bench/bench/ws_fanout), subscriber counts, message
# rates and event bytes. Servers pinned to CPU 1, the load generator to CPU 0 (override with
# KAIWA_SERVER_PIN=" " KAIWA_CLIENT_PIN=" "). Prints Markdown tables.
#
# usage: bench/stream_fanout.sh [seconds-per-run]
#   CONNECTIONS=2000   subscribers for the idle and storm runs (≤ 15000: the fd limit is 20000)
#   SUBSCRIBERS=1000   subscribers in each fan-out run: SUBSCRIBERS/K rooms of K members
#   RATES_K2="5000" RATES_K100="1000" RATES_K1000="100"   msgs/s per room size (a list sweeps,
#                      empty skips the size)
#   STORM_RATE=200     msgs/s flowing while the storm happens
#   MODES="idle fanout storm"
#   STREAM_BENCH_DATA=dir   keep the data dir (accounts take ~10 ms each to create) for reruns
#   WS_FANOUT_ARGS="--threads 2"   extra load-generator options (see ws_fanout --help)
#
# Subscribers are one TCP connection each on both sides: a WebSocket per Kaiwa account, a NATS
# connection with one SUB per NATS subscriber. Kaiwa's poster is each room's creator posting
# over 64 keep-alive HTTP connections (durable: answered after the commit); the NATS publisher
# is one libnats connection. The load generator runs its subscribers on one epoll thread and
# the poster on another.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
seconds="${1:-5}"
connections="${CONNECTIONS:-2000}"
subscribers="${SUBSCRIBERS:-1000}"
modes="${MODES:-idle fanout storm}"
bin="${KAIWA_BIN:-build/kaiwa}"
load="${WS_FANOUT_BIN:-build-bench/bench/ws_fanout}"
server_pin="${KAIWA_SERVER_PIN:-taskset -c 1}"
client_pin="${KAIWA_CLIENT_PIN:-taskset -c 0}"

[[ -x "$bin" ]] || { echo "build kaiwa first (cmake --preset release && cmake --build --preset release)" >&2; exit 1; }
[[ -x "$load" ]] || { echo "build the load generator first (cmake --preset bench && cmake --build --preset bench --target ws_fanout)" >&2; exit 1; }
command -v nats-server >/dev/null || { echo "nats-server missing: apt-get install nats-server libnats-dev" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl missing: tools/install-deps.sh --test" >&2; exit 1; }
((connections <= 15000 && subscribers <= 15000)) ||
  { echo "CONNECTIONS and SUBSCRIBERS must stay ≤ 15000 (fd limit 20000 per process)" >&2; exit 1; }
((subscribers >= 1000 && connections >= 100)) ||
  { echo "SUBSCRIBERS must be ≥ 1000 (one room of 1000), CONNECTIONS ≥ 100" >&2; exit 1; }

data="${STREAM_BENCH_DATA:-$(mktemp -d)}"
mkdir -p "$data"
# A private copy: a rebuild of build/kaiwa during the run must not pull the binary away.
cp "$bin" "$data/kaiwa.bin"
bin="$data/kaiwa.bin"
kaiwa_pid=""
nats_pid=""
cleanup() {
  [[ -n "$kaiwa_pid" ]] && kill "$kaiwa_pid" 2>/dev/null
  [[ -n "$nats_pid" ]] && kill "$nats_pid" 2>/dev/null
  wait 2>/dev/null || true
  [[ -n "${STREAM_BENCH_DATA:-}" ]] || rm -rf "$data"
}
trap cleanup EXIT
note() { echo "stream_fanout: $*" >&2; }

# --- servers -------------------------------------------------------------------------------

start_kaiwa() {
  $server_pin "$bin" serve --data "$data" --listen 127.0.0.1:0 --rate-limit 1000000000 \
    ${KAIWA_SERVE_ARGS:-} >"$data/ready" 2>"$data/server.log" &
  kaiwa_pid=$!
  for _ in $(seq 200); do grep -q ready "$data/ready" 2>/dev/null && break; sleep 0.05; done
  url=$(sed -E 's/.*"url":"([^"]+)".*/\1/' "$data/ready")
  [[ "$url" == http* ]] || { note "kaiwa did not start: $(tail -3 "$data/server.log")"; exit 1; }
}

start_nats() {
  nats_port=$((20000 + RANDOM % 20000))
  $server_pin nats-server -a 127.0.0.1 -p "$nats_port" >"$data/nats.log" 2>&1 &
  nats_pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && return
    sleep 0.05
  done
  note "nats-server did not start: $(tail -3 "$data/nats.log")"
  exit 1
}

# --- accounts and rooms --------------------------------------------------------------------

# Creates accounts until $data/accounts.txt ("account_id my_room_id token", by id) has $1 of
# them. Two processes at a time: each admin call is a process start.
ensure_accounts() {
  local want=$1 file="$data/accounts.txt"
  [[ -f "$data/org" ]] ||
    "$bin" admin --data "$data" org create --name Bench | sed -E 's/.*:([0-9]+)}/\1/' >"$data/org"
  touch "$file"
  local have
  have=$(wc -l <"$file")
  ((have >= want)) && return
  note "creating $((want - have)) accounts"
  # The pid keeps emails unique when a kept data dir is topped up after a failed attempt.
  seq $((have + 1)) "$want" | xargs -P 2 -I{} "$bin" admin --data "$data" account create \
    --org "$(cat "$data/org")" --name "Member {}" --email "m{}.$$@bench.example" |
    sed -E 's/.*"account_id":([0-9]+),"room_id":([0-9]+),"api_token":"([^"]+)".*/\1 \2 \3/' \
      >>"$file"
  sort -n -o "$file" "$file"
}

account_id() { sed -n "${1}p" "$data/accounts.txt" | cut -d' ' -f1; }
token_of() { sed -n "${1}p" "$data/accounts.txt" | cut -d' ' -f3; }

# make_room FIRST COUNT: a group chat of accounts FIRST..FIRST+COUNT-1 (line numbers in
# accounts.txt), created by the first one; prints the room id. The API takes ≤ 100 ids per
# list, so larger rooms get the rest through the admin command.
make_room() {
  local first=$1 count=$2
  local ids
  ids=$(sed -n "${first},$((first + count - 1))p" "$data/accounts.txt" | cut -d' ' -f1)
  local creator listed rest
  creator=$(echo "$ids" | head -1)
  listed=$(echo "$ids" | sed -n '2,101p' | paste -sd,)
  rest=$(echo "$ids" | sed -n '102,$p' | paste -sd,)
  local room
  room=$(curl -sf -X POST "$url/v2/rooms" -H "X-ChatWorkToken: $(token_of "$first")" \
    --data-urlencode "name=bench $first+$count" -d "members_admin_ids=$creator" \
    -d "members_member_ids=$listed" | sed -E 's/.*"room_id":([0-9]+).*/\1/')
  [[ "$room" =~ ^[0-9]+$ ]] || { note "room creation failed"; exit 1; }
  if [[ -n "$rest" ]]; then
    "$bin" admin --data "$data" room add-members --room "$room" --accounts "$rest" >/dev/null
  fi
  echo "$room"
}

# members_file NAME ROOMS SIZE: ROOMS rooms of SIZE members over consecutive accounts, written
# as ws_fanout's "<room_id> <token>" lines (the creator, listed first, posts).
members_file() {
  local name=$1 rooms=$2 size=$3 file="$data/members-$1.txt"
  : >"$file"
  for ((r = 0; r < rooms; r++)); do
    local first=$((r * size + 1)) room
    room=$(make_room "$first" "$size")
    sed -n "${first},$((first + size - 1))p" "$data/accounts.txt" |
      awk -v room="$room" '{print room, $3}' >>"$file"
  done
  echo "$file"
}

# --- runs ----------------------------------------------------------------------------------

kaiwa_run() {  # kaiwa_run MODE MEMBERS_FILE [ws_fanout args...]
  local mode=$1 file=$2
  shift 2
  $client_pin "$load" "$mode" --kaiwa "$url" --members-file "$file" --server-pid "$kaiwa_pid" \
    --label "${kaiwa_label:-Kaiwa WS}" ${WS_FANOUT_ARGS:-} "$@"
}

nats_run() {  # nats_run MODE [ws_fanout args...]
  local mode=$1
  shift
  $client_pin "$load" "$mode" --nats "127.0.0.1:$nats_port" --server-pid "$nats_pid" \
    --label "nats-server" ${WS_FANOUT_ARGS:-} "$@"
}

idle_table() {
  local file="$data/members-idle.txt"
  head -n "$connections" "$data/accounts.txt" | awk '{print $2, $3}' >"$file"
  echo "### W3: $connections idle connections, all subscribed; held ${seconds} s"
  echo
  # Cold: the server has just started, so the first request of each account also fills caches
  # (token lookups in SQLite's page cache, rate-limit windows). Warm: a restarted server first
  # answers GET /v2/me and /v2/rooms per account, as a client's first requests, so the delta is
  # what the connections themselves cost.
  kaiwa_label="Kaiwa WS, cold start" kaiwa_run idle "$file" --hold "$seconds" --header
  kill "$kaiwa_pid"
  wait "$kaiwa_pid" 2>/dev/null || true
  start_kaiwa
  kaiwa_label="Kaiwa WS, accounts warmed" kaiwa_run idle "$file" --hold "$seconds" --warm-up 8
  nats_run idle --rooms "$connections" --members 1 --hold "$seconds"
  echo
}

fanout_table() {
  echo "### W2: fan-out, ${seconds} s per run; latency from scheduled post time to receipt"
  echo
  local header=--header k rooms rates rate file
  for spec in "2 ${RATES_K2-5000}" "100 ${RATES_K100-1000}" "1000 ${RATES_K1000-100}"; do
    read -r k rates <<<"$spec"
    [[ -n "$rates" ]] || continue  # RATES_K2="" skips rooms of 2
    rooms=$((subscribers / k))
    file=$(members_file "k$k" "$rooms" "$k")
    for rate in $rates; do
      kaiwa_run fanout "$file" --rate "$rate" --duration "$seconds" $header
      header=
      nats_run fanout --rooms "$rooms" --members "$k" --rate "$rate" --duration "$seconds"
    done
  done
  echo
}

storm_table() {
  local rooms=$((connections / 100)) duration=$((seconds * 3))
  local file
  file=$(members_file storm "$rooms" 100)
  echo "### Reconnect storm: $((rooms * 100)) subscribers in rooms of 100, ${STORM_RATE:-200} msgs/s;"
  echo "### every connection reset at once ${seconds} s in, each resumes with since=<last pos>"
  echo
  kaiwa_run storm "$file" --rate "${STORM_RATE:-200}" --duration "$duration" \
    --storm-at "$seconds" --header
  echo "(nats-server has no resume position: no storm row for it)"
  echo
}

needed=$subscribers
((connections > needed)) && needed=$connections
ensure_accounts "$needed"
start_kaiwa
start_nats
echo "kaiwa: ${KAIWA_BIN:-build/kaiwa} (tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?')), $(nats-server --version)," \
  "server pinning: '${server_pin}', load generator: '${client_pin}'"
echo
for mode in $modes; do
  "${mode}_table"
done
