#!/usr/bin/env bash
# The checks below are shell snippets run inside the rootfs: single quotes are meant.
# shellcheck disable=SC2016
# deploy/install.sh inside the ARM rootfs, everything short of a running systemd:
# install (apt, user, firmware block, /opt/tally without dev dependencies, units),
# every command from the install, a second run (idempotent), --uninstall, --purge.
# Needs scripts/arm/check.sh to have run first (rootfs + the checkout in /work/tally).
# usage: scripts/arm/install-test.sh [arm64|armhf]
set -euo pipefail
# shellcheck source=scripts/arm/lib.sh
. "$(dirname "$0")/lib.sh"
arch_settings "${1:-arm64}"
WORK_DIR=/work/tally
[ -f "$ROOTFS$WORK_DIR/package.json" ] || { echo "run scripts/arm/check.sh --arch $DEB_ARCH first" >&2; exit 1; }

failures=0
check() {  # check DESCRIPTION CMD... (run inside the rootfs)
  local desc="$1"; shift
  if in_rootfs "$@" >/dev/null 2>&1; then echo "ok   $desc"; else echo "FAIL $desc"; failures=$((failures + 1)); fi
}

# A Pi's firmware config, as Raspberry Pi OS ships it (trimmed).
mkdir -p "$ROOTFS/boot/firmware"
printf '# stock\ndtparam=audio=on\n[pi4]\narm_boost=1\n[all]\n' > "$ROOTFS/boot/firmware/config.txt"
rm -rf "$ROOTFS/opt/tally" "$ROOTFS/var/lib/tally"
# apt cannot drop to its _apt user under proot's fake root.
echo 'APT::Sandbox::User "root";' > "$ROOTFS/etc/apt/apt.conf.d/99tally-proot"
# A previous install's node_modules (the one check.sh compiled, dev tools included): the
# installer keeps compiled modules and prunes the rest. A first install would compile
# better-sqlite3 again, which takes the better part of an hour under emulation.
if [ "${TALLY_INSTALL_TEST_FRESH:-0}" != 1 ]; then
  mkdir -p "$ROOTFS/opt/tally"
  cp -a "$ROOTFS$WORK_DIR/node_modules" "$ROOTFS/opt/tally/node_modules"
fi

t0=$(date +%s)
# TALLY_INSTALL_TEST_APT=0: packages already in the rootfs, skip apt (saves minutes of emulated dpkg).
apt_flag=()
[ "${TALLY_INSTALL_TEST_APT:-1}" = 1 ] || apt_flag=(--skip-apt)
in_rootfs bash "$WORK_DIR/deploy/install.sh" --board rpi5-neopixel-spi --yes --no-reboot "${apt_flag[@]}"
echo "{\"name\":\"arm.$DEB_ARCH.install\",\"value\":$(elapsed "$t0"),\"unit\":\"s\"}"

