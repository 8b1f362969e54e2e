#!/usr/bin/env bash
# Stage 1 of the image: a Debian arm64 root file system with the kernel, the Pi firmware,
# systemd and Node, from Debian's packages only. Cached in $IMAGE_CACHE/rootfs-base.
# Usage: scripts/image/rootfs.sh [--quick] [OUT_DIR]
# --quick: CI's reduced form (scripts/image/ci-check.sh): only what boots to a locked-down
# base system (IMAGE_QUICK_PACKAGES: no Node, Wi-Fi or audio), and an initramfs with only
# the drivers qemu's virt board needs (virtio disk, ext4) — the image cannot boot a Pi.
set -euo pipefail
# shellcheck source=scripts/image/lib.sh
. "$(dirname "$0")/lib.sh"

QUICK=0
if [ "${1:-}" = --quick ]; then QUICK=1; shift; fi
OUT="${1:-$IMAGE_CACHE/rootfs-base}"
packages="$IMAGE_PACKAGES"
[ "$QUICK" = 0 ] || packages="$IMAGE_QUICK_PACKAGES"
if [ -f "$OUT/.tally-stage-done" ]; then say "rootfs cached: $OUT"; exit 0; fi
host_need mmdebstrap:mmdebstrap proot:proot "$IMAGE_QEMU:qemu-user-static" python3:python3

start=$(date +%s)
rm -rf "$OUT"; mkdir -p "$(dirname "$OUT")"
# Download + extract on the host: nothing foreign runs, so no binfmt_misc is needed.
# shellcheck disable=SC2046,SC2086
mmdebstrap --mode=root --variant=extract --architectures=arm64 --skip=check/qemu \
  --skip=cleanup/apt/cache --components=main,non-free-firmware \
  --include='?essential' $(printf -- '--include=%s ' $packages) \
  "$IMAGE_SUITE" "$OUT" "$IMAGE_MIRROR"
say "downloaded and extracted in $(elapsed "$start") s"

# The kernel's postinst copies to /boot/firmware through raspi-firmware's hook; in the
# image it is the FAT partition, here a plain directory.
mkdir -p "$OUT/boot/firmware"
# Where the Pi firmware hook points the kernel: the root partition by label, so the same
# tree boots from an SD card (mmcblk0p2) and a virtio disk (vda2).
cat > "$OUT/etc/default/raspi-firmware" <<CONF
ROOTPART=LABEL=$ROOT_LABEL
CONSOLES="tty0 ttyS1,115200"
CONF
# Keep the initramfs generic (all storage drivers): the same image boots on a Pi and in qemu.
mkdir -p "$OUT/etc/initramfs-tools/conf.d"
echo "MODULES=most" > "$OUT/etc/initramfs-tools/conf.d/tally-image.conf"
if [ "$QUICK" = 1 ]; then
  # Debian's arm64 kernel has virtio-pci built in, virtio-blk and ext4 as modules: those
  # two (and what they depend on) are all the virt board needs, and the initrd is made in a
  # fraction of the time under qemu-user.
  echo "MODULES=list" > "$OUT/etc/initramfs-tools/conf.d/tally-image.conf"
  printf 'virtio_blk\next4\n' >> "$OUT/etc/initramfs-tools/modules"
fi
# No daemons start inside the build tree.
printf '#!/bin/sh\nexit 101\n' > "$OUT/usr/sbin/policy-rc.d"; chmod 0755 "$OUT/usr/sbin/policy-rc.d"

# systemd's tools abort under proot (an assertion in chase() on the paths proot hands
# back), which fails the postinsts of systemd, udev, dbus, openssh-server... So while dpkg
# runs they are stubs, and their work is done afterwards by the host's systemd tools with
# --root (sysusers, tmpfiles) or at first boot (machine id). update-initramfs is a stub
# too until the last package: the initrd is made once, at the end, not per trigger.
STUBS="/usr/bin/systemctl /usr/bin/systemd-sysusers /usr/bin/systemd-tmpfiles /usr/bin/systemd-machine-id-setup /usr/sbin/update-initramfs"
stub_tools() {
  local b
  for b in $STUBS; do
    # A package unpacked since the last call may have put the real tool back: keep it aside.
    if [ -e "$OUT$b" ] && ! cmp -s "$OUT$b" <(printf '#!/bin/sh\nexit 0\n'); then mv -f "$OUT$b" "$OUT$b.tally-real"; fi
    printf '#!/bin/sh\nexit 0\n' > "$OUT$b"; chmod 0755 "$OUT$b"
  done
}
unstub_tools() {
  local b
  for b in $STUBS; do
    if [ -e "$OUT$b.tally-real" ]; then mv -f "$OUT$b.tally-real" "$OUT$b"; else rm -f "$OUT$b"; fi
  done
}
finish_tree() {
  unstub_tools
  systemd-tmpfiles --root="$OUT" --create --exclude-prefix=/dev --exclude-prefix=/proc --exclude-prefix=/sys --exclude-prefix=/run 2>/dev/null || true
  rm -f "$OUT/etc/machine-id"; : > "$OUT/etc/machine-id"
  # -c, not -u: -u only refreshes initrds that exist, and none does (the stub above kept
  # the kernel's postinst from making one).
  local k
  for k in "$OUT"/lib/modules/*; do in_tree "$OUT" update-initramfs -c -k "${k##*/}"; done
  ls "$OUT"/boot/initrd.img-* >/dev/null || { echo "rootfs: no initrd was made" >&2; exit 1; }
}

# --force-confold: our /etc/default/raspi-firmware (written above) is kept without a prompt.
# Essential packages first (as mmdebstrap itself does), then everything else.
archives=/var/cache/apt/archives
essential=""
for f in "$OUT$archives"/*.deb; do
  if [ "$(dpkg-deb -f "$f" Essential 2>/dev/null)" = yes ]; then essential="$essential $archives/${f##*/}"; fi
done
stub_tools
# shellcheck disable=SC2086  # a list of paths
in_tree "$OUT" dpkg --install --force-depends --force-confold $essential
say "essential configured in $(elapsed "$start") s"
# The system users the next postinsts need (messagebus for dbus, ...), from the host's
# systemd-sysusers on the tree's sysusers.d (the tree's own one is stubbed, see above).
systemd-sysusers --root="$OUT"
# Unpack, stub again (systemd's own package brings the real systemctl back), configure.
in_tree "$OUT" sh -c "dpkg --unpack --force-depends --force-confold --skip-same-version $archives/*.deb"
stub_tools
in_tree "$OUT" dpkg --configure -a --force-confold --force-depends
finish_tree
say "all packages configured in $(elapsed "$start") s"
printf 'deb %s %s main non-free-firmware\ndeb %s %s-updates main non-free-firmware\ndeb http://security.debian.org/debian-security %s-security main non-free-firmware\n' \
  "$IMAGE_MIRROR" "$IMAGE_SUITE" "$IMAGE_MIRROR" "$IMAGE_SUITE" "$IMAGE_SUITE" > "$OUT/etc/apt/sources.list"
rm -f "$OUT$archives"/*.deb
# shellcheck disable=SC2016  # dpkg-query's own ${field} syntax
in_tree "$OUT" dpkg-query -W -f='${Package} ${Version}\n' > "$OUT.packages"
touch "$OUT/.tally-stage-done"
say "rootfs ready in $(elapsed "$start") s: $OUT"
