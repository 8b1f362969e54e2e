#!/usr/bin/env bash
# Stage 3 of the image: the finished arm64 tree -> an MBR SD-card image (FAT boot +
# ext4 root) with genimage, which builds the partitions as files (mkdosfs + mcopy for
# FAT, mke2fs -d for ext4) and writes the partition table itself: no loop devices, no
# mounts, so it runs as root in a container. Usage: assemble.sh TREE OUT.img
set -euo pipefail
# shellcheck source=scripts/image/lib.sh
. "$(dirname "$0")/lib.sh"

TREE="${1:?usage: assemble.sh TREE OUT.img}"
OUT="${2:?usage: assemble.sh TREE OUT.img}"
host_need genimage:genimage mkdosfs:dosfstools mcopy:mtools mke2fs:e2fsprogs sfdisk:fdisk

[ -f "$TREE/boot/firmware/config.txt" ] || { echo "assemble: $TREE/boot/firmware has no config.txt (raspi-firmware hook did not run?)" >&2; exit 1; }
work="$(mktemp -d "$IMAGE_CACHE/genimage.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Root: what the tree holds plus room for the first boot and logs; the first boot grows
# it to the card. Boot: 256 MiB like Raspberry Pi OS (kernel + initrd + DTBs ~ 80 MiB).
root_mb=$(( $(du -sm --exclude=./boot/firmware "$TREE" | cut -f1) * 115 / 100 + 200 ))
cat > "$work/genimage.cfg" <<CFG
image boot.vfat {
  vfat {
    label = "$BOOT_LABEL"
  }
  size = 256M
  mountpoint = "/boot/firmware"
}
image root.ext4 {
  ext4 {
    label = "$ROOT_LABEL"
    use-mke2fs = true
    # 4 KiB blocks whatever the image size: the first boot grows this file system to the
    # card, and resize2fs cannot change the block size mke2fs picks for small ones.
    extraargs = "-b 4096 -T default"
  }
  size = ${root_mb}M
  mountpoint = "/"
}
image $(basename "$OUT") {
  hdimage {
    partition-table-type = "mbr"
  }
  partition boot {
    partition-type = 0xC
    bootable = true
    offset = 4M
    image = "boot.vfat"
  }
  partition root {
    partition-type = 0x83
    image = "root.ext4"
  }
}
CFG
mkdir -p "$work/in" "$work/tmp" "$(dirname "$OUT")"
genimage --config "$work/genimage.cfg" --rootpath "$TREE" --tmppath "$work/tmp" \
  --inputpath "$work/in" --outputpath "$work"
mv "$work/$(basename "$OUT")" "$OUT"
sfdisk --dump "$OUT"
