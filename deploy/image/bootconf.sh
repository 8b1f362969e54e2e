#!/bin/sh
# Runs at every boot, as root, before logins (tally-bootconf.service). Reads what the owner
# put on the FAT boot partition, as Raspberry Pi Imager and Raspberry Pi OS do, applies it
# and deletes it (a password hash or Wi-Fi key does not stay on a partition anyone can read):
#   userconf.txt        "name:encrypted-password" (openssl passwd -6): creates that login user
#   ssh or ssh.txt      turns SSH on (host keys are made now, on the device)
#   authorized_keys     SSH public keys for the userconf user; also turns SSH on
#   wpa_supplicant.conf Wi-Fi networks for wlan0
# Without them the image has no login at all: root is locked, there is no default user.
set -eu
BOOT=/boot/firmware
USER_GROUPS=sudo,audio,video,gpio,spi

login_user() {
  [ -f "$BOOT/userconf.txt" ] || return 0
  line="$(head -n1 "$BOOT/userconf.txt" | tr -d '\r')"
  rm -f "$BOOT/userconf.txt"
  name="${line%%:*}"; hash="${line#*:}"
  case "$name" in ''|root|tally|tally-kiosk|*[!a-z0-9_-]*) echo "bootconf: userconf.txt: refusing user name '$name'"; return 0 ;; esac
  case "$hash" in '$'*) ;; *) echo "bootconf: userconf.txt: the password must be encrypted (openssl passwd -6)"; return 0 ;; esac
  id "$name" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash --groups "$USER_GROUPS" "$name"
  usermod --password "$hash" "$name"
  echo "bootconf: login user $name set up"
}

enable_ssh() {
  ssh-keygen -A
  systemctl enable --now ssh.service
  echo "bootconf: SSH on"
}

ssh_config() {
  want=0
  for f in ssh ssh.txt; do [ -e "$BOOT/$f" ] && { rm -f "$BOOT/$f"; want=1; }; done
  if [ -f "$BOOT/authorized_keys" ]; then
    user="$(getent passwd 1000 | cut -d: -f1)"
    if [ -n "$user" ]; then
      home="$(getent passwd "$user" | cut -d: -f6)"
      install -d -m 0700 -o "$user" -g "$user" "$home/.ssh"
      install -m 0600 -o "$user" -g "$user" "$BOOT/authorized_keys" "$home/.ssh/authorized_keys"
      want=1
    else
      echo "bootconf: authorized_keys needs a userconf.txt user; kept for the next boot"
    fi
    [ -z "$user" ] || rm -f "$BOOT/authorized_keys"
  fi
  [ "$want" = 1 ] && enable_ssh
  return 0
}

wifi_config() {
  [ -f "$BOOT/wpa_supplicant.conf" ] || return 0
  install -m 0600 "$BOOT/wpa_supplicant.conf" /etc/wpa_supplicant/wpa_supplicant-wlan0.conf
  rm -f "$BOOT/wpa_supplicant.conf"
  systemctl enable --now wpa_supplicant@wlan0.service
  echo "bootconf: Wi-Fi configured for wlan0"
}

login_user
ssh_config
wifi_config
