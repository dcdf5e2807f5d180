#!/usr/bin/env bash
# Fuzzes the HTTP API with schemathesis (an independent OpenAPI fuzzer) against the real backend in
# sandbox mode, using the OpenAPI document the backend serves itself. Every check is on: no 5xx, no
# status code, content type or header the document does not declare, every response matching its
# schema, schema-valid requests accepted and schema-invalid ones refused. Bounded: a few examples per
# operation. Exits non-zero on any finding; the reports go to $TEST_OUTPUT/api-fuzz/.
#
#   scripts/api-fuzz.sh                 # build, start, fuzz, stop
#   API_FUZZ_EXAMPLES=20 scripts/api-fuzz.sh
#   API_FUZZ_SEED=random scripts/api-fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

TEST_OUTPUT="${TEST_OUTPUT:-$PWD/test-output}"
REPORT_DIR="$TEST_OUTPUT/api-fuzz"
EXAMPLES="${API_FUZZ_EXAMPLES:-5}"
# A fixed seed makes a finding reproducible run after run; API_FUZZ_SEED=random draws a new one.
SEED="${API_FUZZ_SEED:-20240501}"
SCHEMATHESIS=.tools/py/bin/schemathesis
BIN="${CARGO_TARGET_DIR:-target}/debug/callout-console"

say() { printf '[api-fuzz] %s\n' "$*"; }

if ! [ -x "$SCHEMATHESIS" ]; then
  say "schemathesis is missing: run scripts/setup.sh" >&2
  exit 1
fi

cargo build --quiet -p callout-console

# A free loopback port: bind port 0 and read what the kernel gave.
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
BASE="http://127.0.0.1:$PORT"
DATA=$(mktemp -d)
mkdir -p "$REPORT_DIR"
rm -f "$REPORT_DIR"/*

backend=""
stop() {
  trap - EXIT INT TERM
  if [ -n "$backend" ]; then
    kill "$backend" 2>/dev/null || true
    wait "$backend" 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap stop EXIT INT TERM

# Sandbox mode (no provider account configured), dev sign-in, emulated calls twenty times faster,
# no configuration file of the developer's: only what is set here.
env -u CALLOUT_CONFIG \
  CALLOUT__SERVER__BIND="\"127.0.0.1:$PORT\"" \
  CALLOUT__SERVER__DATA_DIR="\"$DATA\"" \
  CALLOUT__SANDBOX__TIME_SCALE=0.05 \
  RUST_LOG="${RUST_LOG:-warn}" \
  "$BIN" serve >"$REPORT_DIR/backend.log" 2>&1 &
backend=$!

for _ in $(seq 1 100); do
  curl -fsS "$BASE/api/v1/health" >/dev/null 2>&1 && break
  kill -0 "$backend" 2>/dev/null || { say "the backend stopped; see $REPORT_DIR/backend.log" >&2; exit 1; }
  sleep 0.1
done
curl -fsS "$BASE/api/v1/health" >/dev/null || { say "the backend did not answer /api/v1/health" >&2; exit 1; }
say "backend on $BASE (sandbox mode), $EXAMPLES examples per operation, seed $SEED"

seed_args=()
[ "$SEED" = random ] || seed_args=(--seed "$SEED")

started=$(date +%s)
status=0
# --url: the document's paths carry their /api/v1 prefix themselves (the webhook route has none).
# X-CSRF: 1 on every request, as the admin panel sends it (state-changing requests need it).
# One worker: with two threads, CPython 3.11.7's parser (hypothesis describes its lambdas with
# ast.parse) failed once with "SystemError: AST constructor recursion depth mismatch", a CPython bug
# with concurrent parsing: an error of the fuzzer, not of the API. One worker costs a few seconds.
"$SCHEMATHESIS" --config-file scripts/api-fuzz.toml run "$BASE/api/v1/openapi.json" \
  --url "$BASE" \
  --checks all \
  --max-examples "$EXAMPLES" \
  "${seed_args[@]}" \
  --header "X-CSRF: 1" \
  --workers 1 \
  --request-timeout 10 \
  --generation-database none \
  --no-color \
  --report junit,ndjson,vcr \
  --report-dir "$REPORT_DIR" \
  2>&1 | tee "$REPORT_DIR/schemathesis.txt" || status=$?
# With pipefail the pipeline fails with schemathesis' own exit code (tee succeeds).
say "schemathesis finished in $(( $(date +%s) - started ))s with exit code $status; reports in $REPORT_DIR"
if ! kill -0 "$backend" 2>/dev/null; then
  say "the backend died during the run; see $REPORT_DIR/backend.log" >&2
  status=1
fi
exit "$status"