check "user tally in gpio spi audio video" sh -c 'for g in gpio spi audio video; do id -nG tally | tr " " "\n" | grep -qx $g || exit 1; done'
check "data dir 0700 tally" sh -c '[ "$(stat -c %a:%U /var/lib/tally)" = 700:tally ]'
check "unit filled in, sandboxed" sh -c 'u=/etc/systemd/system/tally.service; ! grep -qE "@[A-Z_]+@" $u && grep -q "^ProtectSystem=strict" $u && grep -q "^NoNewPrivileges=yes" $u && grep -q "^PrivateTmp=yes" $u && grep -q "^DevicePolicy=closed" $u && grep -q "^ReadWritePaths=/var/lib/tally$" $u && grep -q "^User=tally" $u && grep -q "^ExecStart=/usr/local/bin/node /opt/tally/bin/tally.js start" $u'
check "unit enabled (WantedBy link, no systemd running)" test -L /etc/systemd/system/multi-user.target.wants/tally.service
check "board + real voice service in /etc/default/tally" sh -c 'grep -qx TALLY_BOARD=rpi5-neopixel-spi /etc/default/tally && grep -qx TALLY_VOICE=wyoming /etc/default/tally'
check "config.txt: one tally block with spi" sh -c '[ "$(grep -c ">>> tally" /boot/firmware/config.txt)" = 1 ] && grep -qx dtparam=spi=on /boot/firmware/config.txt'
check "no dev tools or other optional packages in /opt/tally" sh -c 'cd /opt/tally/node_modules && for d in tsx vite typescript esbuild vitest electron johnny-five onoff rpi-ws281x-native; do [ ! -e $d ] || exit 1; done'
# speaker is optional (no linux/arm64 build): tones then play through aplay.
check "board drivers installed (node-libgpiod, spi-device; speaker or aplay)" sh -c 'cd /opt/tally/node_modules && [ -d node-libgpiod ] && [ -d spi-device ] && { [ -d speaker ] || command -v aplay; }'
check "tally --help runs from dist" sh -c 'cd /opt/tally && TALLY_RUN=dist node bin/tally.js --help | grep -q doctor'
check "tally runs dist without TALLY_RUN (no dev tools there)" sh -c 'cd /opt/tally && node bin/tally.js doctor --board sim'
check "every command runs: doctor, history, settings, pair, wake-eval" sh -c 'cd /opt/tally && d=$(mktemp -d) && node bin/tally.js history list --data-dir $d && node bin/tally.js settings get --data-dir $d >/dev/null && node bin/tally.js pair --data-dir $d >/dev/null && mkdir -p $d/p $d/n && cp /work/tally/test/wake/fixtures/wakeword/audio/tts_alexa.wav $d/p/ && cp /work/tally/test/wake/fixtures/wakeword/audio/tts_negative.wav $d/n/ && node bin/tally.js wake-eval --model alexa --positive $d/p --negative $d/n | grep -q "misses        0/1"'
check "tally start (wake word, screen bundle served) without dev dependencies" sh -c 'cd /opt/tally && d=$(mktemp -d) && node bin/tally.js start --board sim --no-electron --data-dir $d --mic-file /work/tally/test/wake/fixtures/wakeword/audio/tts_alexa_command.wav --exit-when-idle > $d/out 2>&1; grep -q "ledger: stream 1 wake" $d/out && grep -q "^screen: http" $d/out'

before="$(sha256sum "$ROOTFS/boot/firmware/config.txt")"
if in_rootfs bash "$WORK_DIR/deploy/install.sh" --board rpi5-neopixel-spi --yes --no-reboot --skip-apt > "$ARM_CACHE/install-rerun.log" 2>&1; then
  echo "ok   second run succeeds"
else
  echo "FAIL second run (see $ARM_CACHE/install-rerun.log)"; failures=$((failures + 1))
fi
if [ "$before" = "$(sha256sum "$ROOTFS/boot/firmware/config.txt")" ]; then
  echo "ok   second run leaves config.txt alone"
else
  echo "FAIL config.txt changed on rerun"; failures=$((failures + 1))
fi

in_rootfs bash "$WORK_DIR/deploy/install.sh" --uninstall --yes
check "uninstall: unit, defaults, /opt/tally and user gone" sh -c '[ ! -e /etc/systemd/system/tally.service ] && [ ! -e /etc/systemd/system/multi-user.target.wants/tally.service ] && [ ! -e /etc/default/tally ] && [ ! -e /opt/tally ] && ! id tally'
check "uninstall: config.txt block removed" sh -c '! grep -q "tally" /boot/firmware/config.txt'
check "uninstall keeps the data dir" test -d /var/lib/tally
in_rootfs bash "$WORK_DIR/deploy/install.sh" --uninstall --purge --yes
check "--purge deletes the data dir" sh -c '[ ! -e /var/lib/tally ]'

echo "install test: $failures failure(s)"
[ "$failures" = 0 ]
