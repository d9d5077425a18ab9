import { describeConformanceCases } from '../helpers/conformance-cases.js';

describeConformanceCases({
  folder: 'cluster-network-policy',
  title: 'ClusterNetworkPolicy conformance (upstream suite and edge cases)',
  minimum: 138,
});
