#!/usr/bin/env bash
# Fetch the ClusterNetworkPolicy CRD that the e2e tests install, from the module pinned in
# crds/go.mod (sigs.k8s.io/network-policy-api), through the Go module proxy; go.sum checks the
# module's hash. The CRD YAML is cached like the server binaries, keyed by crds/go.{mod,sum} and
# the channel: when it is there this needs neither Go nor the network.
#
# Prints the directory holding the CRD file(s) as the last line on stdout; everything else goes
# to stderr.
#
#   crddir="$(test/cluster/crds.sh | tail -n1)"
#   kubectl apply --server-side -f "$crddir"
#
# The experimental channel is used: its schema has the fields the Standard one lacks (nodes and
# domainNames peers, named ports), which the tests need. v0.3.0 ships no v1alpha1
# AdminNetworkPolicy/BaselineAdminNetworkPolicy CRDs any more.
#
# Environment: KUBECTL_NETPOL_CLUSTER_CACHE (see build.sh); GOMODCACHE, GOPROXY honoured by go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=cache.sh
source "$here/cache.sh"

channel=experimental
crd=policy.networking.k8s.io_clusternetworkpolicies.yaml
crddir="$cache_root/crds-$( { echo "$channel"; hash_files crds/go.mod crds/go.sum; } | sha256 | cut -c1-16)"

if [ -s "$crddir/$crd" ]; then
  echo "crds.sh: cached CRD in $crddir" >&2
  echo "$crddir"
  exit 0
fi

if ! find_go; then
  echo "crds.sh: 'go' not found in PATH; it fetches the ClusterNetworkPolicy CRD for the e2e tests" >&2
  exit 127
fi

module=sigs.k8s.io/network-policy-api
# Only the one module is downloaded; GOFLAGS=-mod=mod lets go use crds/go.sum without a vendor dir.
moddir="$(cd "$here/crds" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$module" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
if [ ! -s "$moddir/config/crd/$channel/$crd" ]; then
  echo "crds.sh: $module has no config/crd/$channel/$crd (downloaded into '$moddir')" >&2
  exit 1
fi

mkdir -p "$crddir"
tmp="$(mktemp "$crddir/.crd.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
cp "$moddir/config/crd/$channel/$crd" "$tmp"
chmod 644 "$tmp"
# rename(2) is atomic: a concurrent reader sees either no file or a whole one.
mv -f "$tmp" "$crddir/$crd"
echo "crds.sh: $module $(cd "$here/crds" && sed -n 's/^require .* \(v[^ ]*\)$/\1/p' go.mod) CRD cached in $crddir" >&2
echo "$crddir"
