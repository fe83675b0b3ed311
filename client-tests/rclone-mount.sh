#!/usr/bin/env bash
# rclone mount (FUSE): write, read back, rename, delete through the mount, unmount, check the
# server with curl, mount again and read again. Needs root (or FUSE rights) and fuse3.
# usage: rclone-mount.sh URL WORKDIR
set -uo pipefail
URL=$1 W=$2 CLIENT=rclone-mount
. "$(dirname "$0")/check.sh"
need rclone rclone
need curl curl
command -v fusermount3 >/dev/null || command -v fusermount >/dev/null || fail "fusermount is not installed (apt-get install fuse3)"
step config rclone_remote
mnt="$W/mnt"
mkdir -p "$mnt" "$W/local"
head -c 2000000 /dev/urandom > "$W/local/big.bin"
printf 'small & sweet\n' > "$W/local/small.txt"
pid=
mounted() { grep -q " $mnt " /proc/mounts; }
do_mount() {
  rclone mount dd: "$mnt" --vfs-cache-mode writes --cache-dir "$W/cache$1" --dir-cache-time 1s \
    --vfs-write-back 0s \
    >"$W/mount$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do mounted && return 0; sleep 0.1; done
  cat "$W/mount$1.log"
  return 1
}
do_umount() {
  fusermount3 -u "$mnt" 2>/dev/null || fusermount -u "$mnt" 2>/dev/null || umount "$mnt"
  wait "$pid" 2>/dev/null
  ! mounted
}
trap 'mounted && (fusermount3 -u "$mnt" 2>/dev/null || umount -l "$mnt")' EXIT

step mount do_mount 1
d="$mnt/rclone mount #1"
step mkdir mkdir -p "$d/inner"
step "write small" cp "$W/local/small.txt" "$d/small.txt"
step "write big" cp "$W/local/big.bin" "$d/inner/big.bin"
step "write more" cp "$W/local/small.txt" "$d/old name.txt"
step "write more" cp "$W/local/small.txt" "$d/gone.txt"
step sync sync
# rclone uploads a closed file in the background, and rclone 1.60 neither renames nor deletes a
# file whose upload is still queued (it uploads it later under the old name), so wait until the
# server has every file, as a user waits for a sync client to settle.
on_server() { [ "$(dav_curl -s -o /dev/null -w '%{http_code}' "${URL}rclone%20mount%20%231/$1")" = 200 ]; }
settled() { on_server inner/big.bin && on_server "old%20name.txt" && on_server gone.txt; }
STEP=upload; for _ in $(seq 1 300); do settled && break; sleep 0.1; done; settled || fail "uploads never reached the server"
step rename mv "$d/old name.txt" "$d/new name+ü.txt"
step delete rm "$d/gone.txt"
step "read back" cmp "$W/local/big.bin" "$d/inner/big.bin"
step umount do_umount
say "unmounted; checking the server with curl"
base="${URL}rclone%20mount%20%231"
STEP="server big"; dav_curl -sf "$base/inner/big.bin" -o "$W/server-big.bin" && cmp -s "$W/server-big.bin" "$W/local/big.bin" || fail "big.bin on the server differs"
STEP="server renamed"; [ "$(dav_curl -sf "$base/new%20name+%C3%BC.txt")" = "small & sweet" ] || fail "renamed file missing"
STEP="server old name"; [ "$(dav_curl -s -o /dev/null -w '%{http_code}' "$base/old%20name.txt")" = 404 ] || fail "old name still there"
STEP="server deleted"; [ "$(dav_curl -s -o /dev/null -w '%{http_code}' "$base/gone.txt")" = 404 ] || fail "deleted file still there"
step remount do_mount 2
step "read after remount" cmp "$W/local/big.bin" "$d/inner/big.bin"
step "read small after remount" cmp "$W/local/small.txt" "$d/small.txt"
step "final umount" do_umount
say "OK: write, read, rename, delete, remount and read again all kept every byte"
