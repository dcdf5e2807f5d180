#!/usr/bin/env bash
# The benchmark of the performance budgets (not part of scripts/test.sh): builds the release backend
# and the driver (bench/), builds the frontend when trunk is installed, then runs everything on
# loopback and writes bench/report.md and bench/report.json.
#   scripts/bench.sh            three rounds (about 15 minutes on 2 cores, warm build)
#   scripts/bench.sh --quick    one round, shorter cells, smaller jobs (a few minutes)
# Exits non-zero only when the harness itself fails; a missed budget is a FAIL in the report.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

mode=()
for arg in "$@"; do
  case "$arg" in
    --quick) mode=(--quick) ;;
    *) echo "usage: scripts/bench.sh [--quick]" >&2; exit 2 ;;
  esac
done

say() { printf '[bench] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# brotli for the bundle's third size, installed the way scripts/setup.sh installs Debian packages.
if ! command -v brotli > /dev/null; then
  say "installing Debian package: brotli"
  if ! { as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends brotli; }; then
    say "brotli could not be installed: the report shows its sizes as skipped"
  fi
fi

target="${CARGO_TARGET_DIR:-target}"
say "building the release backend and the driver"
cargo build --release --quiet -p callout-console -p callout-bench

# The bundle: the release frontend build, as scripts/test.sh makes it; skipped without trunk.
bundle=()
if command -v trunk > /dev/null && ! command -v wasm-opt > /dev/null; then
  # trunk would try to download wasm-opt; install it the way scripts/setup.sh does.
  say "installing wasm-opt (npm binaryen, into .tools/)"
  npm install --prefix .tools --no-audit --no-fund --loglevel=error --no-save "binaryen@132.0.0" || true
fi
if command -v trunk > /dev/null; then
  say "building the release frontend (trunk build --release)"
  if trunk build --release > "${TMPDIR:-/tmp}/callout-bench-trunk.log" 2>&1; then
    bundle=(--dist dist)
  else
    say "the frontend build failed (see ${TMPDIR:-/tmp}/callout-bench-trunk.log): bundle sizes skipped"
    bundle=(--bundle-skipped "the release frontend build failed")
  fi
else
  bundle=(--bundle-skipped "trunk is not installed (scripts/setup.sh installs it)")
fi

say "measuring"
"$target/release/callout-bench" run "${mode[@]}" --console "$target/release/callout-console" "${bundle[@]}" --out bench
