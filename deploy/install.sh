#!/usr/bin/env bash
# Tally installer for Raspberry Pi OS / Debian Bookworm and Trixie, 64-bit (arm64) and
# 32-bit (armhf). Run as root from a Tally checkout or release tarball:
#
#   sudo deploy/install.sh --board rpi5-neopixel-spi          # asks before changing config.txt / rebooting
#   sudo deploy/install.sh --board respeaker-2mic --screen --yes --no-reboot
#   sudo deploy/install.sh --uninstall [--purge]
#
# Everything it does is listed by `--help`. It is safe to run again (idempotent): the
# firmware config block, the user, the unit and the install directory are rewritten, not
# duplicated. Inside a chroot or image build (no running systemd) it installs and enables
# the units without starting anything, skips the hardware check's verdict and never reboots.
set -euo pipefail
# onnxruntime-node's install step fetches nothing we need (CUDA): the checkout's .npmrc says
# the same, a release tarball has no .npmrc.
export npm_config_onnxruntime_node_install=skip ELECTRON_SKIP_BINARY_DOWNLOAD=1

SELF_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOURCE="$(cd "$SELF_DIR/.." && pwd)"
PREFIX=/opt/tally
DATA_DIR=/var/lib/tally
ETC_DEFAULT=/etc/default/tally
UNIT_DIR=/etc/systemd/system
NODE_MIN=20.19.0
NODE_VERSION="${TALLY_NODE_VERSION:-20.20.2}"
NODE_DIST="${TALLY_NODE_DIST:-https://nodejs.org/dist}"

BOARD=""
VOICE=wyoming
YES=0
REBOOT=ask
SCREEN=0
ACTION=install
PURGE=0
SKIP_APT=0
NODE_TARBALL=""
FIRMWARE_CONFIG=""
FIRMWARE_ONLY=0

usage() {
  cat <<EOF
usage: install.sh --board NAME|FILE [options]
       install.sh --uninstall [--purge] [--yes]

Installs: Node >= $NODE_MIN (Trixie: apt nodejs npm libnode-dev; Bookworm: the official nodejs.org build,
checksum-verified), the apt packages, a 'tally' system user (groups gpio spi audio video),
the firmware overlays the board needs (a marked block in config.txt, diff shown first),
Tally in $PREFIX (production build, no dev dependencies), the systemd unit
tally.service (non-root, sandboxed), then runs 'tally doctor --board NAME'.

  --board NAME|FILE     built-in board name or a board JSON file (required to install)
  --voice wyoming|sim   voice service the unit starts (default: wyoming, for Home Assistant)
  --screen              also install the kiosk screen (cage + chromium, tally-kiosk.service)
  --yes                 do not ask; with --yes a needed reboot is only announced
  --reboot              reboot at the end when the firmware config changed
  --no-reboot           never reboot
  --skip-apt            do not run apt-get (packages already there)
  --node-tarball FILE   install Node from this node-v*-linux-*.tar.xz (offline)
  --firmware-config F   config.txt to edit (default /boot/firmware/config.txt, else /boot/config.txt)
  --firmware-only       only update the firmware config block for --board (no root needed for a file you own)
  --uninstall           remove the units, user, $PREFIX, the config.txt block; keep $DATA_DIR
  --purge               with --uninstall: delete $DATA_DIR (voice history, settings) too
EOF
}

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "==> $*"; }

