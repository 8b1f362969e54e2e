#!/usr/bin/env bash
# Stage 2 of the image: Tally installed into a copy of the base tree by deploy/install.sh
# (the Pi installer, non-interactive, run inside the tree through proot + qemu-user), then
# the build-only packages removed. Usage: install-tally.sh BASE OUT BOARD [--screen]
# The source is the committed tree (git archive HEAD) with dist/ and the screen bundle
# built on the host: they are plain JavaScript, the same on every architecture.
set -euo pipefail
# shellcheck source=scripts/image/lib.sh
. "$(dirname "$0")/lib.sh"

BASE="${1:?usage: install-tally.sh BASE OUT BOARD [--screen]}"
OUT="${2:?usage: install-tally.sh BASE OUT BOARD [--screen]}"
BOARD="${3:?usage: install-tally.sh BASE OUT BOARD [--screen]}"
SCREEN_FLAG="${4:-}"
[ -f "$BASE/.tally-stage-done" ] || { echo "install-tally: no base tree at $BASE (run rootfs.sh)" >&2; exit 1; }

# TALLY_IMAGE_MODULES=DIR: an arm64 node_modules compiled elsewhere (scripts/arm/check.sh's
# cache: $TALLY_ARM_CACHE/rootfs-arm64-bookworm/work/tally/node_modules) is put in place
# first; deploy/install.sh keeps compiled modules and prunes the rest. Without it every
# native module compiles inside the image under emulation (the better part of an hour).
MODULES="${TALLY_IMAGE_MODULES:-}"
if [ -n "$MODULES" ]; then
  [ -f "$MODULES/better-sqlite3/build/Release/better_sqlite3.node" ] || { echo "install-tally: $MODULES has no compiled better-sqlite3" >&2; exit 1; }
  file -L "$MODULES/better-sqlite3/build/Release/better_sqlite3.node" | grep -q aarch64 || { echo "install-tally: $MODULES is not arm64" >&2; exit 1; }
fi
commit="$(git -C "$IMAGE_REPO_ROOT" rev-parse HEAD)"
key="$commit $BOARD $SCREEN_FLAG${MODULES:+ prebuilt-modules}"
if [ -f "$OUT/.tally-stage-done" ] && [ "$(cat "$OUT/.tally-stage-done")" = "$key" ]; then
  say "Tally tree cached: $OUT ($key)"; exit 0
fi
start=$(date +%s)

# 1. The source: committed files + a host build of dist/ and ui/dist.
src="$IMAGE_CACHE/src"
rm -rf "$src"; mkdir -p "$src"
git -C "$IMAGE_REPO_ROOT" archive --format=tar HEAD | tar -xf - -C "$src"
ln -s "$IMAGE_REPO_ROOT/node_modules" "$src/node_modules"
(cd "$src" && npm run --silent build)
rm "$src/node_modules"
say "host build of dist/ in $(elapsed "$start") s"

# 2. A fresh copy of the base tree.
rm -rf "$OUT"; cp -a "$BASE" "$OUT"
rm -f "$OUT/.tally-stage-done"
mkdir -p "$OUT/tmp/tally-src"; cp -a "$src/." "$OUT/tmp/tally-src/"
# apt inside proot cannot drop to the _apt user.
echo 'APT::Sandbox::User "root";' > "$OUT/etc/apt/apt.conf.d/00tally-image-build"
# npm: Debian's nodejs has none; the registry's npm is plain JavaScript. It stays in the
# image (/usr/local) so deploy/install.sh can be run again on the device.
npm_tmp="$(mktemp -d)"
(cd "$npm_tmp" && npm pack --silent npm@11 >/dev/null)
mkdir -p "$OUT/usr/local/lib/node_modules/npm"
tar -xzf "$npm_tmp"/npm-*.tgz -C "$OUT/usr/local/lib/node_modules/npm" --strip-components=1
rm -rf "$npm_tmp"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$OUT/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$OUT/usr/local/bin/npx"

if [ -n "$MODULES" ]; then
  mkdir -p "$OUT/opt/tally"; cp -a "$MODULES" "$OUT/opt/tally/node_modules"
  say "arm64 node_modules from $MODULES"
fi

# 3. The installer. Native modules compile here (no prebuilt binaries can be fetched):
# node-gyp takes the headers of Debian's node from libnode-dev instead of downloading them.
# With prebuilt modules nothing compiles, and the runtime packages (nodejs, alsa-utils,
# gpiod) are already in the base tree: no apt run at all (apt under emulation is slow).
apt_flag=""
if [ -n "$MODULES" ]; then
  apt_flag=--skip-apt
else
  in_tree "$OUT" apt-get update
  in_tree "$OUT" apt-get install -y --no-install-recommends libnode-dev
fi
touch "$OUT/etc/default/raspi-firmware-custom"
# shellcheck disable=SC2086  # SCREEN_FLAG and apt_flag are empty or one flag
in_tree "$OUT" env npm_config_nodedir=/usr /tmp/tally-src/deploy/install.sh --board "$BOARD" \
  --voice wyoming --yes --no-reboot --firmware-config /etc/default/raspi-firmware-custom $SCREEN_FLAG $apt_flag
say "deploy/install.sh done in $(elapsed "$start") s"

# 4. Build-only packages out (the compiled modules stay); apt lists and caches out.
# Only those installed: apt cannot even name a package it has no list for (the prebuilt-
# modules route never ran apt-get update).
build_only=""
for p in build-essential libasound2-dev libgpiod-dev libnode-dev python3; do
  # shellcheck disable=SC2016  # dpkg-query's own ${field} syntax
  if dpkg-query --admindir="$OUT/var/lib/dpkg" -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then build_only="$build_only $p"; fi
done
# shellcheck disable=SC2086  # a list of package names
[ -z "$build_only" ] || in_tree "$OUT" apt-get purge -y $build_only
in_tree "$OUT" apt-get autoremove --purge -y
in_tree "$OUT" apt-get clean
rm -rf "$OUT/var/lib/apt/lists/"* "$OUT/tmp/tally-src" "$OUT/root/.npm" "$OUT/root/.cache" \
  "$OUT/etc/apt/apt.conf.d/00tally-image-build"
echo "$key" > "$OUT/.tally-stage-done"
say "Tally tree ready in $(elapsed "$start") s: $OUT"
