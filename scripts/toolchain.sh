# Sourced by scripts/setup.sh and scripts/cargo-wasm.sh: decides how this machine builds wasm32.
#   rustup: a rustup toolchain that already has the wasm32-unknown-unknown target (a laptop);
#   debian: Debian's rustc-web + rust-web-src, building std with -Zbuild-std (these machines,
#           where rustup cannot download the target). See ../shared/TOOLCHAIN.md.
# WASM_ROUTE set by the caller picks one (tests/e2e/build.test.mjs builds with each).
if [ -n "${WASM_ROUTE:-}" ]; then
  :
elif rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  WASM_ROUTE=rustup
else
  WASM_ROUTE=debian
fi
export WASM_ROUTE
