#!/usr/bin/env bash
# Installs what one job needs, idempotently: only what is missing, and only for that job.
#   scripts/setup.sh build   the wasm toolchain, wasm-bindgen-cli, the npm dev dependencies
#                            (`npm run build`, `npm start`, `npm run size`)
#   scripts/setup.sh bench   build's, plus Chromium (`npm run bench`)
#   scripts/setup.sh fuzz    cargo-fuzz (`npm run fuzz`; the nightly toolchain is rustup's)
#   scripts/setup.sh test    all of the above, plus Firefox, WebKitGTK's WebKitWebDriver, Xvfb,
#                            chromedriver and geckodriver (`npm test`)
# Routes for the wasm32 toolchain (see scripts/toolchain.sh): a rustup toolchain that already
# has the wasm32 target, or Debian's rustc-web with the standard library built from source.
set -euo pipefail
cd "$(dirname "$0")/.."

job=${1:-test}
case "$job" in build | bench | fuzz | test) ;; *) printf 'usage: scripts/setup.sh build|bench|fuzz|test\n' >&2; exit 2 ;; esac
needs() { [ "$job" = test ] || [[ " $* " == *" $job "* ]]; }

GECKODRIVER_VERSION=0.37.1
CARGO_FUZZ_VERSION=0.13.2
APT_PACKAGES=()
needs bench && APT_PACKAGES+=(chromium)
needs test && APT_PACKAGES+=(chromium-driver firefox-esr webkit2gtk-driver xvfb)

say() { printf '[setup] %s\n' "$*" >&2; }
fail() { printf '[setup] cannot continue: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || fail "no cargo on PATH. Install Rust from https://rustup.rs, then run this again."
command -v node >/dev/null && command -v npm >/dev/null || fail "no node/npm on PATH. Install Node.js 18 or newer."
export PATH="$HOME/.cargo/bin:$PATH"

# --- system packages -------------------------------------------------------------------------
source scripts/toolchain.sh
if [ "$WASM_ROUTE" = debian ] && needs build bench; then
  APT_PACKAGES+=(rustc-web cargo-web rust-web-src lld-22)
fi
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    fail "missing ${missing[*]}. This is not a Debian machine: install Chromium + chromedriver, Firefox, WebKitGTK's WebKitWebDriver with Xvfb, and a Rust toolchain with the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown), then run this again."
  fi
  [ "$(id -u)" = 0 ] || fail "missing Debian packages. Run: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  say "installing ${missing[*]} (apt)"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
source scripts/toolchain.sh   # again: the Debian route's files may have just arrived

# --- cargo-installed tools -------------------------------------------------------------------
# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly, or binding is refused.
[ -f Cargo.lock ] || cargo generate-lockfile >&2
if needs build bench; then
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
[ -n "$bindgen_version" ] || fail "Cargo.lock names no wasm-bindgen version"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$bindgen_version" ]; then
  say "installing wasm-bindgen-cli $bindgen_version (cargo install, about 3 minutes)"
  # No --locked: one of its locked dependencies is missing from the registry.
  cargo install -q wasm-bindgen-cli --version "$bindgen_version" >&2
fi
fi
if needs && [ "$(geckodriver --version 2>/dev/null | awk 'NR==1 {print $2}')" != "$GECKODRIVER_VERSION" ]; then
  say "installing geckodriver $GECKODRIVER_VERSION (cargo install, about 2 minutes)"
  cargo install -q geckodriver --version "$GECKODRIVER_VERSION" >&2
fi
# cargo-fuzz runs the fuzz targets in fuzz/ (the `fuzz` layer of `npm test`, `npm run fuzz`).
# It builds them with the nightly toolchain; without one, that layer fails and says so.
if needs fuzz && [ "$(cargo fuzz --version 2>/dev/null | awk '{print $2}')" != "$CARGO_FUZZ_VERSION" ]; then
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION (cargo install, about 2 minutes)"
  cargo install -q cargo-fuzz --version "$CARGO_FUZZ_VERSION" >&2
fi

# --- npm dev dependencies (wasm-opt from npm binaryen, bundlers, browser drivers) ---------------
stamp=node_modules/.setup-stamp
if needs build bench && { [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(sha256sum package-lock.json | cut -d' ' -f1)" ]; }; then
  say "installing npm dev dependencies"
  npm ci --no-audit --no-fund --loglevel=error >&2
  sha256sum package-lock.json | cut -d' ' -f1 > "$stamp"
fi