confirm() {
  [ "$YES" = 1 ] && return 0
  local answer
  read -r -p "$1 [y/N] " answer || return 1
  case "$answer" in y|Y|yes) return 0 ;; *) return 1 ;; esac
}

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      --board) BOARD="${2:?--board needs a value}"; shift ;;
      --voice) VOICE="${2:?--voice needs a value}"; shift ;;
      --screen) SCREEN=1 ;;
      --yes|-y) YES=1 ;;
      --reboot) REBOOT=yes ;;
      --no-reboot) REBOOT=no ;;
      --skip-apt) SKIP_APT=1 ;;
      --node-tarball) NODE_TARBALL="${2:?--node-tarball needs a file}"; shift ;;
      --firmware-config) FIRMWARE_CONFIG="${2:?--firmware-config needs a file}"; shift ;;
      --firmware-only) FIRMWARE_ONLY=1 ;;
      --uninstall) ACTION=uninstall ;;
      --purge) PURGE=1 ;;
      --help|-h) usage; exit 0 ;;
      *) usage >&2; die "unknown option '$1'" ;;
    esac
    shift
  done
  case "$VOICE" in wyoming|sim) ;; *) die "--voice must be wyoming or sim, got '$VOICE'" ;; esac
  [ "$PURGE" = 0 ] || [ "$ACTION" = uninstall ] || die "--purge only goes with --uninstall"
}

# --- firmware config --------------------------------------------------------------------

# The config.txt lines a board needs (dtparam/dtoverlay). Boards not listed need none.
firmware_lines() {
  case "$1" in
    rpi5-neopixel-spi) echo "dtparam=spi=on" ;;
    rpi-neopixel-ring) printf '%s\n' "dtparam=audio=off" ;;
    respeaker-2mic) printf '%s\n' "dtparam=spi=on" "dtparam=i2c_arm=on" "dtoverlay=seeed-2mic-voicecard" ;;
    respeaker-4mic) printf '%s\n' "dtparam=spi=on" "dtparam=i2c_arm=on" "gpio=5=op,dh" "dtoverlay=seeed-4mic-voicecard" ;;
    *)
      # A board file: SPI rings need SPI; anything else (HAT overlays) is the owner's to add.
      if [ -f "$1" ] && grep -Eq '"(ws281x-spi|apa102)"' "$1"; then echo "dtparam=spi=on"; fi ;;
  esac
}

BLOCK_BEGIN="# >>> tally (deploy/install.sh) >>>"
BLOCK_END="# <<< tally <<<"

# Writes FILE without our block to stdout.
without_block() {
  awk -v b="$BLOCK_BEGIN" -v e="$BLOCK_END" '$0 == b {skip=1; next} $0 == e {skip=0; next} !skip' "$1"
}

default_firmware_config() {
  if [ -n "$FIRMWARE_CONFIG" ]; then echo "$FIRMWARE_CONFIG"
  elif [ -f /boot/firmware/config.txt ]; then echo /boot/firmware/config.txt
  else echo /boot/config.txt; fi
}

FIRMWARE_CHANGED=0
# update_firmware BOARD|"" : rewrites our block (empty board removes it); shows the diff.
update_firmware() {
  local file new lines
  file="$(default_firmware_config)"
  if [ ! -f "$file" ]; then
    say "no firmware config at $file (not a Raspberry Pi?): skipped"; return 0
  fi
  lines="$(firmware_lines "$1")"
  new="$(mktemp)"
  without_block "$file" > "$new"
  if [ -n "$lines" ]; then
    # Under [all] so an earlier [pi4]-style section cannot swallow our lines.
    printf '%s\n[all]\n%s\n%s\n' "$BLOCK_BEGIN" "$lines" "$BLOCK_END" >> "$new"
  fi
  if cmp -s "$file" "$new"; then
    say "firmware config $file already up to date"; rm -f "$new"; return 0
  fi
  say "firmware config $file changes:"
  diff -u "$file" "$new" || true
  if confirm "Apply this change to $file?"; then
    cat "$new" > "$file"; FIRMWARE_CHANGED=1
  else
    say "firmware config left unchanged: the board may not work until these lines are added"
  fi
  rm -f "$new"
}

# --- system -----------------------------------------------------------------------------

systemd_running() { [ -d /run/systemd/system ]; }

