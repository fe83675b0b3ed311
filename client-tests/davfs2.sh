#!/usr/bin/env bash
# davfs2: mount -t davfs with davfs2's defaults, except buf_size 64 (this kernel needs it for
# directory reads) and ask_auth 0 (there is no terminal to answer its credentials prompt), then
# write, read back, rename, delete, unmount, remount with an empty cache and read again: every
# byte where it should be. Over HTTPS (DAV_USER, DAV_PASS, DAV_CA set) the config names a secrets
# file with the credentials and trusts the test CA with trust_ca_cert. Needs root.
# usage: davfs2.sh URL WORKDIR
set -uo pipefail
URL=$1 W=$2 CLIENT=davfs2
. "$(dirname "$0")/check.sh"
need mount.davfs davfs2
need curl curl
[ "$(id -u)" = 0 ] || fail "mounting needs root"
chmod 755 "$W"
mnt="$W/mnt"
mkdir -p "$mnt" "$W/local"
head -c 2500000 /dev/urandom > "$W/local/big.bin"
printf 'small file\n' > "$W/local/small.txt"

conf() { # cache dir; mount.davfs runs as user davfs2 and must own it as it owns its default
  mkdir -p "$1"
  chown root:davfs2 "$1"
  chmod 775 "$1"
  printf 'buf_size 64\nask_auth 0\ncache_dir %s\n' "$1" > "$W/davfs2.conf"
  if [ -n "${DAV_USER:-}" ]; then # a secrets file of its own: URL USER PASSWORD, mode 600
    printf '%s %s %s\n' "$URL" "$DAV_USER" "$DAV_PASS" > "$W/secrets"
    chmod 600 "$W/secrets"
    printf 'secrets %s\n' "$W/secrets" >> "$W/davfs2.conf"
  fi
  # trust_ca_cert: this CA and no other (davfs2 then ignores the system's CAs).
  [ -n "${DAV_CA:-}" ] && printf 'trust_ca_cert %s\n' "$DAV_CA" >> "$W/davfs2.conf"
  chmod 600 "$W/davfs2.conf"
}
mounted() { grep -q " $mnt " /proc/mounts; }
do_mount() {
  conf "$1"
  timeout 60 mount -t davfs -o "conf=$W/davfs2.conf" "$URL" "$mnt" </dev/null >"$W/mount.log" 2>&1 \
    || { cat "$W/mount.log"; return 1; }
  mounted
}
do_umount() { timeout 120 umount "$mnt" && ! mounted; }
trap 'mounted && umount "$mnt" 2>/dev/null' EXIT

step mount do_mount "$W/cache1"
d="$mnt/davfs2 test"
step mkdir mkdir -p "$d/sub dir"
step "write small" cp "$W/local/small.txt" "$d/small.txt"
step "write big" cp "$W/local/big.bin" "$d/sub dir/big.bin"
step "write then rename" cp "$W/local/small.txt" "$d/to-rename.txt"
step rename mv "$d/to-rename.txt" "$d/renamed ü.txt"
step "write then delete" cp "$W/local/small.txt" "$d/to-delete.txt"
step delete rm "$d/to-delete.txt"
step "read back" cmp "$W/local/big.bin" "$d/sub dir/big.bin"
step "list" ls -la "$d"
step umount do_umount
say "unmounted; checking the server with curl"
base="${URL}davfs2%20test"
STEP="server big"; dav_curl -sf "$base/sub%20dir/big.bin" -o "$W/server-big.bin" && cmp -s "$W/server-big.bin" "$W/local/big.bin" || fail "big.bin on the server differs"
STEP="server renamed"; [ "$(dav_curl -sf "$base/renamed%20%C3%BC.txt")" = "small file" ] || fail "renamed file missing"
STEP="server old name"; [ "$(dav_curl -s -o /dev/null -w '%{http_code}' "$base/to-rename.txt")" = 404 ] || fail "old name still there"
STEP="server deleted"; [ "$(dav_curl -s -o /dev/null -w '%{http_code}' "$base/to-delete.txt")" = 404 ] || fail "deleted file still there"
step remount do_mount "$W/cache2"
step "read after remount" cmp "$W/local/big.bin" "$d/sub dir/big.bin"
step "read small after remount" cmp "$W/local/small.txt" "$d/small.txt"
step "final umount" do_umount
say "OK: write, read, rename, delete, remount and read again all kept every byte"
