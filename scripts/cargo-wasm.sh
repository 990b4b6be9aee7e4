#!/usr/bin/env bash
# Runs cargo for wasm32-unknown-unknown with this machine's toolchain route.
#   scripts/cargo-wasm.sh build --release -p smartcar-auth     (size-optimised release build)
#   scripts/cargo-wasm.sh test --workspace --lib --tests        (wasm-bindgen-test in a browser)
# Release and test builds use separate target dirs: their flags differ, and sharing one dir
# would rebuild the standard library at every switch.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/toolchain.sh

cmd=$1; shift
profile=test
[ "$cmd" = build ] && profile=release
export CARGO_TARGET_DIR="$PWD/target/wasm-$profile"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
# Deterministic across machines: no absolute paths of this checkout or of cargo's registry.
flags="--remap-path-prefix=$PWD=/smartcar --remap-path-prefix=$HOME/.cargo=/cargo"

if [ "$WASM_ROUTE" = rustup ]; then
  export RUSTFLAGS="$flags"
  exec cargo "$cmd" --target wasm32-unknown-unknown "$@"
fi

export RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld
std=(-Zbuild-std=std,panic_abort)
if [ "$profile" = release ]; then
  # Every panic becomes a bare trap with no message or formatting code behind it; the code is
  # written so that it cannot panic (clippy's unwrap/expect/panic/indexing lints deny it).
  flags="$flags -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Ctarget-cpu=mvp -Ctarget-feature=+bulk-memory,+sign-ext,+mutable-globals,+nontrapping-fptoint"
  std+=(-Zbuild-std-features=optimize_for_size)
fi
export RUSTFLAGS="$flags"
exec /usr/bin/cargo "$cmd" --target wasm32-unknown-unknown "${std[@]}" "$@"
