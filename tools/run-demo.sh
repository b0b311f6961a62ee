#!/usr/bin/env bash
# README's first command: installs, builds, creates a demo organization and account on first run,
# prints the address and the demo account's API token, and runs Kaiwa on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
data_dir="${KAIWA_DATA:-./data}"
listen="${KAIWA_LISTEN:-127.0.0.1:8080}"

tools/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DKAIWA_BUILD_TESTS=OFF >/dev/null
cmake --build build --target kaiwa
tools/build-web.sh

token_file="$data_dir/demo-token.txt"
if [[ ! -f "$token_file" ]]; then
  org=$(build/kaiwa admin --data "$data_dir" org create --name "Demo Company" |
    sed -E 's/.*"organization_id":([0-9]+).*/\1/')
  account=$(build/kaiwa admin --data "$data_dir" account create --org "$org" --name "Demo User" \
    --email demo@example.com --password demo-password)
  # A colleague to chat with: contacts share a direct chat from the start.
  colleague=$(build/kaiwa admin --data "$data_dir" account create --org "$org" \
    --name "Demo Colleague" --email colleague@example.com --password demo-password)
  build/kaiwa admin --data "$data_dir" contact add \
    "$(echo "$account" | sed -E 's/.*"account_id":([0-9]+).*/\1/')" \
    "$(echo "$colleague" | sed -E 's/.*"account_id":([0-9]+).*/\1/')" >/dev/null
  echo "$account" | sed -E 's/.*"api_token":"([^"]+)".*/\1/' >"$token_file"
  chmod 600 "$token_file"
fi

echo
echo "Kaiwa is starting at http://$listen"
echo "Web client: open http://$listen and sign in as demo@example.com / demo-password;"
echo "  chat with colleague@example.com / demo-password in another browser (or a private window)"
echo "Demo account API token: $(cat "$token_file")"
echo "Try: curl -H \"X-ChatWorkToken: $(cat "$token_file")\" http://$listen/v2/me"
echo
exec build/kaiwa serve --data "$data_dir" --listen "$listen" --web-dir web/dist
