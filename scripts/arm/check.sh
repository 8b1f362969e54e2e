#!/usr/bin/env bash
# Tally on ARM under emulation: a Debian root file system for arm64 (or armhf), Node
# inside it, `npm install` of Tally there (native modules compiled by the emulated
# toolchain), the tests, and a wake-word run of the production build.
#
# usage: scripts/arm/check.sh [--arch arm64|armhf] [--smoke] [--install-test]
#   --smoke         the golden parity + gate tests and the wake-word run only (cheap once cached)
#   --install-test  also run deploy/install.sh inside the rootfs (scripts/arm/install-test.sh)
#   --js-only       npm install --ignore-scripts (no native module compiled: minutes instead of
#                   an hour under emulation), then the golden parity test on every engine that
#                   loads and which engine `auto` picks; no history (better-sqlite3), no wake run
# Cache: $TALLY_ARM_CACHE (default .cache/arm, git-ignored): the rootfs, and node_modules
# inside it, reused while package-lock.json is unchanged. Wall times go to stdout as JSON
# lines and to $TALLY_ARM_CACHE/check-ARCH.jsonl.
set -euo pipefail
# shellcheck source=scripts/arm/lib.sh
. "$(dirname "$0")/lib.sh"

ARCH=arm64
MODE=full
INSTALL_TEST=0
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) ARCH="${2:?--arch needs arm64 or armhf}"; shift ;;
    --smoke) MODE=smoke ;;
    --full) MODE=full ;;
    --install-test) INSTALL_TEST=1 ;;
    --js-only) MODE=js-only ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
arch_settings "$ARCH"
RESULTS="$ARM_CACHE/check-$DEB_ARCH.jsonl"
WORK=/work/tally   # inside the rootfs
[ "$MODE" = js-only ] && WORK=/work/tally-js   # its own node_modules cache

RESULT_PREFIX="arm.$DEB_ARCH"
RESULT_FIELDS="\"mode\":\"$MODE\""
LABEL="arm check"

total0=$(date +%s)
phase rootfs bash "$(dirname "$0")/rootfs.sh" "$ARCH"

# The production build is plain JavaScript, the same on every CPU: built here, copied in.
phase build bash -c "cd '$ARM_REPO_ROOT' && node scripts/build.js --if-needed"

# Copy the checkout (tracked + untracked-not-ignored files, and the build) into the rootfs,
# keeping the node_modules installed there by an earlier run.
sync_source() {
  local dest="$ROOTFS$WORK"
  mkdir -p "$dest"
  find "$dest" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .lock-sha -exec rm -rf {} +
  copy_checkout "$dest"
}
phase sync sync_source

# npm install inside the rootfs when package-lock.json changed (or on the first run).
npm_install() {
  local sha
  sha="$(sha256sum "$ARM_REPO_ROOT/package-lock.json" | cut -d' ' -f1)"
  if [ -d "$ROOTFS$WORK/node_modules" ] && [ "$(cat "$ROOTFS$WORK/.lock-sha" 2>/dev/null)" = "$sha" ]; then
    echo "node_modules cached (package-lock.json unchanged)"; return 0
  fi
  # No Electron binary (the Pi uses the kiosk); everything native compiles here, since
  # prebuilt downloads from GitHub are not reachable (and would not prove the build).
  # Install with --ignore-scripts, then rebuild what package.json's allowScripts allows: the
  # rootfs's npm (older than 11.16) would otherwise run every install script, and
  # @bufbuild/buf's throws on 32-bit ARM ("Unsupported platform: linux arm LE").
  local status=0 log="$ARM_CACHE/npm-install-$DEB_ARCH-$MODE.log"
  in_rootfs /usr/bin/env ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    sh -c "cd $WORK && npm install --no-fund --no-audit --ignore-scripts" > "$log" 2>&1 || status=$?
  if [ "$status" = 0 ] && [ "$MODE" != js-only ]; then
    local name need
    while read -r name need; do
      echo "== npm rebuild $name ($need)" >> "$log"
      if ! in_rootfs /usr/bin/env ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
          sh -c "cd $WORK && npm rebuild --foreground-scripts $name" >> "$log" 2>&1; then
        # An optional driver that does not build is reported by native-report.cjs below, and
        # its board says which package is missing; a required one fails the phase.
        echo "npm rebuild $name failed ($need)" | tee -a "$log"
        [ "$need" = optional ] || status=1
      fi
    done < <(in_rootfs sh -c "cd $WORK && node scripts/arm/allowed-scripts.cjs")
  fi
  tail -n 30 "$log"
  [ "$status" = 0 ] || return "$status"
  # Which native modules load (a failed optional driver is skipped by npm).
  in_rootfs sh -c "cd $WORK && node scripts/arm/native-report.cjs" | tee "$ARM_CACHE/native-$DEB_ARCH-$MODE.jsonl"
  echo "$sha" > "$ROOTFS$WORK/.lock-sha"
}
phase npm-install npm_install

# Emulation runs 5-20x slower than native: the same tests, with room for that.
# The default reporter names each file as it finishes, so a run stopped early still says what failed.
VITEST="npx vitest run --testTimeout=600000 --hookTimeout=900000 --reporter=${TALLY_ARM_REPORTER:-default}"
if [ "$MODE" = full ]; then
  # Unit, contract and property tests, and the native-module users (history: better-sqlite3;
  # hal: speaker, the drivers over fakes). Not the browser e2e (no Chromium in the rootfs).
  # The property test runs 200 random sequences instead of 1000 (emulation is slow).
  # The wake word run through `tally start` (start-integration) runs after them, alone: its
  # child process has its own 110 s limit, and the detector must not share the CPU with the
  # rest of the suite under emulation.
  ALONE=test/history/start-integration.test.ts
  phase tests in_work "TALLY_PBT_RUNS=\${TALLY_PBT_RUNS:-200} $VITEST --exclude $ALONE test/core test/property test/hal-sim test/hal test/audio test/wake test/cli test/history"
  phase tests-alone in_work "$VITEST $ALONE"
elif [ "$MODE" = smoke ]; then
  phase tests in_work "$VITEST test/wake/parity.test.ts test/core/gate.test.ts"
else
  phase tests in_work "$VITEST test/wake/parity.test.ts"
  phase engine in_work "node --input-type=module -e \"const m = await import('./dist/src/wake/wake-model.js'); console.log('auto wake engine on ' + process.arch + ': ' + m.resolveWakeEngine('auto'))\""
  record total "$(elapsed "$total0")"
  exit 0
fi

phase wake-run wake_run /tmp/tally-arm

if [ "$INSTALL_TEST" = 1 ]; then
  phase install-test bash "$(dirname "$0")/install-test.sh" "$ARCH"
fi
record total "$(elapsed "$total0")"
