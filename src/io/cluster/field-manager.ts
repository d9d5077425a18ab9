/** The field manager of the objects kubectl-netpol applies, as kubectl's is "kubectl". */
export const APPLY_FIELD_MANAGER = 'kubectl-netpol';
