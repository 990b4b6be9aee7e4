#!/usr/bin/env bash
# Runs cargo for wasm32-unknown-unknown with this machine's toolchain route.
#   scripts/cargo-wasm.sh build --release -p smartcar-auth     (size-optimised release build)
#   scripts/cargo-wasm.sh test --workspace --lib --tests        (wasm-bindgen-test in a browser)
# Both routes (scripts/toolchain.sh) compile with the same flags: the standard library is built
# from source (-Zbuild-std, allowed on a stable compiler by RUSTC_BOOTSTRAP=1) with the same
# features, so the module is the same whichever compiler the machine has, save for that
# compiler's own version (tests/e2e/build.test.mjs compares the two where both exist).
# Release and test builds use separate target dirs: their flags differ, and sharing one dir
# would rebuild the standard library at every switch.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/toolchain.sh

cmd=$1; shift
profile=test
[ "$cmd" = build ] && profile=release
export CARGO_TARGET_DIR="${CARGO_WASM_TARGET_DIR:-$PWD/target/wasm-$profile}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export RUSTC_BOOTSTRAP=1
# Deterministic across machines: no absolute paths of this checkout or of cargo's registry.
flags="--remap-path-prefix=$PWD=/smartcar --remap-path-prefix=$HOME/.cargo=/cargo"
std=(-Zbuild-std=std,panic_abort)
if [ "$profile" = release ]; then
  # Every panic becomes a bare trap with no message or formatting code behind it; the code is
  # written so that it cannot panic (clippy's unwrap/expect/panic/indexing lints deny it).
  # A 64 KB stack instead of 1 MB: nothing recurses (src/bindings/value.rs reads an array's
  # items one level deep), and each page then holds 1 MB less of wasm memory per module.
  # The stack pointer is exported: js/guard.js puts it back after an exception unwound through
  # the module's frames (the page's own JS stack running out inside a call).
  flags="$flags -Clink-arg=-zstack-size=65536 -Clink-arg=--export=__stack_pointer -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none -Ctarget-cpu=mvp -Ctarget-feature=+bulk-memory,+sign-ext,+mutable-globals,+nontrapping-fptoint"
  std+=(-Zbuild-std-features=optimize_for_size)
fi
export RUSTFLAGS="$flags"
# The browser tests build without debug info: with it the SDK's test module is 30 MB, and
# chromedriver's Chromium then stalled loading it ("Timed out receiving message from
# renderer" after 300 s, in bursts, while the same page ran in seconds under Playwright);
# without it, 6 MB, which stalls less often (scripts/test.mjs retries a page that never starts).
if [ "$profile" = test ]; then
  export CARGO_PROFILE_DEV_DEBUG=false CARGO_PROFILE_TEST_DEBUG=false
fi

if [ "$WASM_ROUTE" = rustup ]; then
  sysroot=$(rustc --print sysroot)
  [ -d "$sysroot/lib/rustlib/src/rust/library" ] || { echo "cargo-wasm.sh: the rustup route builds std from source: run \`rustup component add rust-src\`" >&2; exit 1; }
  exec cargo "$cmd" --target wasm32-unknown-unknown "${std[@]}" "$@"
fi

export RUSTC=/usr/bin/rustc
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=/usr/lib/llvm-22/bin/wasm-ld
exec /usr/bin/cargo "$cmd" --target wasm32-unknown-unknown "${std[@]}" "$@"
