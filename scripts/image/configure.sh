#!/usr/bin/env bash
# Stage 3 of the image: what makes the installed tree an appliance image. The first-boot
# and boot-partition units, networking, mounts by label, SSH off, root locked, no
# machine id, no host or device keys, then the Pi firmware config regenerated.
# Usage: configure.sh TREE BOARD VERSION
set -euo pipefail
# shellcheck source=scripts/image/lib.sh
. "$(dirname "$0")/lib.sh"

TREE="${1:?usage: configure.sh TREE BOARD VERSION}"
BOARD="${2:?usage: configure.sh TREE BOARD VERSION}"
VERSION="${3:?usage: configure.sh TREE BOARD VERSION}"
FILES="$IMAGE_REPO_ROOT/deploy/image"
host_need systemctl:systemd proot:proot

install -D -m 0755 "$FILES/firstboot.sh" "$TREE/usr/lib/tally-image/firstboot.sh"
install -D -m 0755 "$FILES/bootconf.sh" "$TREE/usr/lib/tally-image/bootconf.sh"
for u in tally-firstboot.service tally-bootconf.service tally-keys.service; do
  install -m 0644 "$FILES/$u" "$TREE/etc/systemd/system/$u"
done
install -D -m 0644 "$FILES/tally-image.conf" "$TREE/etc/systemd/system/tally.service.d/tally-image.conf"
install -D -m 0644 "$FILES/20-wired.network" "$TREE/etc/systemd/network/20-wired.network"
install -D -m 0644 "$FILES/30-wireless.network" "$TREE/etc/systemd/network/30-wireless.network"
install -m 0644 "$FILES/fstab" "$TREE/etc/fstab"

# The host's systemctl, offline on the tree: the tree's own one aborts under proot (chase()
# assertion), which is also why package postinsts could not enable their units.
tally_units="tally-keys.service tally.service"
# A tree without Tally (rootfs stage only: the quick boot check of the base system).
[ -f "$TREE/etc/systemd/system/tally.service" ] || { tally_units=""; say "no Tally in $TREE: base image"; }
units=""
for u in tally-firstboot.service tally-bootconf.service $tally_units systemd-networkd.service \
    systemd-resolved.service systemd-timesyncd.service getty@.service; do
  if [ -e "$TREE/etc/systemd/system/$u" ] || [ -e "$TREE/usr/lib/systemd/system/$u" ]; then units="$units ${u/getty@.service/getty@tty1.service}"
  else say "warning: $u is not in the tree, not enabled"; fi
done
# shellcheck disable=SC2086  # a list of unit names
systemctl --root="$TREE" enable $units
systemctl --root="$TREE" disable ssh.service ssh.socket 2>/dev/null || true
# DNS from networkd's DHCP lease through resolved's stub.
if [ -e "$TREE/usr/lib/systemd/system/systemd-resolved.service" ]; then
  ln -sfn ../run/systemd/resolve/stub-resolv.conf "$TREE/etc/resolv.conf"
fi

# Made on the device, never shipped: machine id (empty = systemd makes one at first boot,
# which also makes the hostname suffix), SSH host keys, Tally's device keys.
: > "$TREE/etc/machine-id"
rm -f "$TREE/var/lib/dbus/machine-id" "$TREE"/etc/ssh/ssh_host_*
rm -rf "$TREE/var/lib/tally/keys"
echo tally > "$TREE/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\ttally\n::1\tlocalhost ip6-localhost ip6-loopback\n' > "$TREE/etc/hosts"
# Root has no password (locked); there is no default user: bootconf.sh makes the one the
# owner puts in userconf.txt.
in_tree "$TREE" usermod --lock root
rm -f "$TREE/usr/sbin/policy-rc.d"

cat > "$TREE/etc/default/raspi-firmware" <<CONF
ROOTPART=LABEL=$ROOT_LABEL
CONSOLES="tty0 ttyS1,115200"
CONF
# The hook writes config.txt (with install.sh's overlays from raspi-firmware-custom) and
# cmdline.txt, and copies kernel, initrd and DTBs to the boot partition.
in_tree "$TREE" env DEB_MAINT_PARAMS=configure /etc/kernel/postinst.d/z50-raspi-firmware
printf 'TALLY_IMAGE_VERSION=%s\nTALLY_IMAGE_BOARD=%s\nTALLY_IMAGE_SUITE=%s\n' "$VERSION" "$BOARD" "$IMAGE_SUITE" \
  > "$TREE/etc/tally-image-release"
rm -rf "$TREE/var/log/apt/"* "$TREE/var/cache/apt/"*.bin "$TREE/tmp/"* "$TREE/.tally-stage-done"

# What must not be in any image, checked rather than trusted.
problems=""
[ -s "$TREE/etc/machine-id" ] && problems="$problems machine-id"
compgen -G "$TREE/etc/ssh/ssh_host_*" >/dev/null && problems="$problems ssh-host-keys"
[ -e "$TREE/var/lib/tally/keys" ] && problems="$problems tally-keys"
grep -q '^root:[^!*]' "$TREE/etc/shadow" && problems="$problems root-password"
[ -f "$TREE/boot/firmware/config.txt" ] || problems="$problems no-config.txt"
[ -L "$TREE/etc/systemd/system/multi-user.target.wants/ssh.service" ] && problems="$problems ssh-enabled"
if [ -n "$problems" ]; then echo "configure: image not clean:$problems" >&2; exit 1; fi
say "configured $TREE for $BOARD"