check_platform() {
  local arch codename=""
  [ "$(id -u)" = 0 ] || die "run as root (sudo deploy/install.sh ...)"
  arch="$(dpkg --print-architecture)"
  case "$(uname -m)" in armv6*) die "armv6 (Pi 1, Pi Zero/Zero W) is not supported: there is no Node >= 20 for it" ;; esac
  case "$arch" in
    arm64|armhf|amd64) ;;
    *) die "unsupported architecture $arch (supported: arm64, armhf)" ;;
  esac
  # shellcheck disable=SC1091
  [ -r /etc/os-release ] && codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-}")"
  case "$codename" in
    bookworm|trixie) ;;
    *) echo "install.sh: warning: tested on Bookworm and Trixie, this is '${codename:-unknown}'" >&2 ;;
  esac
  ARCH="$arch"; CODENAME="$codename"
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

node_ok() {
  local v
  v="$(node --version 2>/dev/null)" || return 1
  version_ge "${v#v}" "$NODE_MIN"
}

apt_install() {
  [ "$SKIP_APT" = 1 ] && { say "skipping apt-get install $*"; return 0; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

install_node() {
  if node_ok; then
    say "node $(node --version) is new enough"
  elif [ -z "$NODE_TARBALL" ] && [ "$CODENAME" = trixie ] && [ "$SKIP_APT" = 0 ] && install_node_apt; then
    :
  else
    install_node_tarball
  fi
  ensure_npm
  use_node_headers
}

# Trixie ships Node 20.19, but Debian splits it: npm and the headers node-gyp compiles
# against (libnode-dev) are separate packages, and `nodejs` alone has neither.
install_node_apt() {
  say "installing Debian's nodejs, npm and libnode-dev (Trixie ships 20.19)"
  apt_install nodejs npm libnode-dev
  hash -r
  node_ok
}

install_node_tarball() {
  local tarball="$NODE_TARBALL" dir
  dir="$(mktemp -d)"
  if [ -z "$tarball" ]; then
    # Bookworm's apt nodejs is 18: take the official build and verify its checksum.
    local triple
    case "$ARCH" in arm64) triple=linux-arm64 ;; armhf) triple=linux-armv7l ;; amd64) triple=linux-x64 ;; esac
    local name="node-v$NODE_VERSION-$triple.tar.xz"
    say "downloading $NODE_DIST/v$NODE_VERSION/$name"
    curl -fsSLo "$dir/$name" "$NODE_DIST/v$NODE_VERSION/$name"
    curl -fsSLo "$dir/SHASUMS256.txt" "$NODE_DIST/v$NODE_VERSION/SHASUMS256.txt"
    (cd "$dir" && grep " $name\$" SHASUMS256.txt | sha256sum -c -) || die "checksum mismatch for $name"
    tarball="$dir/$name"
  fi
  mkdir -p /usr/local/lib/nodejs
  tar -xJf "$tarball" -C /usr/local/lib/nodejs
  local top
  top="$(tar -tJf "$tarball" | head -n1 | cut -d/ -f1)"
  for bin in node npm npx; do ln -sf "/usr/local/lib/nodejs/$top/bin/$bin" "/usr/local/bin/$bin"; done
  rm -rf "$dir"
  hash -r
  node_ok || die "node from $tarball is $(node --version 2>&1), need >= $NODE_MIN"
}

# A node that was already there may be Debian's without npm (installed as `nodejs` only).
ensure_npm() {
  command -v npm >/dev/null && return 0
  if [ "$SKIP_APT" = 0 ] && [ "$(command -v node)" = /usr/bin/node ]; then
    say "node $(node --version) has no npm: installing Debian's npm"
    apt_install npm
    hash -r
  fi
  command -v npm >/dev/null || die "npm is missing next to node $(node --version) ($(command -v node)): install Debian's npm package (apt-get install npm), or re-run with --node-tarball"
}

# node-gyp compiles the native drivers against Node's headers; without a nodedir it
# downloads them from nodejs.org at build time (fails offline). The official build has
# them in its own include/, Debian's nodejs in libnode-dev (/usr/include/node).
use_node_headers() {
  [ -n "${npm_config_nodedir:-}" ] && return 0
  local prefix
  prefix="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
  if [ ! -f "$prefix/include/node/common.gypi" ] && [ "$prefix" = /usr ] && [ "$SKIP_APT" = 0 ]; then
    apt_install libnode-dev
  fi
  if [ -f "$prefix/include/node/common.gypi" ]; then
    export npm_config_nodedir="$prefix"
    say "native modules compile against the headers in $prefix/include/node"
  else
    say "no node headers next to $(command -v node): node-gyp downloads them if a native module has to compile"
  fi
}

