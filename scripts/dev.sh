#!/usr/bin/env bash
# Runs the product: the backend in sandbox mode plus `trunk serve` with the API proxied to it.
# Ctrl-C stops both.
#   scripts/dev.sh            the browser build in the release profile the test command builds, so
#                             after a test run its artefacts are reused (first screen in about a minute)
#   scripts/dev.sh --debug    an unoptimised browser build (a cold one takes several minutes)
# Sandbox calls run at real speed; CALLOUT__SANDBOX__TIME_SCALE=0.1 makes them ten times faster.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

trunk_profile=(--release)
for arg in "$@"; do
  case "$arg" in
    --debug) trunk_profile=() ;;
    *) echo "usage: scripts/dev.sh [--debug]" >&2; exit 2 ;;
  esac
done

BACKEND_ADDR=127.0.0.1:8080   # must match the [[proxy]] backend in Trunk.toml
UI_PORT=8000                  # must match [serve] port in Trunk.toml

scripts/setup.sh
cargo build -p callout-console

pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

target/debug/callout-console serve --bind "$BACKEND_ADDR" &
pids+=($!)
for _ in $(seq 1 50); do
  curl -fsS "http://$BACKEND_ADDR/api/v1/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fsS "http://$BACKEND_ADDR/api/v1/health" >/dev/null || { echo "the backend did not start" >&2; exit 1; }

trunk serve "${trunk_profile[@]}" --port "$UI_PORT" &
pids+=($!)
echo "[dev] waiting for the first frontend build…"
for _ in $(seq 1 900); do
  curl -fsS "http://127.0.0.1:$UI_PORT/" >/dev/null 2>&1 && break
  kill -0 "${pids[1]}" 2>/dev/null || { echo "trunk serve stopped" >&2; exit 1; }
  sleep 1
done

cat <<MSG

  Callout Console is running in sandbox mode.
  Open http://127.0.0.1:$UI_PORT/ in a browser (Ctrl-C stops everything).

MSG
wait -n "${pids[@]}"
