#!/usr/bin/env bash
# Builds a Tally SD-card image for a 64-bit Raspberry Pi 3 / 4 from Debian packages:
#   scripts/image/build.sh [--board NAME] [--screen] [--out DIR]
# -> DIR/tally-<version>-<board>[-screen].img.xz and .img.xz.sha256 (default DIR: .cache/image/out)
#
# Stages (each its own script, the slow ones cached in .cache/image/):
#   1 rootfs.sh        Debian arm64 tree: kernel, raspi-firmware, systemd, Node   (cached)
#   2 install-tally.sh deploy/install.sh inside the tree (native modules built)  (cached per commit+board)
#   3 configure.sh     first-boot units, SSH off, root locked, no keys, config.txt
#   4 assemble.sh      genimage: FAT + ext4 partitions and the MBR, no loop devices
# Runs as root (the tree keeps root-owned files); needs no loop devices, no binfmt_misc.
set -euo pipefail
# shellcheck source=scripts/image/lib.sh
. "$(dirname "$0")/lib.sh"

BOARD=rpi5-neopixel-spi
SCREEN_FLAG=""
OUT_DIR="$IMAGE_CACHE/out"
while [ $# -gt 0 ]; do
  case "$1" in
    --board) BOARD="${2:?--board needs a name}"; shift ;;
    --screen) SCREEN_FLAG=--screen ;;
    --out) OUT_DIR="${2:?--out needs a directory}"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option '$1' (valid: --board NAME, --screen, --out DIR)" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "build.sh: run as root (the image's files are root-owned)" >&2; exit 1; }
case "$BOARD" in */*|*.json) echo "build.sh: --board takes a built-in board name" >&2; exit 2 ;; esac
[ -f "$IMAGE_REPO_ROOT/boards/$BOARD.ts" ] || {
  echo "build.sh: unknown board '$BOARD' (valid: $(find "$IMAGE_REPO_ROOT/boards" -name '*.ts' ! -name index.ts ! -name mute-kind.ts -printf '%f ' | sed 's/\.ts//g'))" >&2; exit 2; }

version="$(node -p "require('$IMAGE_REPO_ROOT/package.json').version")"
commit="$(git -C "$IMAGE_REPO_ROOT" rev-parse --short HEAD)"
git -C "$IMAGE_REPO_ROOT" describe --exact-match --tags HEAD >/dev/null 2>&1 || version="$version-g$commit"
name="tally-$version-$BOARD${SCREEN_FLAG:+-screen}"
mkdir -p "$IMAGE_CACHE" "$OUT_DIR"
t0=$(date +%s)
here="$(dirname "$0")"
tree_tally="$IMAGE_CACHE/rootfs-$BOARD${SCREEN_FLAG:+-screen}"
tree_final="$IMAGE_CACHE/rootfs-final"

bash "$here/rootfs.sh" "$IMAGE_CACHE/rootfs-base"; t1=$(date +%s)
bash "$here/install-tally.sh" "$IMAGE_CACHE/rootfs-base" "$tree_tally" "$BOARD" $SCREEN_FLAG; t2=$(date +%s)
rm -rf "$tree_final"; cp -a "$tree_tally" "$tree_final"
bash "$here/configure.sh" "$tree_final" "$BOARD" "$version"; t3=$(date +%s)
bash "$here/assemble.sh" "$tree_final" "$OUT_DIR/$name.img"; t4=$(date +%s)
rm -rf "$tree_final"
xz -T0 -6 -f "$OUT_DIR/$name.img"
(cd "$OUT_DIR" && sha256sum "$name.img.xz" > "$name.img.xz.sha256")
t5=$(date +%s)
size_xz=$(stat -c %s "$OUT_DIR/$name.img.xz")
size_img=$(xz --robot -l "$OUT_DIR/$name.img.xz" | awk '$1 == "totals" {print $5}')
say "$OUT_DIR/$name.img.xz"
printf '{"image":"%s","bytes_xz":%s,"bytes_img":%s,"s_rootfs":%s,"s_install":%s,"s_configure":%s,"s_assemble":%s,"s_compress":%s,"s_total":%s}\n' \
  "$name.img.xz" "$size_xz" "$size_img" $((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $((t4 - t3)) $((t5 - t4)) $((t5 - t0)) \
  | tee "$OUT_DIR/$name.build.json"
