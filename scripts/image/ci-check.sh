#!/usr/bin/env bash
# CI's reduced form of the SD-card image build and boot test (the full one is
# scripts/image/build.sh + boot-test.sh, tens of minutes: docs/sd-card-image.md).
#   scripts/image/ci-check.sh [--timeout S]
# Builds a quick base tree (rootfs.sh --quick: no Tally, no Node, an initramfs for qemu's
# virt board only), runs the image's own configure stage (first-boot units, SSH off, root
# locked, no machine id or keys) and genimage on it, boots one copy in qemu's virt board
# and checks the first boot from the host: hostname tally-XXXX, root grown into the card,
# SSH off with no host keys, root locked with no login user, no failed units.
# Prints one JSON line of timings last. Root only (the tree keeps root-owned files).
set -euo pipefail
# shellcheck source=scripts/image/lib.sh
. "$(dirname "$0")/lib.sh"

TIMEOUT=900
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) TIMEOUT="${2:?--timeout needs seconds}"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "ci-check.sh: unknown option '$1' (valid: --timeout S)" >&2; exit 2 ;;
  esac
  shift
done
[ "$(id -u)" = 0 ] || { echo "ci-check.sh: run as root (the image's files are root-owned)" >&2; exit 1; }

here="$(dirname "$0")"
tree="$IMAGE_CACHE/rootfs-quick"
final="$IMAGE_CACHE/rootfs-quick-final"
img="$IMAGE_CACHE/out/ci-quick.img"
mkdir -p "$IMAGE_CACHE/out"
t0=$(date +%s)
bash "$here/rootfs.sh" --quick "$tree"; t1=$(date +%s)
# configure.sh changes the tree: it works on a copy, so the cached stage stays pristine.
rm -rf "$final"; cp -a "$tree" "$final"
bash "$here/configure.sh" "$final" sim ci-quick; t2=$(date +%s)
bash "$here/assemble.sh" "$final" "$img"; t3=$(date +%s)
rm -rf "$final"
status=0
bash "$here/boot-test.sh" "$img" --base --boots 1 --timeout "$TIMEOUT" || status=$?
t4=$(date +%s)
boot_wall="$(cat "$IMAGE_CACHE/boot-test/wall-1" 2>/dev/null || echo null)"
rm -f "$img"
printf '{"check":"image.quick","ok":%s,"bytes_tree":%s,"s_rootfs":%s,"s_configure":%s,"s_assemble":%s,"s_boot_test":%s,"s_boot_probe":%s,"s_total":%s}\n' \
  "$([ "$status" = 0 ] && echo true || echo false)" "$(du -sb "$tree" | cut -f1)" \
  $((t1 - t0)) $((t2 - t1)) $((t3 - t2)) $((t4 - t3)) "$boot_wall" $((t4 - t0))
exit "$status"
