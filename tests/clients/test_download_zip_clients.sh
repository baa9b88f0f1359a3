#!/usr/bin/env bash
# ZIP downloads checked by tools no one here wrote, against a real continuata-server (--demo,
# loopback): a version's ZIP and a bundle ZIP pass unzip -t, 7z t and Python's zipfile with
# names in Greek, Cyrillic and with spaces; aria2c in 8 parallel ranges and a cut curl download
# resumed with -C - are byte-identical to a whole one; and a ZIP64 archive over 4 GiB made from a
# sparse file (no API uploads a sparse file: the test uploads a placeholder, stops the server,
# puts a 4.5 GiB hole in its place and clears its CRC-32, so the restart also runs the start-up
# CRC-32 computation for it) passes all three tools.
#   tests/clients/test_download_zip_clients.sh SERVER_BINARY
set -euo pipefail
server=${1:?usage: test_download_zip_clients.sh SERVER_BINARY}
py=/usr/bin/python3  # Debian's, with sqlite3 and zipfile
for tool in aria2c curl unzip 7z cmp truncate sha256sum "$py"; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/setup installs it)"; exit 1; }
done
work=$(mktemp -d)
log="$work/server.log"
stop() { if [[ -n ${pid:-} ]]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; fi; pid=; }
cleanup() { stop; rm -rf "$work"; }
trap cleanup EXIT
trap 'echo "FAIL: line $LINENO exited"' ERR
mkdir -p "$work/data"
start() {
  : >"$log"
  "$server" --demo --data "$work/data" --port 0 >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do grep -q "listening on" "$log" && break; sleep 0.1; done
  base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -1)
  [[ -n $base ]] || { echo "FAIL: the server did not start"; cat "$log"; exit 1; }
}
start
key=$(cat "$work/data/demo-admin.key")
auth=(-H "Authorization: Bearer $key")
api() { curl -sf "${auth[@]}" -H 'Content-Type: application/json' "$@"; }
json() { "$py" -c "import json,sys; print(json.load(sys.stdin)$1)"; }
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }

