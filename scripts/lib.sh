# Shared by the scripts in this folder: where tools live, and how progress is printed.
# shellcheck shell=bash
TOOLS_DIR="${OURA_TOOLS_DIR:-$HOME/.cache/oura-dashboard/tools}"
# npm's wasm-opt must win over any other on PATH (see scripts/setup); esbuild is npm's too.
export PATH="$TOOLS_DIR/binaryen/node_modules/binaryen/bin:$TOOLS_DIR/esbuild/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
