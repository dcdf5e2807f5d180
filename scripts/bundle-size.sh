#!/usr/bin/env bash
# Prints the size of the release bundle (wasm + js + css), raw and gzip -9, the figure the budget
# tracks, and fails when the gzip total is over the budget (400 KB, read strictly as 400,000 bytes).
set -euo pipefail
dist="${1:-dist}"
budget="${BUNDLE_BUDGET_BYTES:-400000}"
if ! compgen -G "$dist/*.wasm" > /dev/null; then
  echo "bundle: no .wasm in $dist: build the frontend first (trunk build --release)" >&2
  exit 1
fi
total_raw=0; total_gz=0
for file in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css; do
  [ -e "$file" ] || continue
  raw=$(stat -c %s "$file"); gz=$(gzip -9 -c "$file" | wc -c)
  printf 'bundle: %-48s %9d bytes  %8d gzip\n' "$(basename "$file")" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
done
printf 'bundle: total (wasm+js+css)                           %9d bytes  %8d gzip\n' "$total_raw" "$total_gz"
if [ "$total_gz" -gt "$budget" ]; then
  echo "bundle: OVER BUDGET by $((total_gz - budget)) bytes (budget $budget bytes gzip)" >&2
  exit 1
fi
echo "bundle: within budget ($budget bytes gzip), $((budget - total_gz)) bytes to spare"
