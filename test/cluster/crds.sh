#!/usr/bin/env bash
# Fetch the CRDs that the e2e tests install, from the modules pinned in crds/go.mod, through the
# Go module proxy; go.sum checks each module's hash. The CRD YAML is cached like the server
# binaries, keyed by the set and crds/go.{mod,sum}: when it is there this needs neither Go nor
# the network.
#
#   test/cluster/crds.sh [SET]     SET: cluster-network-policy (the default) or cilium
#
# Prints the directory holding the set's CRD files as the last line on stdout; everything else
# goes to stderr.
#
#   crddir="$(test/cluster/crds.sh cilium | tail -n1)"
#   kubectl apply --server-side -f "$crddir"
#
# cluster-network-policy: sigs.k8s.io/network-policy-api, experimental channel: its schema has
# the fields the Standard one lacks (nodes and domainNames peers, named ports), which the tests
# need. v0.3.0 ships no v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy CRDs any more.
# cilium: github.com/cilium/cilium's cilium.io/v2 CiliumNetworkPolicy and
# CiliumClusterwideNetworkPolicy CRDs (the module zip is 38 MB, downloaded once).
# Calico's CRDs are not here: crds/calico.yaml says why.
#
# Environment: KUBECTL_NETPOL_CLUSTER_CACHE (see build.sh); GOMODCACHE, GOPROXY honoured by go.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=cache.sh
source "$here/cache.sh"

set_name="${1:-cluster-network-policy}"
case "$set_name" in
  cluster-network-policy)
    module=sigs.k8s.io/network-policy-api
    subdir=config/crd/experimental
    files=(policy.networking.k8s.io_clusternetworkpolicies.yaml)
    ;;
  cilium)
    module=github.com/cilium/cilium
    subdir=pkg/k8s/apis/cilium.io/client/crds/v2
    files=(ciliumnetworkpolicies.yaml ciliumclusterwidenetworkpolicies.yaml)
    ;;
  *)
    echo "crds.sh: unknown CRD set '$set_name' (expected cluster-network-policy or cilium)" >&2
    exit 2
    ;;
esac

crddir="$cache_root/crds-$( { echo "$set_name"; hash_files crds/go.mod crds/go.sum; } | sha256 | cut -c1-16)"

cached=1
for f in "${files[@]}"; do [ -s "$crddir/$f" ] || cached=0; done
if [ "$cached" = 1 ]; then
  echo "crds.sh: cached $set_name CRDs in $crddir" >&2
  echo "$crddir"
  exit 0
fi

if ! find_go; then
  echo "crds.sh: 'go' not found in PATH; it fetches the $set_name CRDs for the e2e tests" >&2
  exit 127
fi

# Only the one module is downloaded; GOFLAGS=-mod=mod lets go use crds/go.sum without a vendor dir.
moddir="$(cd "$here/crds" && GOTOOLCHAIN=local GOFLAGS=-mod=mod go mod download -json "$module" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"

mkdir -p "$crddir"
for f in "${files[@]}"; do
  if [ ! -s "$moddir/$subdir/$f" ]; then
    echo "crds.sh: $module has no $subdir/$f (downloaded into '$moddir')" >&2
    exit 1
  fi
  tmp="$(mktemp "$crddir/.crd.XXXXXX")"
  cp "$moddir/$subdir/$f" "$tmp"
  chmod 644 "$tmp"
  # rename(2) is atomic: a concurrent reader sees either no file or a whole one.
  mv -f "$tmp" "$crddir/$f"
done
version="$(cd "$here/crds" && sed -n "s|^[[:space:]]*\(require \)\{0,1\}$module \(v[^ ]*\)$|\2|p" go.mod)"
echo "crds.sh: $module $version CRDs cached in $crddir" >&2
echo "$crddir"
