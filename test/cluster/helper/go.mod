module kubectl-netpol/test/cluster/helper

go 1.26.0
