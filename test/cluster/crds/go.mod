// Pins the modules whose CRD YAML the e2e tests install (read by ../crds.sh); go.sum holds their hashes.
module kubectl-netpol/test/cluster/crds

go 1.26.0

require (
	github.com/cilium/cilium v1.20.2
	sigs.k8s.io/network-policy-api v0.3.0
)
