#!/usr/bin/env bash
# Runs every test: native cargo tests, the release frontend build (with its bundle size), and the
# browser tests in headless Chromium against the real backend serving the real build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

export TEST_OUTPUT="${TEST_OUTPUT:-$PWD/test-output}"
mkdir -p "$TEST_OUTPUT"

scripts/setup.sh

echo "== cargo tests"
cargo test --workspace --exclude callout-frontend

echo "== frontend unit tests (native)"
cargo test -p callout-frontend

echo "== frontend release build"
trunk build --release
scripts/bundle-size.sh dist | tee "$TEST_OUTPUT/bundle-size.txt"

echo "== browser tests"
cargo build -p callout-console
(cd e2e && node --test --test-concurrency=1 tests/)
