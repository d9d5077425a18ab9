import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseEvents } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';

/** Lines that start, end, fill or decorate documents of a YAML stream. */
const LINES = [
  '---',
  '--- # start',
  '--- |',
  '--- {a: 1}',
  '...',
  '... # end',
  '%YAML 1.1',
  '%YAML 1.2',
  '# comment',
  '',
  '   ',
  'a: 1',
  'b: yes',
  '- item',
  '  indented text',
  'plain',
];

/** What the yaml package (the reader before js-yaml) reads from the whole stream, numbered. */
function wholeStream(text: string) {
  const documents = parseAllDocuments(text);
  if (documents.some((d) => d.errors.length > 0)) return undefined;
  return documents.flatMap((document, i) => {
    const object: unknown = document.toJS();
    return object === null || object === undefined ? [] : [{ object, document: i + 1 }];
  });
}

/** Whether js-yaml, which reads manifests, reads the whole stream without an error. */
function jsYamlReads(text: string): boolean {
  try {
    parseEvents(text, {});
    return true;
  } catch {
    return false;
  }
}

describe('reading a stream one document at a time', () => {
  it('reads what the yaml package reads from the whole stream, with the same document numbers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...LINES), { maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        (lines, newline) => {
          const text = `${lines.join(newline)}${newline}`;
          const expected = wholeStream(text);
          // Where the two parsers disagree on what is valid (see test/io/manifests.test.ts),
          // there is nothing to compare.
          fc.pre(expected !== undefined && jsYamlReads(text));
          const read = parseManifestText(text, 's.yaml');
          expect(read.findings.filter((f) => f.severity === 'error')).toEqual([]);
          expect(
            read.objects.map((o) => ({ object: o.object, document: o.location.document })),
          ).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** Every YAML file under a folder, recursively. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

describe('reading the test fixtures', () => {
  it('reads every valid fixture as the yaml package did, data and document numbers', () => {
    const files = yamlFiles('test/fixtures');
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const expected = wholeStream(text);
      if (expected === undefined) continue;
      const read = parseManifestText(text, file);
      expect(
        read.objects.map((o) => ({ object: o.object, document: o.location.document })),
        file,
      ).toEqual(expected);
    }
  });
});
