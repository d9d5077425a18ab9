#!/usr/bin/env bash
# Stop the etcd and kube-apiserver that start.sh DIR started, and wait for them
# to exit (SIGTERM, then SIGKILL after 20 s). Leaves DIR in place.
#
#   test/cluster/stop.sh DIR [--clean]    # --clean also removes DIR
set -uo pipefail

dir="${1:?usage: stop.sh DIR [--clean]}"
[ -d "$dir" ] || { echo "stop.sh: no such directory: $dir" >&2; exit 0; }
dir="$(cd "$dir" && pwd -P)"

# Only signal a pid that is still the process we started (pids get reused).
ours() {
  local pid=$1 name=$2
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "$name" || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$dir" || return 1
  fi
  return 0
}

stop_one() {
  local name=$1 pidfile="$dir/$1.pid" pid i
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if ours "$pid" "$name"; then
    kill -TERM "$pid" 2>/dev/null
    for ((i = 0; i < 200; i++)); do
      ours "$pid" "$name" || break
      sleep 0.1
    done
    if ours "$pid" "$name"; then
      echo "stop.sh: $name ($pid) did not exit after SIGTERM; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null
      for ((i = 0; i < 50; i++)); do ours "$pid" "$name" || break; sleep 0.1; done
    fi
  fi
  rm -f "$pidfile"
}

# API server first, so it does not log etcd connection errors on the way down.
stop_one kube-apiserver
stop_one etcd

if [ "${2:-}" = "--clean" ]; then
  rm -rf "$dir"
fi