install_packages() {
  [ "$SKIP_APT" = 1 ] || apt-get update
  # Runtime: ALSA tools (arecord), libgpiod (gpiod brings libgpiod.so.3 on Trixie, .so.2 on
  # Bookworm); build: the native modules compile here when no prebuilt binary matches
  # (better-sqlite3, speaker, node-libgpiod on Bookworm, spi-device).
  apt_install ca-certificates curl xz-utils alsa-utils gpiod libasound2-dev libgpiod-dev build-essential python3
  if [ "$SCREEN" = 1 ]; then
    local chromium=chromium
    # Raspberry Pi OS Bookworm names it chromium-browser; Debian and Trixie: chromium.
    if apt-cache show chromium-browser >/dev/null 2>&1 && ! apt-cache show chromium >/dev/null 2>&1; then chromium="chromium-browser"; fi
    apt_install cage "$chromium" fonts-dejavu-core
  fi
}

ensure_group() { getent group "$1" >/dev/null || groupadd --system "$1"; }

create_user() {
  local g
  # Raspberry Pi OS has gpio and spi groups (with udev rules); plain Debian does not.
  for g in gpio spi audio video; do ensure_group "$g"; done
  if ! id tally >/dev/null 2>&1; then
    useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home --shell /usr/sbin/nologin tally
  fi
  usermod -a -G gpio,spi,audio,video tally
  install -d -m 0700 -o tally -g tally "$DATA_DIR"
  if [ "$SCREEN" = 1 ]; then
    if ! id tally-kiosk >/dev/null 2>&1; then
      useradd --system --user-group --create-home --home-dir /var/lib/tally-kiosk --shell /usr/sbin/nologin tally-kiosk
    fi
    ensure_group render; ensure_group input
    # group tally: reads /run/tally/screen-url (0640); nothing else of tally's is group-readable.
    usermod -a -G video,render,input,tally tally-kiosk
  fi
}

# --- Tally itself -----------------------------------------------------------------------

