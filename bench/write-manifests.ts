import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { KubeObject } from './kube-objects.js';

function namespaceOf(object: KubeObject): string {
  return object.kind === 'Namespace'
    ? object.metadata.name
    : (object.metadata.namespace ?? 'default');
}

/**
 * Writes objects as a manifest folder, one multi-document YAML file per namespace (Namespace
 * first, in generation order), replacing whatever the folder held. Returns the files written.
 */
export async function writeManifests(objects: readonly KubeObject[], dir: string): Promise<number> {
  const byNamespace = new Map<string, KubeObject[]>();
  for (const object of objects) {
    const list = byNamespace.get(namespaceOf(object));
    if (list) list.push(object);
    else byNamespace.set(namespaceOf(object), [object]);
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const [namespace, list] of byNamespace) {
    const text = list
      .map((object) => stringify(object, { aliasDuplicateObjects: false }))
      .join('---\n');
    await writeFile(join(dir, `${namespace}.yaml`), text);
  }
  return byNamespace.size;
}
