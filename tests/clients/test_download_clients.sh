#!/usr/bin/env bash
# Real download clients no one here wrote against a real continuata-server (--demo, loopback):
# aria2c fetching a 150 MB file in 8 parallel ranges, curl resuming a cut download with -C -, and
# curl asking for several ranges at once. Each result must be byte-identical to the file's sha256
# in the manifest; the seller's report must count the downloads that started at byte 0.
#   tests/clients/test_download_clients.sh SERVER_BINARY
set -euo pipefail
server=${1:?usage: test_download_clients.sh SERVER_BINARY}
for tool in aria2c curl sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/setup installs it)"; exit 1; }
done
work=$(mktemp -d)
log="$work/server.log"
cleanup() { [[ -n ${pid:-} ]] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/data"
"$server" --demo --data "$work/data" --port 0 >"$log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -1)
[[ -n $base ]] || { echo "FAIL: the server did not start"; cat "$log"; exit 1; }
key=$(cat "$work/data/demo-admin.key")
auth=(-H "Authorization: Bearer $key")
url=$(curl -sf "${auth[@]}" -H 'Content-Type: application/json' -d '{"productId":"orchestral-strings"}' \
  "$base/api/generate-download-url" | python3 -c 'import json,sys; print(json.load(sys.stdin)["downloadUrl"])')
want=$(curl -sf "${auth[@]}" "$base/api/products/orchestral-strings/versions/3.2.0" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["sha256"])')
fail=0
check() { # name file
  local got; got=$(sha256sum "$2" | cut -c1-64)
  if [[ $got == "$want" ]]; then echo "ok: $1"; else echo "FAIL: $1: sha256 $got, manifest $want"; fail=1; fi
}
aria2c -q -x8 -s8 -k1M --allow-overwrite=true -d "$work" -o aria.bin "$url"
check "aria2c -x8 (8 parallel ranges)" "$work/aria.bin"
curl -sf "$url" -o "$work/whole.bin"
check "curl, whole file" "$work/whole.bin"
head -c 50000000 "$work/whole.bin" >"$work/cut.bin"
curl -sf -C - "$url" -o "$work/cut.bin"
check "curl -C - (resume after 50 MB)" "$work/cut.bin"
curl -sf -r 0-9,1000-1009 "$url" -o "$work/multi.bin" -D "$work/multi.head"
if grep -qi '^Content-Type: multipart/byteranges' "$work/multi.head" &&
   [[ $(grep -c 'Content-Range: bytes ' "$work/multi.bin") == 2 ]]; then echo "ok: curl -r 0-9,1000-1009 (multipart)"
else echo "FAIL: curl -r 0-9,1000-1009 did not get two parts"; fail=1; fi
counted=$(curl -sf "${auth[@]}" "$base/api/reports/downloads?from=2000-01-01&to=2100-01-01" | grep -c ',yes,' || true)
# aria2c's first segment and curl's whole download start at byte 0; resumes and segments do not.
if [[ $counted == 2 ]]; then echo "ok: the report counts 2 new downloads"
else echo "FAIL: the report counts $counted new downloads, want 2"; fail=1; fi
if grep -q '"status":500' "$log"; then echo "FAIL: the server answered 500"; fail=1; fi
(( fail == 0 )) || { echo "download clients: failures"; exit 1; }
echo "download clients: every check passed"
