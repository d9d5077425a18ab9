/**
 * Writes a folder for the UI's turns with single huge objects that are not Lists:
 * `node dist/bench/write-huge-objects.js DIR [MB]` writes the small cluster, one file per
 * namespace, and beside it a ConfigMap, a Secret, a Pod's annotations and a
 * CustomResourceDefinition's schema of about MB megabytes each (10 unless told), one file each.
 * The Pod has a misspelt field (`metadata.labelz`): its unknown-field warning is located in it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { MAX_YAML_DOCUMENT } from '../src/io/manifests/parse-text.js';
import {
  hugeConfigMap,
  hugeCustomResourceDefinition,
  hugePodAnnotations,
  hugeSecret,
} from './huge-objects.js';
import { CLUSTER_SIZES, generateCluster } from './synthetic-cluster.js';
import { writeManifests } from './write-manifests.js';

const [dir = 'bench-out/huge-objects', megabytes = '10'] = process.argv.slice(2);
const bytes = Number(megabytes) * 1e6;

const cluster = generateCluster(CLUSTER_SIZES.small);
await writeManifests(cluster, dir);
const namespace = cluster.find((object) => object.kind === 'Namespace')?.metadata.name ?? 'default';
const pod = hugePodAnnotations(namespace, bytes);
const huge = {
  'huge-configmap.yaml': hugeConfigMap(namespace, bytes),
  'huge-secret.yaml': hugeSecret(namespace, bytes),
  'huge-pod.yaml': { ...pod, metadata: { ...pod.metadata, labelz: { tier: 'web' } } },
  'huge-crd.yaml': hugeCustomResourceDefinition(bytes),
};
for (const [file, object] of Object.entries(huge)) {
  const text = stringify(object, { aliasDuplicateObjects: false, lineWidth: 0 });
  if (text.length > MAX_YAML_DOCUMENT) {
    throw new Error(`${file}: ${text.length} characters, over the ${MAX_YAML_DOCUMENT} allowed`);
  }
  writeFileSync(join(dir, file), text);
  process.stderr.write(`${join(dir, file)}: ${(text.length / 1e6).toFixed(1)} MB\n`);
}
