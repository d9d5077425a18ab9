#!/usr/bin/env bash
# Build (or reuse) the test API server, and fetch the CRD the tests install, before the test
# runner starts, so no test hook has to wait for a 15-40 minute cold build. `npm test` runs it as
# its own step. Where Go or kubectl is missing it says why and succeeds: the end-to-end tests then
# skip with that reason in their names.
# A build that fails fails the step.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  echo "prepare.sh: Go is not installed: the end-to-end tests will be skipped" >&2
  exit 0
fi
if ! command -v kubectl >/dev/null 2>&1; then
  echo "prepare.sh: kubectl is not installed: the end-to-end tests will be skipped" >&2
  exit 0
fi

# A cold build prints nothing for many minutes; say that it is alive once a minute.
started=$SECONDS
(
  while sleep 60; do
    echo "prepare.sh: still building the test API server ($((SECONDS - started))s)" >&2
  done
) &
heartbeat=$!
trap 'kill "$heartbeat" 2>/dev/null || true' EXIT

bindir="$("$here/build.sh" | tail -n 1)"
echo "prepare.sh: test API server binaries ready in $bindir ($((SECONDS - started))s)" >&2
for set in cluster-network-policy cilium; do
  crddir="$("$here/crds.sh" "$set" | tail -n 1)"
  echo "prepare.sh: $set CRDs ready in $crddir" >&2
done
