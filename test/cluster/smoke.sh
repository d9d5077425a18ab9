#!/usr/bin/env bash
# End-to-end check of the test cluster with kubectl: build, start, create a
# namespace, a pod (stays Pending), give it a podIP through the status
# subresource, create a NetworkPolicy, check that "restricted" is forbidden,
# stop. Exits non-zero on the first failure.
#
#   test/cluster/smoke.sh            # uses a temporary DIR, removed afterwards
#   KUBECTL=/usr/bin/kubectl test/cluster/smoke.sh
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
kubectl="${KUBECTL:-kubectl}"
command -v "$kubectl" >/dev/null || { echo "smoke.sh: kubectl not found (set KUBECTL)" >&2; exit 1; }

dir="$(mktemp -d "${TMPDIR:-/tmp}/netpol-e2e.XXXXXX")"
trap '"$here/stop.sh" "$dir" --clean' EXIT

"$here/start.sh" "$dir"
k() { "$kubectl" --kubeconfig "$dir/kubeconfig" "$@"; }
fail() { echo "smoke.sh: FAIL: $*" >&2; exit 1; }

k version 2>/dev/null | grep '^Server Version' || true
k create namespace smoke
k -n smoke run web --image=nginx --labels=app=web --restart=Never
[ "$(k -n smoke get pod web -o jsonpath='{.status.phase}')" = Pending ] || fail "pod is not Pending"
k -n smoke patch pod web --subresource=status --type=merge \
  -p '{"status":{"podIP":"10.1.0.1","podIPs":[{"ip":"10.1.0.1"}]}}'
ip="$(k -n smoke get pod web -o jsonpath='{.status.podIP}')"
[ "$ip" = 10.1.0.1 ] || fail "podIP is '$ip'"
k apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: smoke}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: client}}}]
    ports: [{port: 80, protocol: TCP}]
EOF
k -n smoke get networkpolicy allow-web -o name | grep -q allow-web || fail "NetworkPolicy missing"
if out="$(k --context restricted get pods -A 2>&1)"; then
  fail "restricted user could list pods"
fi
echo "$out" | grep -q Forbidden || fail "expected Forbidden, got: $out"
echo "smoke.sh: OK (podIP $ip, NetworkPolicy created, restricted user forbidden)"
