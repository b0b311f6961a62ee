#!/usr/bin/env bash
# Search benchmark (issue 4): Kaiwa's Groonga index beside SQLite FTS5 (trigram tokenizer) in
# the same run, on the same generated Japanese business-chat corpus and the same queries:
# indexing messages/s, index size over raw body size, and p50/p99 query latency for frequent,
# rare, 2-character and two-word queries by a user in 50 rooms. Prints Markdown tables and keeps
# the JSON beside them.
#
# usage: bench/search.sh
#   MESSAGES=1000000    corpus size; MESSAGES=10000000 for the 10 M run (~22 GB of indexes at peak)
#   QUERIES=300         timed queries per class and engine
#   LIKE_QUERIES=20     timed FTS5 LIKE-fallback queries (each scans every row)
#   BATCH=2000          changes per apply() call / per FTS5 transaction
#   SEARCH_BENCH_DATA=dir  where the indexes go (default: a fresh directory under /tmp, removed
#                          afterwards); SEARCH_BENCH_ARGS="--keep ..." passes more options
#   SEARCH_BENCH_OUT=dir   where result.md and result.json go (default: the data directory's
#                          parent, /tmp)
# Pinned to CPU 1 (KAIWA_SERVER_PIN=" " to unpin): both engines are single-threaded here.
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${MESSAGES:-1000000}"
bin="${SEARCH_BENCH_BIN:-build-bench/bench/search_bench}"
pin="${KAIWA_SERVER_PIN:-taskset -c 1}"

if [[ -z "${SEARCH_BENCH_BIN:-}" ]]; then
  cmake --preset bench >/dev/null
  cmake --build --preset bench --target search_bench
fi

data="${SEARCH_BENCH_DATA:-$(mktemp -d /tmp/search-bench.XXXXXX)}"
out="${SEARCH_BENCH_OUT:-$(dirname "$data")}"
# Two engines, each loaded twice (online, then the bulk rebuild, both kept until the end), of
# up to ~5 × the raw text (~160 B/message): refuse to fill the disk.
need_kib=$((messages * 4 * 5 * 160 / 1024))
free_kib=$(df -Pk "$(dirname "$data")" | awk 'NR == 2 {print $4}')
((free_kib > need_kib)) ||
  { echo "need ~$((need_kib / 1048576)) GiB free under $(dirname "$data"), have $((free_kib / 1048576))" >&2; exit 1; }
[[ -n "${SEARCH_BENCH_DATA:-}" ]] || trap 'rm -rf "$data"' EXIT
rmdir "$data" 2>/dev/null || true  # search_bench wants it empty or absent

stamp="search-${messages}"
echo "search_bench: $messages messages, tree at $(git rev-parse --short HEAD 2>/dev/null || echo '?')," \
  "pinning: '${pin}'" >&2
$pin "$bin" --data "$data" --messages "$messages" --queries "${QUERIES:-300}" \
  --like-queries "${LIKE_QUERIES:-20}" --batch "${BATCH:-2000}" --json "$out/$stamp.json" \
  ${SEARCH_BENCH_ARGS:-} | tee "$out/$stamp.md"
echo "results: $out/$stamp.md, $out/$stamp.json" >&2
