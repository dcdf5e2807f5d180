#!/usr/bin/env bash
# Runs every test: formatting and lints, native cargo tests, the release frontend build (with its bundle size), and the
# browser tests in headless Chromium against the real backend serving the real build; API fuzzing and a short
# coverage-guided fuzzing run on the way; last, a scan of everything the run left behind for configured secrets.
#
#   scripts/test.sh          # the default run (~15 min warm)
#   scripts/test.sh --long   # the long variants too: 60 s of load, 5 min of fuzzing per target
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

case "${1:-}" in
  "") ;;
  --long) export LOAD_SECONDS="${LOAD_SECONDS:-60}" FUZZ_SECONDS="${FUZZ_SECONDS:-300}" ;;
  *) echo "usage: scripts/test.sh [--long]" >&2; exit 2 ;;
esac

export TEST_OUTPUT="${TEST_OUTPUT:-$PWD/test-output}"
mkdir -p "$TEST_OUTPUT"
# Everything the run prints is also kept: the secrets scan at the end reads it.
exec > >(tee "$TEST_OUTPUT/test.log") 2>&1

scripts/setup.sh
# A cold run needs about 8 GB for build output; say what there is, so a full disk is seen as such.
echo "== disk: $(df -h --output=avail . | tail -1 | tr -d ' ') free here"

echo "== format and lints (native crates and the fuzz crate, and the frontend for the browser target)"
cargo fmt --all -- --check
cargo fmt --manifest-path fuzz/Cargo.toml -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p callout-frontend --target wasm32-unknown-unknown -- -D warnings

echo "== cargo tests"
cargo test --workspace --exclude callout-frontend

echo "== API fuzzing (schemathesis against the running sandbox backend)"
scripts/api-fuzz.sh

echo "== coverage-guided fuzzing (cargo fuzz, a short run per target)"
scripts/fuzz.sh --seconds "${FUZZ_SECONDS:-10}"

echo "== frontend unit tests (native)"
cargo test -p callout-frontend

echo "== frontend release build"
trunk build --release
scripts/bundle-size.sh dist | tee "$TEST_OUTPUT/bundle-size.txt"

echo "== browser tests"
cargo build -p callout-console
rm -rf "$TEST_OUTPUT/e2e"
(cd e2e && node --test --test-concurrency=1 tests/)

echo "== secrets scan (the frontend build, every log line and recorded answer of this run)"
cargo test -p callout-console --test integration secrets_scan -- --ignored --nocapture
echo "== disk used by build output: $(du -sh target "${FUZZ_TARGET_DIR:-fuzz/target}" 2>/dev/null | awk '{print $1}' | paste -sd' ')"
