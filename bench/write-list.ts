/**
 * Writes the large cluster as ONE YAML document, a `List` such as `kubectl get all -A -o yaml`
 * prints: `node dist/bench/write-list.js FILE`. Each item carries the `last-applied-configuration`
 * annotation `kubectl apply` leaves, so the file is about 16 MB: just under the YAML reader's
 * 16 MiB limit for one document, the worst single document it still parses.
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { MAX_YAML_DOCUMENT } from '../src/io/manifests/parse-text.js';
import { CLUSTER_SIZES, generateCluster } from './synthetic-cluster.js';

const [file = 'bench-out/large-list.yaml'] = process.argv.slice(2);

const items = generateCluster(CLUSTER_SIZES.large).map((object) => ({
  ...object,
  metadata: {
    ...object.metadata,
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(object)}\n`,
    },
  },
}));
const text = stringify(
  { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items },
  { aliasDuplicateObjects: false, lineWidth: 0 },
);
if (text.length > MAX_YAML_DOCUMENT) {
  throw new Error(`${text.length} characters: over the ${MAX_YAML_DOCUMENT} one document may be`);
}
writeFileSync(file, text);
process.stderr.write(`${file}: ${items.length} items, ${(text.length / 1e6).toFixed(1)} MB\n`);
