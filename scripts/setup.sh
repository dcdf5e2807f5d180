#!/usr/bin/env bash
# Installs everything a fresh machine lacks to build, run and test Callout Console.
# Idempotent: each step checks first and skips what is already there at the right version.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

TRUNK_VERSION=0.21.14
# trunk refuses a wasm-bindgen CLI that differs from the crate, so read the pin from the workspace.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
BINARYEN_VERSION=132.0.0
CARGO_FUZZ_VERSION=0.13.2
# fonts-wqy-microhei: Chinese glyphs in headless screenshots. brotli: the release build's precompressed assets.
DEBIAN_PACKAGES=(chromium chromium-driver fonts-wqy-microhei brotli)

say() { printf '[setup] %s\n' "$*"; }
# The tools below are built from source: without fat LTO and with parallel codegen they build in about
# half the time (trunk's own profile asks for both) and run as fast as this project needs.
tool_install() { CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo install "$@"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "trunk $TRUNK_VERSION: present"
else
  say "installing trunk $TRUNK_VERSION (several minutes on a cold machine)"
  tool_install trunk --version "$TRUNK_VERSION" --locked
fi

if wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  # No --locked: one of its locked dependencies is no longer in the registry.
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  tool_install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if cargo fuzz --version 2>/dev/null | grep -qx "cargo-fuzz $CARGO_FUZZ_VERSION"; then
  say "cargo-fuzz $CARGO_FUZZ_VERSION: present"
else
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (a minute or two on a cold machine)"
  tool_install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi
# No toolchain can be fetched here: scripts/fuzz.sh uses nightly when rustup has it, else the default
# toolchain with RUSTC_BOOTSTRAP=1 (cargo fuzz accepts that as nightly).
if rustup toolchain list | grep -q '^nightly-'; then
  say "nightly toolchain (for scripts/fuzz.sh): present"
else
  say "no nightly toolchain: scripts/fuzz.sh will use the default one with RUSTC_BOOTSTRAP=1"
fi

if wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*} "; then
  say "wasm-opt (binaryen $BINARYEN_VERSION): present"
else
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into .tools/"
  npm install --prefix .tools --no-audit --no-fund --loglevel=error --no-save "binaryen@$BINARYEN_VERSION"
fi

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "Debian packages (${DEBIAN_PACKAGES[*]}): present"
else
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Browser-test packages, exactly as locked. Reinstalled only when the lock file changed.
if [ -f e2e/node_modules/.package-lock.json ] && cmp -s e2e/package-lock.json e2e/node_modules/.setup-lock; then
  say "browser-test npm packages: present"
else
  say "installing browser-test npm packages"
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.setup-lock)
fi

# The providers' official Python SDKs for the interoperability tests, and schemathesis for
# scripts/api-fuzz.sh, in a venv of the project's own.
PY_REQUIREMENTS=(interop/requirements.txt scripts/requirements-fuzz.txt)
if [ -x .tools/py/bin/python ] && cat "${PY_REQUIREMENTS[@]}" | cmp -s - .tools/py/.setup-requirements; then
  say "provider SDKs and schemathesis (Python): present"
else
  say "installing the provider SDKs and schemathesis (Python) into .tools/py"
  python3 -m venv .tools/py
  .tools/py/bin/pip install --quiet --disable-pip-version-check -r interop/requirements.txt -r scripts/requirements-fuzz.txt
  cat "${PY_REQUIREMENTS[@]}" > .tools/py/.setup-requirements
fi

say "fetching crates"
cargo fetch --quiet
cargo fetch --quiet --manifest-path fuzz/Cargo.toml
say "done"
