#!/usr/bin/env bash
# git pushing over WebDAV (git http-push: PROPFIND, MKCOL, PUT, MOVE, LOCK and UNLOCK on
# info/refs and the refs) into a bare repository served by depthdav, then cloning it back.
# usage: git.sh URL WORKDIR
set -uo pipefail
URL=$1 W=$2 CLIENT=git
. "$(dirname "$0")/check.sh"
need git git
need curl curl
[ -x "$(git --exec-path)/git-http-push" ] || fail "git-http-push is missing"
cd "$W" || exit 1
export HOME=$W GIT_TERMINAL_PROMPT=0
git config --global user.name depthdav-test
git config --global user.email test@depthdav.invalid
git config --global init.defaultBranch main
repo="git-$$.git"
STEP=bare
git init -q --bare "$repo" && git -C "$repo" update-server-info || fail "git init --bare"
# Upload the bare repository as it is: folders by MKCOL (parents first), files by PUT.
curl -sf -X MKCOL "$URL$repo/" >/dev/null || fail "MKCOL $repo"
for d in $(cd "$repo" && find . -mindepth 1 -type d | sort); do
  curl -sf -X MKCOL "$URL$repo/${d#./}/" >/dev/null || fail "MKCOL $d"
done
for f in $(cd "$repo" && find . -type f | sort); do
  curl -sf -T "$repo/${f#./}" "$URL$repo/${f#./}" >/dev/null || fail "PUT $f"
done
STEP=commit
git init -q work && cd work || fail "git init"
printf 'pushed over WebDAV\n' > README
git add README && git commit -qm "first" || fail "commit"
STEP=push
timeout 120 git push "$URL$repo" main >../push.log 2>&1 || { cat ../push.log; fail "git push"; }
sed 's/^/    /' ../push.log
cd .. || exit 1
STEP=clone
timeout 120 git clone -q "$URL$repo" back >clone.log 2>&1 || { cat clone.log; fail "git clone"; }
[ "$(cat back/README)" = "pushed over WebDAV" ] || fail "the clone holds: $(cat back/README)"
[ "$(git -C back log --format=%s -1)" = "first" ] || fail "the clone lacks the commit"
curl -sf -X DELETE "$URL$repo/" >/dev/null
say "OK: git http-push over WebDAV (with LOCK/UNLOCK), then clone back"