# A product whose names need UTF-8, with a few MB of random bytes.
api -d '{"name":"Ελληνικά и Кириллица Pack","slug":"utf8-pack"}' "$base/api/products" >/dev/null
api -d '{"version":"1.0.0"}' "$base/api/products/utf8-pack/versions" >/dev/null
declare -A files=([Ελληνικά/κρουστά.wav]=3000000 [Кириллица/барабаны.wav]=2500001 ["read me.txt"]=17)
for name in "${!files[@]}"; do
  head -c "${files[$name]}" /dev/urandom >"$work/upload.bin"
  encoded=$("$py" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$name")
  curl -sf "${auth[@]}" -T "$work/upload.bin" "$base/api/products/utf8-pack/versions/1.0.0/files/$encoded" >/dev/null
done
api -X POST "$base/api/products/utf8-pack/versions/1.0.0/activate" >/dev/null
url=$(api -d '{"productId":"utf8-pack"}' "$base/api/generate-download-url" | json '["downloadUrl"]')"&format=zip"

# check_zip NAME FILE EXPECTED_NAMES...: all three tools accept FILE and list exactly those names.
check_zip() {
  local what=$1 zip=$2; shift 2
  if unzip -tqq "$zip" >/dev/null; then ok "unzip -t: $what"; else bad "unzip -t: $what"; fi
  if 7z t "$zip" >/dev/null; then ok "7z t: $what"; else bad "7z t: $what"; fi
  if "$py" - "$zip" "$@" <<'PY'; then ok "Python zipfile: $what"; else bad "Python zipfile: $what"; fi
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
assert sorted(z.namelist()) == sorted(sys.argv[2:]), (z.namelist(), sys.argv[2:])
assert all(i.compress_type == 0 and i.flag_bits & 0x800 for i in z.infolist())
PY
}
curl -sf "$url" -o "$work/whole.zip" -D "$work/whole.head"
check_zip "a version's ZIP" "$work/whole.zip" "${!files[@]}"
grep -qi "^Content-Disposition: attachment; filename=\"________ _ _________ Pack 1.0.0.zip\"; filename\*=UTF-8''%CE%95" \
  "$work/whole.head" && ok "Content-Disposition names the product and version" ||
  { bad "Content-Disposition: $(grep -i '^Content-Disposition' "$work/whole.head")"; }
aria2c -q -x8 -s8 -k1M --allow-overwrite=true -d "$work" -o aria.zip "$url"
cmp -s "$work/aria.zip" "$work/whole.zip" && ok "aria2c -x8 (8 parallel ranges) = the whole ZIP" || bad "aria2c -x8 differs"
head -c 2000000 "$work/whole.zip" >"$work/cut.zip"
curl -sf -C - "$url" -o "$work/cut.zip"
cmp -s "$work/cut.zip" "$work/whole.zip" && ok "curl -C - (resumed after 2 MB) = the whole ZIP" || bad "curl -C - differs"

# A bundle: this pack and the demo's synth presets, one folder each.
bundle=$(api -d '{"items":[{"productId":"utf8-pack"},{"productId":"analog-synth-presets"}]}' \
  "$base/api/generate-download-url" | json '["downloadUrl"]')
curl -sf "$bundle" -o "$work/bundle.zip"
synth=$(curl -sf "${auth[@]}" "$base/api/products/analog-synth-presets/versions/2.0.0" |
  "$py" -c 'import json,sys; print("\n".join(f["path"] for f in json.load(sys.stdin)["files"]))')
synth_name=$(curl -sf "${auth[@]}" "$base/api/products" |
  "$py" -c 'import json,sys; print([r["product"]["name"] for r in json.load(sys.stdin) if r["product"]["id"]=="analog-synth-presets"][0])')
names=()
for n in "${!files[@]}"; do names+=("Ελληνικά и Кириллица Pack/$n"); done
while IFS= read -r n; do names+=("$synth_name/$n"); done <<<"$synth"
check_zip "a bundle ZIP (a folder per product)" "$work/bundle.zip" "${names[@]}"

# ZIP64: a 4.5 GiB sparse file, then a small one whose offset is past 4 GiB.
api -d '{"name":"Big Library","slug":"big"}' "$base/api/products" >/dev/null
api -d '{"version":"1.0.0"}' "$base/api/products/big/versions" >/dev/null
echo placeholder >"$work/upload.bin"
for name in "huge sample.wav" "zz after.txt"; do
  curl -sf "${auth[@]}" -T "$work/upload.bin" "$base/api/products/big/versions/1.0.0/files/${name// /%20}" >/dev/null
done
api -X POST "$base/api/products/big/versions/1.0.0/activate" >/dev/null
big_url=$(api -d '{"productId":"big"}' "$base/api/generate-download-url" | json '["downloadUrl"]')"&format=zip"
big_path=${big_url#"$base"}  # the restarted server listens on another port
stop
stored=$("$py" - "$work/data/continuata.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
vid, name = db.execute("SELECT f.version_id, f.storage_name FROM files f JOIN versions v ON v.id = f.version_id"
                       " WHERE v.product_id = 'big' AND f.path = 'huge sample.wav'").fetchone()
print(vid + "/" + name)
PY
)
truncate -s 4831838208 "$work/data/files/$stored"  # 4.5 GiB of hole
digest=$(sha256sum "$work/data/files/$stored" | cut -c1-64)
"$py" - "$work/data/continuata.db" "$digest" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE files SET size = 4831838208, sha256 = ?, crc32 = NULL WHERE path = 'huge sample.wav'", (sys.argv[2],))
db.commit()
PY
start
grep -q '"message":"computed the CRC-32 of older files"' "$log" && ok "the restart computed the missing CRC-32" ||
  bad "no CRC-32 computation logged at start"
curl -sf "$base$big_path" -D "$work/big.head" | cp --sparse=always /dev/stdin "$work/big.zip"
size=$(stat -c %s "$work/big.zip")
length=$(sed -n 's/^Content-Length: \([0-9]*\).*/\1/Ip' "$work/big.head" | tr -d '\r')
(( size > 4294967296 )) && [[ $size == "$length" ]] && ok "ZIP64 archive of $size bytes = its Content-Length" ||
  bad "ZIP64 archive: $size bytes, Content-Length $length"
check_zip "a ZIP64 archive over 4 GiB" "$work/big.zip" "huge sample.wav" "zz after.txt"

counted=$(curl -sf "${auth[@]}" "$base/api/reports/downloads?from=2000-01-01&to=2100-01-01" | grep -c ',yes,.*,zip' || true)
# The whole version ZIP, aria2c's first segment, the bundle and the ZIP64 one start at byte 0.
[[ $counted == 4 ]] && ok "the report counts 4 new ZIP downloads" || bad "the report counts $counted ZIP downloads, want 4"
if grep -q '"status":500' "$log"; then bad "the server answered 500"; fi
(( fail == 0 )) || { echo "zip clients: failures"; exit 1; }
echo "zip clients: every check passed"
