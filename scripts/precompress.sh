#!/usr/bin/env bash
# Writes `name.br` (brotli -q 11) and `name.gz` (gzip -9) next to every .wasm, .js and .css of a
# frontend build, for the backend to serve as they are (tower-http ServeDir, precompressed).
# Trunk runs it after every release build (the post_build hook in Trunk.toml, on trunk's staging
# folder); `scripts/precompress.sh dist` does the same by hand. `trunk serve` builds are skipped.
set -euo pipefail
if [ "${TRUNK_PROFILE:-release}" != release ]; then exit 0; fi
dir="${1:-${TRUNK_STAGING_DIR:-dist}}"
command -v brotli > /dev/null || { echo "precompress: brotli is missing (scripts/setup.sh installs it)" >&2; exit 1; }
for file in "$dir"/*.wasm "$dir"/*.js "$dir"/*.css; do
  [ -e "$file" ] || continue
  gzip -9 -k -f -n "$file"
  brotli -k -f -q 11 "$file"
done
