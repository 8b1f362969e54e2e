#!/bin/sh
# Runs once, as root, on the first boot of a flashed Tally card (tally-firstboot.service):
# grows the root partition and file system to the card, names the device tally-XXXX.
# Device keys are made by tally-keys.service (as the tally user), SSH host keys only when
# the owner turns SSH on (tally-bootconf.sh): nothing secret is in the image.
set -eu
STAMP=/var/lib/tally-image/firstboot-done

grow_root() {
  src="$(findmnt -no SOURCE /)"
  part="$(basename "$(readlink -f "$src")")"
  [ -r "/sys/class/block/$part/partition" ] || { echo "firstboot: root $src is not a partition: not grown"; return 0; }
  num="$(cat "/sys/class/block/$part/partition")"
  disk="/dev/$(basename "$(readlink -f "/sys/class/block/$part/..")")"
  # Move the partition's end to the end of the card (sfdisk, without re-reading the table
  # of the disk in use) and tell the kernel about that one partition (partx, BLKPG).
  echo ', +' | sfdisk --no-reread --no-tell-kernel -N "$num" "$disk"
  partx --update --nr "$num" "$disk"
  resize2fs "/dev/$part"
}

name_device() {
  # A short, random-per-card suffix from the machine id systemd made at this first boot.
  suffix="$(cut -c1-4 /etc/machine-id)"
  name="tally-$suffix"
  echo "$name" > /etc/hostname
  sed -i "s/^127\.0\.1\.1[[:space:]].*/127.0.1.1\t$name/" /etc/hosts
  grep -q '^127\.0\.1\.1' /etc/hosts || printf '127.0.1.1\t%s\n' "$name" >> /etc/hosts
  hostname "$name"
  echo "firstboot: hostname $name"
}

grow_root || echo "firstboot: resizing the root file system failed; the card keeps its image size"
name_device
mkdir -p "$(dirname "$STAMP")"
date -u +%FT%TZ > "$STAMP"
