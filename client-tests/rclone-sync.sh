#!/usr/bin/env bash
# rclone as a sync client: a tree of 200+ files in nested folders whose names hold spaces, UTF-8,
# '#', '%', '+', '&', ';' and "'"; sync, check sizes, check contents (--download); change, add and
# delete some files, sync again, check again. Over HTTPS (DAV_USER, DAV_PASS, DAV_CA set) it logs
# in with an obscured password and trusts only the test CA, and first shows that a certificate
# from another CA and a wrong password are both refused.
# usage: rclone-sync.sh URL WORKDIR
set -uo pipefail
URL=$1 W=$2 CLIENT=rclone-sync
. "$(dirname "$0")/check.sh"
need rclone rclone
step config rclone_remote
refused() { # WHAT EXPECTED-TEXT rclone-args...: the listing must fail, saying EXPECTED-TEXT
  local what=$1 want=$2 out
  shift 2
  STEP="refuses $what"
  out=$(rclone lsf --retries 1 --low-level-retries 1 "$@" dd: 2>&1) && fail "listed with $what: $out"
  grep -q "$want" <<<"$out" || fail "no '$want' in: $out"
  say "refused with $what: $(grep -o "$want[^\"]*" <<<"$out" | head -1)"
}
if [ -n "${DAV_USER:-}" ]; then
  refused "another CA" "certificate signed by unknown authority" --ca-cert "$DAV_OTHER_CA"
  RCLONE_CONFIG_DD_PASS=$(rclone obscure "wrong-$DAV_PASS") refused "a wrong password" "401"
fi
src="$W/src"
names=("plain" "with space" "ünïcödé 日本" "hash#tag" "100% sure" "a+b&c;d" "it's")
for d1 in "${names[@]}"; do
  for d2 in "sub one" "sub#2" "sub'3"; do
    mkdir -p "$src/$d1/$d2"
    for f in "${names[@]}" "x" "y" "z"; do
      printf 'file %s in %s/%s\n' "$f" "$d1" "$d2" > "$src/$d1/$d2/$f.txt"
    done
  done
done
head -c 3000000 /dev/urandom > "$src/plain/big.bin"
count=$(find "$src" -type f | wc -l)
say "local tree: $count files"
rc() { rclone --retries 1 --low-level-retries 2 "$@" >>"$W/rclone.log" 2>&1 || { tail -20 "$W/rclone.log"; return 1; }; }
step "sync 1" rc sync "$src" dd:rt
step "check sizes 1" rc check "$src" dd:rt
step "check contents 1" rc check --download "$src" dd:rt
say "synced and checked $count files"
printf 'changed\n' > "$src/with space/sub one/x.txt"
printf 'changed too, and longer than before\n' > "$src/100% sure/sub#2/it's.txt"
rm -f "$src/hash#tag/sub'3/"*.txt
mkdir -p "$src/new folder ü"; printf 'new\n' > "$src/new folder ü/new & fresh.txt"
head -c 1000000 /dev/urandom > "$src/plain/big.bin"
count=$(find "$src" -type f | wc -l)
step "sync 2" rc sync "$src" dd:rt
step "check sizes 2" rc check "$src" dd:rt
step "check contents 2" rc check --download "$src" dd:rt
STEP="gone"; rclone lsf "dd:rt/hash#tag/sub'3/" 2>/dev/null | grep -q . && fail "deleted files are still listed"
STEP="listing"; remote=$(rclone lsf -R --files-only dd:rt | wc -l); [ "$remote" -eq "$count" ] || fail "remote lists $remote files, local has $count"
say "OK: $count files synced twice and checked by size and content"
