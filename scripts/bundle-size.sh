#!/usr/bin/env bash
# Prints the size of the release bundle (wasm + js + css), raw and gzip -9, the figure the budget tracks.
set -euo pipefail
dist="${1:-dist}"
total_raw=0; total_gz=0
for file in "$dist"/*.wasm "$dist"/*.js "$dist"/*.css; do
  [ -e "$file" ] || continue
  raw=$(stat -c %s "$file"); gz=$(gzip -9 -c "$file" | wc -c)
  printf 'bundle: %-48s %9d bytes  %8d gzip\n' "$(basename "$file")" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
done
printf 'bundle: total (wasm+js+css)                           %9d bytes  %8d gzip (%d KB)\n' "$total_raw" "$total_gz" $((total_gz / 1024))
