import { readFileSync } from 'node:fs';
import type { Cluster, Finding } from '../../src/engine/index.js';
import { type Analysis, compileCluster } from '../../src/engine/index.js';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { normalizeObjects } from '../../src/io/normalize/normalize.js';

/** Compiles manifests given as YAML texts, failing loudly on any input error. */
export function analyseYaml(...texts: string[]): Analysis {
  const { analysis, findings } = analyseYamlWithFindings(...texts);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new Error(`input errors: ${JSON.stringify(errors)}`);
  return analysis;
}

/** Compiles manifests given as YAML texts and returns the findings too. */
export function analyseYamlWithFindings(...texts: string[]): {
  analysis: Analysis;
  findings: Finding[];
} {
  const parsed = texts.map((text, i) => parseManifestText(text, `input-${i + 1}.yaml`));
  const normalized = normalizeObjects(parsed.flatMap((p) => p.objects));
  return {
    analysis: compileCluster(normalized.cluster),
    findings: [...parsed.flatMap((p) => p.findings), ...normalized.findings],
  };
}

/** The engine's cluster of manifests given as YAML texts (findings dropped), not compiled. */
export function clusterOfYaml(...texts: string[]): Cluster {
  return normalizeObjects(texts.flatMap((text) => parseManifestText(text, 'in.yaml').objects))
    .cluster;
}

/** Reads a fixture file relative to test/fixtures. */
export function fixture(path: string): string {
  return readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8');
}
