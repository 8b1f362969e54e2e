#!/usr/bin/env bash
# Boots a Tally SD-card image in qemu-system-aarch64 and checks it from the host.
# Usage: scripts/image/boot-test.sh IMAGE(.img|.img.xz) [--boots N] [--timeout S] [--base]
# --base: an image of the rootfs stage only (no Tally): checks the boot, first boot and
# lock-down, not the service (the quick form).
#
# Machine: qemu's `virt` board (virtio disk and network), booting the image's own
# Debian arm64 kernel and initrd, taken from its FAT partition with mtools, on the image's
# unchanged root partition (root=LABEL=tallyroot, as on the Pi). Not the `raspi3b` board:
# see docs/sd-card-image.md for what that board lacks here.
# The checks: a test-only probe (scripts/image/probe.sh) on a second, throwaway disk, run
# by a unit passed on the kernel command line as a systemd credential, so the image
# itself carries no test hook; it reports over a virtio serial port. From the host: the
# Wyoming port answers through user-mode networking forwarded to 127.0.0.1 only.
# Each boot uses a fresh copy; with --boots 2 (default) the two copies must make
# different device keys. Every VM is stopped by this script, on success, failure or timeout.
set -euo pipefail
# shellcheck source=scripts/image/lib.sh
. "$(dirname "$0")/lib.sh"

IMAGE="${1:?usage: boot-test.sh IMAGE [--boots N] [--timeout S]}"; shift
BOOTS=2
TIMEOUT=900
BASE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --boots) BOOTS="$2"; shift ;;
    --timeout) TIMEOUT="$2"; shift ;;
    --base) BASE=1 ;;
    *) echo "boot-test: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
host_need qemu-system-aarch64:qemu-system-arm mcopy:mtools mkfs.vfat:dosfstools sfdisk:fdisk

work="$IMAGE_CACHE/boot-test"
rm -rf "$work"; mkdir -p "$work"
QEMU_PIDS=()
cleanup() {
  local p
  for p in "${QEMU_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -f "$work"/disk-*.img
}
trap cleanup EXIT

fail_count=0
check() { # check NAME CONDITION-RESULT(0/1) DETAIL
  if [ "$2" = 0 ]; then echo "  ok    $1: $3"; else echo "  FAIL  $1: $3"; fail_count=$((fail_count + 1)); fi
}
probe_value() { sed -n "s/^TALLY-PROBE $2 //p" "$1" | head -n1; }

# The pristine image, once.
pristine="$work/pristine.img"
case "$IMAGE" in *.xz) xz -dc "$IMAGE" > "$pristine" ;; *) cp "$IMAGE" "$pristine" ;; esac
boot_start="$(sfdisk -J "$pristine" | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitiontable"]["partitions"][0]["start"] * 512)')"
kernel_name="$(mdir -b -i "$pristine@@$boot_start" :: | sed -n 's|^::/\(vmlinuz-.*\)|\1|p' | sort -V | tail -n1)"
initrd_name="initrd.img-${kernel_name#vmlinuz-}"
mcopy -n -i "$pristine@@$boot_start" "::$kernel_name" "$work/vmlinuz"
mcopy -n -i "$pristine@@$boot_start" "::$initrd_name" "$work/initrd.img"
echo "kernel from the image: $kernel_name"

# The probe disk and the unit that runs it (a systemd.extra-unit credential).
mkfs.vfat -C -n PROBE "$work/probe.vfat" 4096 >/dev/null
mcopy -i "$work/probe.vfat" "$(dirname "$0")/probe.sh" ::probe.sh
unit="[Unit]
After=tally.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'mkdir -p /run/probe; mount -o ro LABEL=PROBE /run/probe; sh /run/probe/probe.sh $([ "$BASE" = 1 ] && echo 1 || echo $((TIMEOUT * 2 / 3)))'
"
unit_b64="$(printf '%s' "$unit" | base64 -w0)"
cmdline="console=ttyAMA0 root=LABEL=$ROOT_LABEL rw rootwait net.ifnames=0 systemd.set_credential_binary=systemd.extra-unit.tally-probe.service:$unit_b64 systemd.wants=tally-probe.service"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

