/**
 * Single objects of megabytes that are not Lists, as folders of manifests hold them: a ConfigMap
 * of a few big files, a Secret of as much base64, a Pod with megabytes of annotations, and a
 * CustomResourceDefinition whose schema nests thousands of small mappings. Each is about `bytes`
 * of YAML, below the 16 MiB one document may be.
 */

/** A string of `length` characters from a fixed alphabet, the same for the same arguments. */
function filler(length: number, seed: number, alphabet: string): string {
  let state = seed;
  let text = '';
  while (text.length < length) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    text += alphabet[state % alphabet.length];
  }
  return text;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const WORDS = 'abcdefghijklmnopqrstuvwxyz ';

/** A ConfigMap of four text files (dashboards, say) of `bytes` in all. */
export function hugeConfigMap(namespace: string, bytes: number) {
  const data: Record<string, string> = {};
  for (let i = 0; i < 4; i++) {
    const line = filler(79, i, WORDS);
    data[`dashboard-${i}.json`] = `${line}\n`.repeat(Math.ceil(bytes / 4 / 80));
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dashboards', namespace }, data };
}

/** A Secret of one base64 value of `bytes` (a bundle of certificates, say). */
export function hugeSecret(namespace: string, bytes: number) {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'bundle', namespace },
    type: 'Opaque',
    data: { 'bundle.pem': filler(bytes, 7, BASE64) },
  };
}

/** A Pod with annotations of `bytes` (a last-applied configuration and many small ones). */
export function hugePodAnnotations(namespace: string, bytes: number) {
  const annotations: Record<string, string> = {
    'kubectl.kubernetes.io/last-applied-configuration': filler(bytes / 2, 3, WORDS),
  };
  for (let i = 0; i < bytes / 2 / 100; i++) {
    annotations[`example.com/note-${i}`] = filler(60, i, WORDS);
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'annotated', namespace, labels: { app: 'annotated' }, annotations },
    spec: { containers: [{ name: 'main', image: 'nginx', ports: [{ containerPort: 80 }] }] },
    status: { phase: 'Running', podIP: '10.250.0.1' },
  };
}

/** A schema of nested objects, `width` properties a level, `depth` levels: width^depth leaves. */
function nestedSchema(width: number, depth: number): Record<string, unknown> {
  if (depth === 0) return { type: 'string', description: 'A leaf of the generated schema.' };
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < width; i++) properties[`field${i}`] = nestedSchema(width, depth - 1);
  return { type: 'object', description: `A level ${depth} object.`, properties };
}

/** A CustomResourceDefinition whose openAPIV3Schema is about `bytes` of YAML. */
export function hugeCustomResourceDefinition(bytes: number) {
  // Five levels; a leaf is about 180 bytes of YAML with its share of the levels above it.
  const depth = 5;
  const width = Math.max(2, Math.round((bytes / 180) ** (1 / depth)));
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: nestedSchema(width, depth) },
        },
      ],
    },
  };
}
