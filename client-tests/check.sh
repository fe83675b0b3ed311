# Sourced by the client scripts: step/fail helpers that say which step broke.
STEP=start
say() { printf '[%s] %s\n' "$CLIENT" "$*"; }
fail() { say "FAIL at step '$STEP': $*"; exit 1; }
need() { command -v "$1" >/dev/null || fail "$1 is not installed (apt-get install $2)"; }
# step NAME COMMAND...: runs COMMAND, fails the script with NAME when it fails.
step() { STEP=$1; shift; "$@" || fail "command failed: $*"; }