boot_once() { # boot_once N -> leaves $work/probe-N.log, $work/console-N.log
  local n="$1" disk="$work/disk-$1.img" port t0 pid waited=0 status=timeout
  cp --sparse=always "$pristine" "$disk"
  truncate -s +1G "$disk"   # a bigger "card": the first boot must grow into it
  port="$(free_port)"
  t0="$(date +%s)"
  qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 -accel tcg,thread=multi \
    -nographic -monitor none -serial "file:$work/console-$n.log" \
    -kernel "$work/vmlinuz" -initrd "$work/initrd.img" -append "$cmdline" \
    -drive "if=none,id=root,format=raw,file=$disk" -device virtio-blk-pci,drive=root \
    -drive "if=none,id=probe,format=raw,readonly=on,file=$work/probe.vfat" -device virtio-blk-pci,drive=probe \
    -netdev "user,id=net0,hostfwd=tcp:127.0.0.1:$port-:10700" -device virtio-net-pci,netdev=net0,romfile= \
    -device virtio-serial-pci -chardev "file,id=probe,path=$work/probe-$n.log" \
    -device virtserialport,chardev=probe,name=tally.probe &
  pid=$!
  QEMU_PIDS+=("$pid")
  while [ "$waited" -lt "$TIMEOUT" ]; do
    if grep -q '^TALLY-PROBE done' "$work/probe-$n.log" 2>/dev/null; then status=finished; break; fi
    kill -0 "$pid" 2>/dev/null || { status=exited; break; }
    # A boot that fell into emergency mode never reaches the probe: stop now, not at the timeout.
    if grep -q 'You are in emergency mode' "$work/console-$n.log" 2>/dev/null; then status=emergency-mode; break; fi
    sleep 2; waited=$(( $(date +%s) - t0 ))
  done
  echo "boot $n: probe $status after $(( $(date +%s) - t0 )) s (host wall clock)"
  echo "$(( $(date +%s) - t0 ))" > "$work/wall-$n"
  if [ "$status" = finished ]; then
    if node "$(dirname "$0")/wyoming-describe.mjs" 127.0.0.1 "$port" 20000 > "$work/describe-$n.txt" 2>&1; then
      echo 0 > "$work/describe-$n.rc"; else echo 1 > "$work/describe-$n.rc"; fi
  fi
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

report_boot() { # report_boot N
  local n="$1" log="$work/probe-$1.log" v
  echo "boot $n checks:"
  grep -q '^TALLY-PROBE done' "$log" 2>/dev/null || { check "probe ran" 1 "no complete probe output (see $work/console-$n.log)"; return; }
  if [ "$BASE" = 0 ]; then report_tally "$n"; fi
  v="$(probe_value "$log" hostname)"; check "hostname" "$(echo "$v" | grep -Eq '^tally-[0-9a-f]{4}$'; echo $?)" "$v"
  v="$(probe_value "$log" root-size-mb)"; check "root grown into the card" "$([ "${v:-0}" -gt 1500 ]; echo $?)" "${v} MiB"
  v="$(probe_value "$log" ssh-active)"; check "SSH off" "$([ "$v" = inactive ] && [ "$(probe_value "$log" ssh-host-keys)" = 0 ]; echo $?)" "$v, $(probe_value "$log" ssh-host-keys) host keys"
  v="$(probe_value "$log" root-password)"; check "root locked, no login user" "$([ "$v" = L ] && [ -z "$(probe_value "$log" login-users | tr -d ' ')" ]; echo $?)" "root $v, users: '$(probe_value "$log" login-users)'"
  v="$(probe_value "$log" failed-units)"; check "no failed units" "$([ -z "$(echo "$v" | tr -d ' ')" ]; echo $?)" "'$v'"
  sed -n 's/^TALLY-PROBE analyze| /  /p' "$log"
}

report_tally() { # report_tally N: the service checks
  local n="$1" log="$work/probe-$1.log" v
  v="$(probe_value "$log" ready)"; check "tally ready" "$([ -n "$v" ] && [ "$v" != no ]; echo $?)" "${v:-none} s after kernel start (guest uptime)"
  v="$(probe_value "$log" service-active)"; check "service active" "$([ "$v" = active ]; echo $?)" "$v"
  v="$(probe_value "$log" service-user)"; check "service user" "$([ "$v" = tally ]; echo $?)" "$v (uid $(probe_value "$log" service-uid))"
  v="$(cat "$work/describe-$n.rc" 2>/dev/null || echo 1)"; check "Wyoming port 10700 via 127.0.0.1 hostfwd" "$v" "$(head -c 160 "$work/describe-$n.txt" 2>/dev/null)"
  v="$(probe_value "$log" key-esphome-api.key)"; check "ESPHome key made on this boot" "$(echo "$v" | grep -q '^tally 600 made-after-boot=yes'; echo $?)" "$v"
  v="$(probe_value "$log" key-display-token.secret)"; check "display secret made on this boot" "$(echo "$v" | grep -q '^tally 600 made-after-boot=yes'; echo $?)" "$v"
  v="$(sed -n 's/^TALLY-PROBE writable \(.*\) yes$/\1/p' "$log" | tr '\n' ' ')"
  # /tmp and /var/tmp are the service's own (PrivateTmp), /run/tally its RuntimeDirectory.
  check "service writes only its data dir (+ its private /tmp and /var/tmp, /run/tally)" "$([ "$v" = "/var/lib/tally /var/tmp /tmp /run/tally " ]; echo $?)" "writable: $v"
  echo "  doctor (exit $(probe_value "$log" doctor-exit)):"; sed -n 's/^TALLY-PROBE doctor| /    /p' "$log"
}

for n in $(seq 1 "$BOOTS"); do boot_once "$n"; report_boot "$n"; done
if [ "$BOOTS" -ge 2 ] && [ "$BASE" = 0 ]; then
  a="$(probe_value "$work/probe-1.log" key-esphome-api.key | sed 's/.*sha256=//')"
  b="$(probe_value "$work/probe-2.log" key-esphome-api.key | sed 's/.*sha256=//')"
  check "two copies, two ESPHome keys" "$([ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]; echo $?)" "$a vs $b"
  a="$(probe_value "$work/probe-1.log" hostname)"; b="$(probe_value "$work/probe-2.log" hostname)"
  check "two copies, two hostnames" "$([ "$a" != "$b" ]; echo $?)" "$a vs $b"
fi
echo "logs: $work (probe-N.log, console-N.log)"
if [ "$fail_count" -gt 0 ]; then echo "boot-test: $fail_count check(s) failed"; exit 1; fi
echo "boot-test: all checks passed"
