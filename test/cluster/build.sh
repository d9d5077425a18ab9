#!/usr/bin/env bash
# Build kube-apiserver and etcd from Go modules into a cache directory keyed by
# a hash of apiserver/go.{mod,sum}, etcd/go.{mod,sum} and this script's build
# recipe; also build the small stdlib-only helper that start.sh uses (helper/,
# rebuilt on its own in ~1 s when its source changes). If everything is
# already there it does nothing (and needs no Go).
#
# Prints the binary directory as the last line on stdout; everything else
# goes to stderr.
#
#   bindir="$(test/cluster/build.sh | tail -n1)"
#
# Environment:
#   KUBECTL_NETPOL_CLUSTER_CACHE  cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-netpol/cluster)
#   GOMODCACHE, GOCACHE, GOPROXY  honoured as usual by go
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# Bump when the build recipe (flags below) changes, to invalidate old caches.
recipe="v1 CGO_ENABLED=0 -trimpath -ldflags=-s -w +k8s-version-stamp"

# shellcheck source=cache.sh
source "$here/cache.sh"

key="$( { echo "$recipe"; uname -sm; hash_files apiserver/go.mod apiserver/go.sum etcd/go.mod etcd/go.sum; } | sha256 | cut -c1-16)"
helper_key="$(hash_files helper/go.mod helper/main.go)"
bindir="$cache_root/$key"

have_servers() { [ -x "$bindir/kube-apiserver" ] && [ -x "$bindir/etcd" ]; }
have_helper() {
  [ -x "$bindir/netpol-cluster-helper" ] && [ "$(cat "$bindir/netpol-cluster-helper.key" 2>/dev/null)" = "$helper_key" ]
}

if have_servers && have_helper; then
  echo "build.sh: cached binaries in $bindir" >&2
  echo "$bindir"
  exit 0
fi

if ! find_go; then
  echo "build.sh: 'go' not found in PATH; install Go >= $(sed -n 's/^go //p' "$here/apiserver/go.mod") to build kube-apiserver and etcd for the e2e tests" >&2
  exit 127
fi

export GOTOOLCHAIN=local
export GOFLAGS="-mod=mod -buildvcs=false"
export CGO_ENABLED=0

mkdir -p "$bindir"
tmp="$(mktemp -d "$bindir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# rename(2) is atomic: a concurrent reader sees either no binary or a whole one.
if ! have_helper; then
  (cd "$here/helper" && go build -trimpath -ldflags="-s -w" -o "$tmp/netpol-cluster-helper" .)
  mv -f "$tmp/netpol-cluster-helper" "$bindir/netpol-cluster-helper"
  echo "$helper_key" > "$bindir/netpol-cluster-helper.key"
fi

if ! have_servers; then
  k8s_version="$(cd "$here/apiserver" && go list -m -f '{{.Version}}' k8s.io/kubernetes)"
  k8s_minor="$(echo "$k8s_version" | cut -d. -f2)"
  vpkg=k8s.io/component-base/version
  # Without these the server reports v0.0.0-master in /version.
  k8s_ldflags="-s -w -X $vpkg.gitVersion=$k8s_version -X $vpkg.gitMajor=1 -X $vpkg.gitMinor=$k8s_minor -X $vpkg.gitTreeState=clean"

  t0=$(date +%s)
  echo "build.sh: building etcd into $bindir (first build takes 10-20 minutes on 2 cores)" >&2
  (cd "$here/etcd" && go build -trimpath -ldflags="-s -w" -o "$tmp/etcd" go.etcd.io/etcd/server/v3)
  t1=$(date +%s)
  echo "build.sh: etcd built in $((t1 - t0))s; building kube-apiserver $k8s_version" >&2
  (cd "$here/apiserver" && go build -trimpath -ldflags="$k8s_ldflags" -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver)
  t2=$(date +%s)
  echo "build.sh: kube-apiserver built in $((t2 - t1))s" >&2
  mv -f "$tmp/etcd" "$bindir/etcd"
  mv -f "$tmp/kube-apiserver" "$bindir/kube-apiserver"
fi
echo "$bindir"
