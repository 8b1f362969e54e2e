#!/usr/bin/env bash
# CI's reduced form of scripts/arm/check.sh (arm64): Tally's production build and its wake
# word pipeline on an arm64 Node under qemu-user, in minutes instead of hours.
#
# What it saves, and what still proves ARM:
# - no `npm install` under emulation (an hour of native compiles): the host's node_modules
#   is copied in. Its JavaScript is the same on every CPU, and onnxruntime-node's package
#   already holds the linux/arm64 binary, so the native wake engine is the real ARM one;
# - better-sqlite3 (the history store) is cross-compiled on the host for arm64 with
#   Debian's aarch64 gcc against the arm64 Node's headers, then loaded by the arm64 Node;
# - a Debian arm64 rootfs of unpacked packages only (debootstrap's first stage: no dpkg
#   configure step under qemu, no compilers), cached like check.sh's.
# Then, under qemu: the native modules that must load, the gate test, the golden parity test
# on both wake engines (one input each), and `tally start --mic-file … --exit-when-idle`
# from dist/ with plain node, whose stream must end processed.
#
# usage: scripts/arm/ci-smoke.sh        (root: debootstrap; Debian's mirror)
# Needs: debootstrap proot qemu-user-static g++-aarch64-linux-gnu (--install-tools installs them).
# Wall times go to stdout as JSON lines and to $TALLY_ARM_CACHE/ci-smoke-arm64.jsonl.
set -euo pipefail
export TALLY_ARM_FLAVOUR=smoke
# shellcheck source=scripts/arm/lib.sh
. "$(dirname "$0")/lib.sh"
arch_settings arm64
RESULTS="$ARM_CACHE/ci-smoke-arm64.jsonl"
RESULT_PREFIX=arm-smoke.arm64
RESULT_FIELDS=""
LABEL="arm smoke"
WORK=/work/tally-smoke   # inside the rootfs
TOOLS="debootstrap proot qemu-user-static g++-aarch64-linux-gnu"

if [ "${1:-}" = --install-tools ]; then
  missing=""
  for p in $TOOLS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    apt-get update -qq
    # shellcheck disable=SC2086  # a list of package names
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  fi
fi
for tool in debootstrap proot "$QEMU" aarch64-linux-gnu-g++; do
  command -v "$tool" >/dev/null || { echo "arm smoke: missing $tool (apt-get install $TOOLS, or --install-tools)" >&2; exit 1; }
done
mkdir -p "$ARM_CACHE"

total0=$(date +%s)
phase rootfs bash "$(dirname "$0")/rootfs.sh" arm64
phase build bash -c "cd '$ARM_REPO_ROOT' && node scripts/build.js --if-needed"

# The checkout, its build and the host's node_modules, into the rootfs (replaced each run).
sync_tree() {
  local dest="$ROOTFS$WORK"
  rm -rf "$dest"; mkdir -p "$dest"
  copy_checkout "$dest"
  # Electron's binary is not used (no screen here); better-sqlite3's x64 build is replaced below.
  tar -C "$ARM_REPO_ROOT" --exclude=node_modules/electron/dist --exclude=node_modules/better-sqlite3/build \
    -cf - node_modules | tar -xf - -C "$dest"
}
phase sync sync_tree

# The host's platform packages are x64 (esbuild for tsx and Vite, rollup for Vite, koffi
# for the echo canceller): their arm64 twins at the same versions, from the registry, as
# `npm install` on a Pi picks them.
arm64_twins() {
  local x64 pkg version tmp
  tmp="$(mktemp -d)"
  for x64 in @esbuild/linux-x64 @rollup/rollup-linux-x64-gnu @koromix/koffi-linux-x64; do
    [ -f "$ARM_REPO_ROOT/node_modules/$x64/package.json" ] || continue
    pkg="${x64/x64/arm64}"
    version="$(node -p "require('$ARM_REPO_ROOT/node_modules/$x64/package.json').version")"
    (cd "$tmp" && npm pack --silent "$pkg@$version" >/dev/null) || return 1
    mkdir -p "$ROOTFS$WORK/node_modules/$pkg"
    tar -xzf "$tmp"/*.tgz -C "$ROOTFS$WORK/node_modules/$pkg" --strip-components=1
    rm -f "$tmp"/*.tgz
    echo "arm64 twin: $pkg@$version"
  done
  rm -rf "$tmp"
}
phase twins arm64_twins

# better-sqlite3 for arm64, built on the host by the cross compiler with npm's own node-gyp.
cross_sqlite() {
  local gyp
  gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
  [ -f "$gyp" ] || { echo "arm smoke: npm's node-gyp not found at $gyp" >&2; return 1; }
  (cd "$ROOTFS$WORK/node_modules/better-sqlite3" \
    && CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ LINK=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar \
       node "$gyp" rebuild --release --arch=arm64 --nodedir="$ROOTFS/usr/local" -j 2 >"$ARM_CACHE/ci-smoke-sqlite.log" 2>&1) \
    || { tail -n 30 "$ARM_CACHE/ci-smoke-sqlite.log" >&2; return 1; }
  # An x64 binary here would mean the cross build was not used.
  od -An -tx1 -j18 -N2 "$ROOTFS$WORK/node_modules/better-sqlite3/build/Release/better_sqlite3.node" | grep -q 'b7 00' \
    || { echo "arm smoke: better_sqlite3.node is not an aarch64 ELF" >&2; return 1; }
}
phase cross-sqlite cross_sqlite

# The two native modules the sim board's run needs, loading on arm64.
phase native in_work "node -e \"
  const Db = require('better-sqlite3'); const db = new Db(':memory:');
  if (db.prepare('select 40 + 2 as n').get().n !== 42) process.exit(1);
  require('onnxruntime-node');
  console.log('arm64 natives load:', process.arch, 'better-sqlite3', 'onnxruntime-node');\""

VITEST="npx vitest run --testTimeout=600000 --hookTimeout=900000"
phase tests in_work "$VITEST test/core/gate.test.ts && $VITEST test/wake/parity.test.ts -t 'sine_1k: mel rows'"

phase wake-run wake_run /tmp/tally-smoke --no-display
record total "$(elapsed "$total0")" '"ok":true'