install_tally() {
  [ -f "$SOURCE/package.json" ] || die "no Tally source at $SOURCE"
  if [ ! -f "$SOURCE/dist/.build-stamp" ] || [ ! -f "$SOURCE/ui/dist/index.html" ]; then
    say "building Tally in $SOURCE (dist/ and the screen bundle are missing)"
    (cd "$SOURCE" && npm ci --no-fund --no-audit --omit=optional && npm run build)
  fi
  if [ "$SOURCE" != "$PREFIX" ]; then
    say "copying Tally to $PREFIX"
    rm -rf "$PREFIX.new"; mkdir -p "$PREFIX.new"
    (cd "$SOURCE" && tar -cf - --exclude=./node_modules --exclude=./.git --exclude=./.cache --exclude=./.tally-data .) | tar -xf - -C "$PREFIX.new"
    # A re-install keeps the modules compiled last time (better-sqlite3 takes minutes on a Pi);
    # npm below removes what is no longer wanted.
    if [ -d "$PREFIX/node_modules" ]; then mv "$PREFIX/node_modules" "$PREFIX.new/node_modules"; fi
    rm -rf "$PREFIX"; mv "$PREFIX.new" "$PREFIX"
  fi
  if [ ! -d "$PREFIX/node_modules" ]; then
    say "installing the runtime dependencies (no dev tools, no Electron)"
    # A checkout has package-lock.json (exact versions: npm ci); an `npm pack` tarball has none.
    local how=ci
    [ -f "$PREFIX/package-lock.json" ] || how=install
    (cd "$PREFIX" && npm "$how" --no-fund --no-audit --omit=dev --omit=optional)
  fi
  local pkgs
  pkgs="$(cd "$PREFIX" && TALLY_RUN=dist node bin/tally.js doctor --board "$BOARD" --packages)" || die "board $BOARD: $pkgs"
  say "the board's native drivers: ${pkgs:-none}"
  # npm skips optional dependencies under --omit=optional even when named, so the installed
  # package.json lists exactly what this device uses: the board's drivers as dependencies,
  # no other optional package (Electron, other boards' drivers). One npm run then installs
  # them, removes dev tools and anything else not listed, and keeps what is already built.
  # `speaker` stays optional: it does not build on linux/arm64 (its bundled mpg123 has no
  # arm64 config), and tones then play through aplay (hal/drivers/audio/aplay-speaker.ts).
  # `node-libgpiod` too: it builds only against libgpiod 1.x (Debian 12 Bookworm); on
  # Debian 13 Trixie the libgpiod driver uses libgpiod.so.3 (from the gpiod package)
  # through koffi instead (hal/drivers/gpio/choose-libgpiod.ts).
  (cd "$PREFIX" && TALLY_PKGS="$pkgs" node -e '
    const fs = require("fs");
    const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
    const all = p.optionalDependencies, soft = {};
    for (const name of process.env.TALLY_PKGS.split(" ").filter(Boolean)) {
      if (name === "speaker" || name === "node-libgpiod") soft[name] = all[name]; else p.dependencies[name] = all[name];
    }
    p.optionalDependencies = soft;
    fs.writeFileSync("package.json", JSON.stringify(p, null, 2) + "\n");')
  (cd "$PREFIX" && npm install --no-fund --no-audit --omit=dev)
  chown -R root:root "$PREFIX"
}

write_units() {
  local node_bin
  node_bin="$(command -v node)"
  say "writing $ETC_DEFAULT and $UNIT_DIR/tally.service"
  cat > "$ETC_DEFAULT" <<EOF
# Written by deploy/install.sh; read by tally.service.
TALLY_BOARD=$BOARD
TALLY_VOICE=$VOICE
TALLY_ARGS=$( [ "$SCREEN" = 1 ] && echo "--no-electron --screen-url-file /run/tally/screen-url" || echo "--no-electron" )
EOF
  mkdir -p "$UNIT_DIR"
  sed -e "s|@NODE@|$node_bin|g" -e "s|@PREFIX@|$PREFIX|g" -e "s|@DATA_DIR@|$DATA_DIR|g" \
    "$PREFIX/deploy/tally.service" > "$UNIT_DIR/tally.service"
  enable_unit tally.service multi-user.target
  if [ "$SCREEN" = 1 ]; then
    install -m 0644 "$PREFIX/deploy/kiosk/tally-kiosk.pam" /etc/pam.d/tally-kiosk
    sed -e "s|@PREFIX@|$PREFIX|g" "$PREFIX/deploy/kiosk/tally-kiosk.service" > "$UNIT_DIR/tally-kiosk.service"
    enable_unit tally-kiosk.service graphical.target
    # The kiosk owns tty7; the console login there would fight it for the seat.
    if systemd_running; then systemctl set-default graphical.target >/dev/null || true
    else ln -sf /lib/systemd/system/graphical.target "$UNIT_DIR/default.target"; fi
  fi
}

# Enables a unit; without a running systemd (chroot, image) the WantedBy link is made by hand.
enable_unit() {
  if systemd_running; then systemctl daemon-reload; systemctl enable "$1"
  else mkdir -p "$UNIT_DIR/$2.wants"; ln -sf "$UNIT_DIR/$1" "$UNIT_DIR/$2.wants/$1"; fi
}

run_doctor() {
  say "tally doctor --board $BOARD"
  if runuser -u tally -- env TALLY_RUN=dist node "$PREFIX/bin/tally.js" doctor --board "$BOARD"; then
    DOCTOR_OK=1
  else
    DOCTOR_OK=0
  fi
}

next_steps() {
  echo
  say "Tally is installed in $PREFIX, data in $DATA_DIR, board $BOARD, voice service $VOICE."
  [ "${DOCTOR_OK:-0}" = 1 ] || echo "    The hardware check above is not all 'works' yet: fix the lines marked 'fix:' (after a reboot if config.txt changed)."
  if [ "$FIRMWARE_CHANGED" = 1 ]; then echo "    config.txt changed: reboot before starting Tally (sudo reboot)."; fi
  if systemd_running; then
    echo "    Start:   sudo systemctl start tally   (it starts by itself at boot)"
    echo "    Logs:    journalctl -u tally -f"
  else
    echo "    No running systemd (chroot/image): tally.service is enabled and starts at first boot."
  fi
  [ "$VOICE" = wyoming ] && echo "    Home Assistant: Settings > Devices & services > Add > Wyoming Protocol, host = this Pi, port 10700."
  [ "$SCREEN" = 1 ] && echo "    Screen: tally-kiosk.service shows the screen on the attached display at boot."
  echo "    Remove:  sudo $PREFIX/deploy/install.sh --uninstall   (add --purge to delete the voice history too)"
}

maybe_reboot() {
  [ "$FIRMWARE_CHANGED" = 1 ] || return 0
  systemd_running || return 0
  case "$REBOOT" in
    yes) say "rebooting for the firmware config"; systemctl reboot ;;
    ask) [ "$YES" = 1 ] || { confirm "Reboot now for the firmware config?" && systemctl reboot; } ;;
    *) ;;
  esac
}

