#!/usr/bin/env bash
# Benchmark (not a test): a version's ZIP (/download?...&format=zip, stored entries built on the
# fly from the manifest) against the same bytes served as one file, side by side in one run.
#  (a) throughput: wrk -t2 -c4 on loopback, ZIP of 4 files of MB/4 each against one file of MB,
#      each side three times in turn (the machine is shared);
#  (b) memory: four archives of GiB each streaming at once to curl (read as fast as it can, to
#      /dev/null), the server's RSS sampled every 0.2 s, against four downloads of one file of the
#      same size. The files are uploaded from sparse files (the server stores real bytes).
# Usage: bench/zip_throughput.sh [seconds per wrk run, default 10] [MB, default 256] [GiB, default 5]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
mb=${2:-256}
gib=${3:-5}
for tool in wrk curl python3; do
  command -v $tool >/dev/null || { echo "needs $tool (scripts/setup)" >&2; exit 1; }
done

start_server --max-upload-bytes $(((gib + 1) << 30))  # the reference file of (b) is GiB in one
json() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }
product() {  # slug, then files as name=path: one published version 1.0.0
  local slug=$1; shift
  api POST /api/products -d "{\"name\":\"$slug\",\"slug\":\"$slug\"}" >/dev/null
  api POST /api/products/$slug/versions -d '{"version":"1.0.0"}' >/dev/null
  for f in "$@"; do api PUT "/api/products/$slug/versions/1.0.0/files/${f%%=*}" -T "${f#*=}" >/dev/null; done
  api POST /api/products/$slug/versions/1.0.0/activate -d '{}' >/dev/null
}
link() { api POST /api/generate-download-url -d "{\"productId\":\"$1\"}" | json downloadUrl; }

# (a) the same MB of random bytes: four files in one ZIP, or one file.
quarter=$((mb / 4))
for i in 1 2 3 4; do head -c "${quarter}M" /dev/urandom >"$work/part$i.bin"; done
cat "$work"/part?.bin >"$work/whole.bin"
product parts part1.bin="$work/part1.bin" part2.bin="$work/part2.bin" part3.bin="$work/part3.bin" \
  part4.bin="$work/part4.bin"
product whole whole.bin="$work/whole.bin"
rm -f "$work"/part?.bin "$work/whole.bin"
zip_url="$(link parts)&format=zip"
file_url=$(link whole)
zip_bytes=$(curl -sS -o /dev/null -w '%{size_download}' "$zip_url")
printf '(a) %s MB of content, wrk -t2 -c4 -d%ss, loopback; the ZIP is %s bytes (headers: %s)\n' \
  "$mb" "$secs" "$zip_bytes" "$((zip_bytes - mb * 1048576))"
printf '%-10s %12s %10s %12s %10s %7s\n' "" "ZIP req/s" "MB/s" "file req/s" "MB/s" "ratio"
ratios=()
for round in 1 2 3; do
  wrk -t2 -c4 -d"${secs}s" "$zip_url" >"$work/zip$round.wrk"
  read -r zip_rps zip_mb < <(wrk_transfer "$work/zip$round.wrk" 2)
  wrk -t2 -c4 -d"${secs}s" "$file_url" >"$work/file$round.wrk"
  read -r file_rps file_mb < <(wrk_transfer "$work/file$round.wrk" 2)
  ratio=$(python3 -c "print(f'{$zip_mb/$file_mb:.2f}')")
  ratios+=("$ratio")
  printf '%-10s %12s %10s %12s %10s %7s\n' "round $round" "$zip_rps" "$zip_mb" "$file_rps" "$file_mb" "$ratio"
done
echo "ZIP / file throughput, median of the rounds: $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n 2p)"

# (b) four streams of GiB at once: one version of five sparse files (a fifth each) as a ZIP, and
# one file of the same size.
fifth=$((gib * 1024 / 5))
for i in 1 2 3 4 5; do truncate -s "${fifth}M" "$work/big$i.bin"; done
truncate -s "$((fifth * 5))M" "$work/bigwhole.bin"
product bigparts $(for i in 1 2 3 4 5; do printf 'big%s.bin=%s ' "$i" "$work/big$i.bin"; done)
product bigwhole bigwhole.bin="$work/bigwhole.bin"
rss() { awk '/VmRSS/{print $2}' "/proc/$server_pid/status"; }
four() {  # label url: four curls at once; prints "label  peak RSS MB  RSS before MB  MB/s total"
  local label=$1 url=$2 before peak=0 start end cpids=()
  before=$(rss)
  start=$(date +%s.%N)
  for _ in 1 2 3 4; do curl -sS -o /dev/null "$url" & cpids+=("$!"); done
  while kill -0 "${cpids[@]}" 2>/dev/null; do
    local now; now=$(rss)
    ((now > peak)) && peak=$now
    sleep 0.2
  done
  wait "${cpids[@]}"
  end=$(date +%s.%N)
  python3 -c "print(f'{\"$label\":<22} {$peak/1024:>10.0f} {$before/1024:>12.0f} {4*$((fifth * 5))/($end-$start):>10.0f}')"
}
printf '\n(b) four downloads at once of %s MiB each, curl to /dev/null, server RSS sampled every 0.2 s\n' \
  "$((fifth * 5))"
printf '%-22s %10s %12s %10s\n' "" "peak MB" "before MB" "MB/s"
four "four ZIPs" "$(link bigparts)&format=zip"
four "four single files" "$(link bigwhole)"
