// Pins the module whose CRD YAML the e2e tests install (read by ../crds.sh); go.sum holds its hash.
module kubectl-netpol/test/cluster/crds

go 1.26.0

require sigs.k8s.io/network-policy-api v0.3.0