uninstall() {
  [ "$(id -u)" = 0 ] || die "run as root"
  say "removing Tally (data in $DATA_DIR is $( [ "$PURGE" = 1 ] && echo deleted || echo kept))"
  if systemd_running; then systemctl disable --now tally-kiosk.service tally.service 2>/dev/null || true; fi
  rm -f "$UNIT_DIR/tally.service" "$UNIT_DIR/tally-kiosk.service" \
    "$UNIT_DIR/multi-user.target.wants/tally.service" "$UNIT_DIR/graphical.target.wants/tally-kiosk.service" \
    "$ETC_DEFAULT" /etc/pam.d/tally-kiosk
  if systemd_running; then systemctl daemon-reload; fi
  update_firmware ""
  rm -rf "$PREFIX" "$PREFIX.new" /var/lib/tally-kiosk /etc/tally
  id tally-kiosk >/dev/null 2>&1 && userdel tally-kiosk
  id tally >/dev/null 2>&1 && userdel tally
  getent group tally >/dev/null && groupdel tally
  getent group tally-kiosk >/dev/null && groupdel tally-kiosk
  if [ "$PURGE" = 1 ]; then rm -rf "$DATA_DIR"; else say "kept $DATA_DIR (delete it with --uninstall --purge)"; fi
  say "Node and the apt packages stay installed (other software may use them)."
}

# A board file is copied to /etc/tally/board.json so the unit does not depend on where it was.
install_board_file() {
  case "$BOARD" in
    */*|*.json)
      [ -f "$BOARD" ] || die "board file $BOARD does not exist"
      install -d -m 0755 /etc/tally
      install -m 0644 "$BOARD" /etc/tally/board.json
      BOARD=/etc/tally/board.json ;;
  esac
}

main() {
  parse_args "$@"
  if [ "$ACTION" = uninstall ]; then uninstall; exit 0; fi
  [ -n "$BOARD" ] || { usage >&2; die "--board is required (e.g. --board rpi5-neopixel-spi)"; }
  if [ "$FIRMWARE_ONLY" = 1 ]; then update_firmware "$BOARD"; exit 0; fi
  if [ "$BOARD" = rpi-neopixel-ring ]; then
    die "board rpi-neopixel-ring drives the ring with PWM + DMA through /dev/mem, which needs root; Tally runs unprivileged. Wire the ring's data line to GPIO10 (SPI0 MOSI) and use --board rpi5-neopixel-spi (works on Pi 1-5), see docs/pi-deployment.md"
  fi
  check_platform
  install_packages
  install_node
  create_user
  update_firmware "$BOARD"
  install_board_file
  install_tally
  write_units
  run_doctor
  next_steps
  maybe_reboot
}

# Sourced (the tests call single steps with stubbed commands): define only.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then main "$@"; fi
