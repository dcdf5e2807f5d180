#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo fuzz: libFuzzer with AddressSanitizer, nightly toolchain) of the code
# that reads outside input: the phone normaliser, number list text and CSV parsing, Tencent Meeting
# webhook decoding and decryption, and the Alibaba Cloud RPC signer. Each target in fuzz/ checks
# properties, not only that nothing panics. Bounded: every target runs for a fixed time, starting
# from the seeds in fuzz/corpus/<target>/ plus what earlier runs on this machine found (kept in the
# fuzz target dir, never in the seeds). Exits non-zero when any target crashes, and says where the
# reproducer is; the logs go to $TEST_OUTPUT/fuzz/.
#
#   scripts/fuzz.sh                          # every target, 20 s each
#   scripts/fuzz.sh --seconds 600            # a longer run
#   scripts/fuzz.sh --seconds 60 number_list aliyun_signer
#   scripts/fuzz.sh --list                   # the targets
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

TEST_OUTPUT="${TEST_OUTPUT:-$PWD/test-output}"
REPORT_DIR="$TEST_OUTPUT/fuzz"
SECONDS_EACH="${FUZZ_SECONDS:-20}"
# Outside the main workspace's target dir: other flags, other toolchain. Git-ignored by default.
TARGET_DIR="${FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
# The same build options for `build` and `run`, or `run` builds again. 16 codegen units build much
# faster than cargo fuzz's default of one, for a little less speed per execution.
BUILD_OPTIONS=(--target-dir "$TARGET_DIR" --codegen-units 16)

say() { printf '[fuzz] %s\n' "$*"; }
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }

list=false
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }; SECONDS_EACH="$2"; shift 2 ;;
    --seconds=*) SECONDS_EACH="${1#--seconds=}"; shift ;;
    --list) list=true; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) say "unknown option $1" >&2; usage >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if ! [[ "$SECONDS_EACH" =~ ^[1-9][0-9]*$ ]]; then
  say "--seconds wants a whole number of seconds, not '$SECONDS_EACH'" >&2
  exit 2
fi

# cargo fuzz needs a nightly compiler (sanitizer and coverage flags). No toolchain can be fetched on
# these machines, so without rustup's nightly the default toolchain runs with RUSTC_BOOTSTRAP=1,
# which cargo fuzz accepts as nightly.
if rustup toolchain list 2>/dev/null | grep -q '^nightly-'; then
  CARGO=(cargo +nightly)
else
  say "no nightly toolchain: using the default one with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
  CARGO=(cargo)
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "cargo-fuzz is missing: run scripts/setup.sh" >&2
  exit 1
fi

all=$("${CARGO[@]}" fuzz list)
if $list; then
  echo "$all"
  exit 0
fi
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets <<<"$all"
fi
for target in "${targets[@]}"; do
  grep -qx "$target" <<<"$all" || { say "no fuzz target '$target'; there are: $(echo $all)" >&2; exit 2; }
done

mkdir -p "$REPORT_DIR"
rm -f "$REPORT_DIR"/*.log

started=$(date +%s)
if [ ${#targets[@]} -eq 1 ]; then
  "${CARGO[@]}" fuzz build "${BUILD_OPTIONS[@]}" "${targets[0]}"
else
  "${CARGO[@]}" fuzz build "${BUILD_OPTIONS[@]}"
fi
say "built in $(( $(date +%s) - started ))s; fuzzing ${#targets[@]} target(s) for ${SECONDS_EACH}s each"

failed=()
summary=()
for target in "${targets[@]}"; do
  # New inputs go to the first corpus folder: the machine's own, so the committed seeds stay as they are.
  work="$TARGET_DIR/corpus/$target"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$work" "$artifacts"
  stamp=$(mktemp)
  log="$REPORT_DIR/$target.log"
  say "$target: ${SECONDS_EACH}s"
  status=0
  "${CARGO[@]}" fuzz run "${BUILD_OPTIONS[@]}" "$target" "$work" "fuzz/corpus/$target" -- \
    -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  corpus=$(find "$work" -type f | wc -l)
  line="$target: ${runs:-?} runs, ${speed:-?} per second, $corpus inputs in the corpus"
  if [ "$status" -ne 0 ]; then
    line="$line, FAILED (exit code $status)"
    failed+=("$target")
    # The broken property (the panic and its message) and libFuzzer's verdict, so that a CI log tells what failed.
    awk '/^thread .* panicked/ { n = 6 } n > 0 { print; n--; next } /^(==[0-9]+==|SUMMARY:)/' "$log" | head -12 >&2 || true
    # The crashing input, as libFuzzer escapes it after its verdict.
    sed -n '/^SUMMARY: libFuzzer/,$p' "$log" | grep -m1 -A2 '^MS: ' | sed -n '3s/^/[fuzz] input: /p' >&2 || true
    # The reproducer(s) of this run, also kept beside the log.
    found=$(find "$artifacts" -type f -newer "$stamp")
    for artifact in $found; do
      cp "$artifact" "$REPORT_DIR/"
      say "reproducer: $artifact (copy in $REPORT_DIR/); replay with: ${CARGO[*]} fuzz run ${BUILD_OPTIONS[*]} $target $artifact" >&2
    done
    [ -n "$found" ] || say "$target stopped without a reproducer; see $log" >&2
  fi
  rm -f "$stamp"
  say "$line"
  summary+=("$line")
done

printf '%s\n' "${summary[@]}" >"$REPORT_DIR/summary.txt"
say "finished in $(( $(date +%s) - started ))s; logs in $REPORT_DIR"
if [ ${#failed[@]} -gt 0 ]; then
  say "crashed: ${failed[*]}" >&2
  exit 1
fi
