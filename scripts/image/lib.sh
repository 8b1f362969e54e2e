#!/usr/bin/env bash
# Shared settings for the SD-card image scripts (scripts/image/). Sourced, not run.
# Variables set here are used by the scripts that source this file.
# shellcheck disable=SC2034
#
# Why proot for the foreign-architecture steps: mmdebstrap runs maintainer scripts with
# chroot, which needs binfmt_misc for arm64 binaries, and containers (this machine, CI)
# have none. So mmdebstrap downloads and extracts on the host (--variant=extract, no
# foreign exec), and dpkg then runs inside the tree through proot + qemu-user, with the
# ENOSYS shim from scripts/arm (Debian's proot predates statx/openat2/faccessat2/clone3).

IMAGE_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
IMAGE_CACHE="${TALLY_IMAGE_CACHE:-$IMAGE_REPO_ROOT/.cache/image}"
IMAGE_MIRROR="${TALLY_IMAGE_MIRROR:-http://deb.debian.org/debian}"
# Trixie: Debian's own nodejs is 20.19 (Tally needs >= 20.19), so Node comes from Debian too.
IMAGE_SUITE="${TALLY_IMAGE_SUITE:-trixie}"
IMAGE_QEMU=qemu-aarch64-static
BOOT_LABEL=TALLYBOOT
ROOT_LABEL=tallyroot

# The image's packages beyond Essential:yes, all from Debian main/non-free-firmware.
# Boot: Debian's arm64 kernel + initramfs and raspi-firmware (Pi 3/4 GPU firmware and the
# hooks that copy kernel, initrd and DTBs to the FAT partition). Runtime: systemd with
# networkd/resolved/timesyncd, Wi-Fi (wpasupplicant + the Pi's brcmfmac firmware), sfdisk for
# the first-boot resize, OpenSSH (installed, off until the owner asks), Node and Tally's
# runtime tools.
IMAGE_PACKAGES="apt systemd systemd-sysv systemd-timesyncd udev dbus kmod initramfs-tools zstd
linux-image-arm64 raspi-firmware firmware-brcm80211 wpasupplicant iproute2 iputils-ping netbase
systemd-resolved openssh-server sudo fdisk e2fsprogs dosfstools ca-certificates
nodejs alsa-utils gpiod procps less"
# CI's quick base image (rootfs.sh --quick): the boot, first-boot and lock-down parts only.
IMAGE_QUICK_PACKAGES="apt systemd systemd-sysv systemd-timesyncd udev dbus kmod initramfs-tools zstd
linux-image-arm64 raspi-firmware iproute2 netbase systemd-resolved openssh-server sudo fdisk
e2fsprogs dosfstools procps"

# Host tools each stage needs, with the Debian package that has them.
host_need() {
  local missing="" pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
  done
  [ -z "$missing" ] && return 0
  # shellcheck disable=SC2086  # a list of package names
  echo "==> installing host packages:$missing"
  apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

# in_tree DIR CMD... : run CMD inside the arm64 tree DIR as root (proot + qemu-user).
in_tree() {
  local dir="$1"; shift
  # A Pi's /proc/cpuinfo over the host's x86 one, which crashes onnxruntime (scripts/arm/lib.sh).
  # DNS through a copy of the host's resolv.conf: binding the host's own file let the
  # tree's systemd-resolved postinst replace it (with a dangling symlink) on the host.
  mkdir -p "$IMAGE_CACHE"; rm -f "$IMAGE_CACHE/resolv.conf"; cp -L /etc/resolv.conf "$IMAGE_CACHE/resolv.conf"
  python3 "$IMAGE_REPO_ROOT/scripts/arm/enosys.py" proot -0 -q "$IMAGE_QEMU" -r "$dir" \
    -b /dev -b /proc -b /sys -b "$IMAGE_REPO_ROOT/scripts/arm/cpuinfo-arm64.txt:/proc/cpuinfo" -b "$IMAGE_CACHE/resolv.conf:/etc/resolv.conf" -w / \
    /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin \
    LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
}

elapsed() { echo $(( $(date +%s) - $1 )); }
say() { echo "==> $*"; }
