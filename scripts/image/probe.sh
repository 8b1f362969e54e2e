#!/bin/sh
# Test-only: runs inside the VM that boot-test.sh starts, as root, from a throwaway disk
# (never part of the image). Waits for tally.service, then prints one "TALLY-PROBE key
# value" line per check to the virtio port the host reads, and "TALLY-PROBE done" last.
OUT=/dev/virtio-ports/tally.probe
WAIT_S="${1:-600}"
say() { echo "TALLY-PROBE $*" > "$OUT"; }
block() { sed "s/^/TALLY-PROBE $1| /" > "$OUT"; }

say probe-start "$(cut -d' ' -f1 /proc/uptime)"
i=0
until systemctl is-active -q tally.service && ss -Hltn 'sport = :10700' | grep -q .; do
  i=$((i + 1))
  if [ "$i" -gt "$WAIT_S" ]; then say ready no; break; fi
  sleep 1
done
[ "$i" -gt "$WAIT_S" ] || say ready "$(cut -d' ' -f1 /proc/uptime)"

pid="$(systemctl show -P MainPID tally.service)"
say service-active "$(systemctl is-active tally.service)"
say service-user "$(ps -o user= -p "$pid" 2>/dev/null | tr -d ' ')"
say service-uid "$(ps -o uid= -p "$pid" 2>/dev/null | tr -d ' ')"
say failed-units "$(systemctl --failed --plain --no-legend | awk '{print $1}' | tr '\n' ' ')"
systemd-analyze time 2>&1 | head -n1 | block analyze
say hostname "$(hostname)"
say firstboot "$(cat /var/lib/tally-image/firstboot-done 2>/dev/null || echo missing)"
say root-size-mb "$(df -m --output=size / | tail -n1 | tr -d ' ')"

# Device keys: made on this boot (after the kernel started) by tally-keys.service.
btime="$(awk '/^btime/ {print $2}' /proc/stat)"
for f in esphome-api.key display-token.secret; do
  p="/var/lib/tally/keys/$f"
  if [ -f "$p" ]; then
    say "key-$f" "$(stat -c '%U %a' "$p") made-after-boot=$([ "$(stat -c %Y "$p")" -ge "$btime" ] && echo yes || echo no) sha256=$(sha256sum "$p" | cut -c1-16)"
  else
    say "key-$f" missing
  fi
done
journalctl -u tally-keys.service -o cat --no-pager | block keys-journal

board="$(sed -n 's/^TALLY_BOARD=//p' /etc/default/tally)"
runuser -u tally -- node /opt/tally/bin/tally.js doctor --board "$board" 2>&1 | block doctor
say doctor-exit "$(runuser -u tally -- node /opt/tally/bin/tally.js doctor --board "$board" >/dev/null 2>&1; echo $?)"

# Where the running service can write: enter its mount namespace as its user.
for d in /var/lib/tally /opt/tally /etc /usr /var/tmp /var/log /home /root /srv /boot/firmware /tmp /run/tally /dev/shm; do
  if nsenter -t "$pid" -m -- setpriv --reuid=tally --regid=tally --init-groups \
      sh -c "touch '$d/.tally-probe' && rm -f '$d/.tally-probe'" 2>/dev/null; then
    say writable "$d yes"
  else
    say writable "$d no"
  fi
done

say ssh-enabled "$(systemctl is-enabled ssh.service 2>&1)"
say ssh-active "$(systemctl is-active ssh.service 2>&1)"
say ssh-host-keys "$(find /etc/ssh -name 'ssh_host_*' | wc -l)"
say root-password "$(passwd -S root | awk '{print $2}')"
say login-users "$(awk -F: '$3 >= 1000 && $3 < 65534 {print $1}' /etc/passwd | tr '\n' ' ')"
say machine-id "$(cut -c1-8 /etc/machine-id)"
journalctl -u tally.service -o cat --no-pager -n 15 | block tally-journal
say "done" "$(cut -d' ' -f1 /proc/uptime)"
