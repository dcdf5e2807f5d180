# Sourced by the other scripts: puts the project's own tool folder first on PATH.
# wasm-opt comes from the npm `binaryen` package: Debian's binaryen 108 miscompiles wasm that uses
# reference types (the page fails with "WebAssembly.Table.set(): Argument 1 is invalid").
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$PROJECT_ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
