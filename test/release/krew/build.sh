#!/usr/bin/env bash
# Build krew's manifest validator (validate-krew-manifest) and krew itself (as kubectl-krew, which
# the validator runs to install every platform), from the sigs.k8s.io/krew version pinned in
# go.mod here, through the Go module proxy (go.sum checks the module's hash). They are cached like
# the test API server (test/cluster/build.sh), in a folder named after that version; when they
# are there this needs neither Go nor the network. Fails when they cannot be built: the release
# test needs them.
#
# Prints the binary directory as the last line on stdout; everything else goes to stderr.
#
#   bindir="$(test/release/krew/build.sh | tail -n1)"
#
# Environment: XDG_CACHE_HOME; GOMODCACHE, GOCACHE, GOPROXY honoured as usual by go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../../cluster/cache.sh
source "$here/../../cluster/cache.sh"

# Bump when the build recipe (flags below) changes, to invalidate old caches.
recipe="v1 CGO_ENABLED=0 -trimpath -ldflags=-s -w"

module=sigs.k8s.io/krew
version="$(sed -n "s#^[[:space:]]*\(require \)\{0,1\}$module \(v[^ ]*\).*#\2#p" "$here/go.mod")"
[ -n "$version" ] || { echo "krew/build.sh: no $module version in $here/go.mod" >&2; exit 1; }
bindir="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-netpol/krew-$version"

have_tools() {
  [ -x "$bindir/validate-krew-manifest" ] && [ -x "$bindir/kubectl-krew" ] &&
    [ "$(cat "$bindir/recipe" 2>/dev/null)" = "$recipe" ]
}

if have_tools; then
  echo "krew/build.sh: cached krew $version in $bindir" >&2
  echo "$bindir"
  exit 0
fi

if ! find_go; then
  echo "krew/build.sh: 'go' not found in PATH; install Go >= $(sed -n 's/^go //p' "$here/go.mod") to build krew's manifest validator for the release test" >&2
  exit 127
fi

export GOTOOLCHAIN=local GOFLAGS="-mod=mod -buildvcs=false" CGO_ENABLED=0

mkdir -p "$bindir"
tmp="$(mktemp -d "$bindir/.build.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

echo "krew/build.sh: building $module $version (validate-krew-manifest, kubectl-krew) into $bindir" >&2
(cd "$here" && go build -trimpath -ldflags="-s -w" -o "$tmp/validate-krew-manifest" "$module/cmd/validate-krew-manifest")
(cd "$here" && go build -trimpath -ldflags="-s -w" -o "$tmp/kubectl-krew" "$module/cmd/krew")
# rename(2) is atomic: a concurrent reader sees either no binary or a whole one.
mv -f "$tmp/validate-krew-manifest" "$bindir/validate-krew-manifest"
mv -f "$tmp/kubectl-krew" "$bindir/kubectl-krew"
echo "$recipe" > "$bindir/recipe"
echo "$bindir"
