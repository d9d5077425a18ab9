import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { fixture } from '../helpers/load.js';

const warnings = (text: string) =>
  parseManifestText(text, 'x.yaml').findings.filter((f) => f.code === 'yaml11-boolean');

describe('the YAML 1.1 boolean trap', () => {
  it('warns about unquoted yes/on that kubectl reads as booleans, with line and field', () => {
    expect(warnings(fixture('audit/yaml11-boolean/triggers.yaml'))).toEqual([
      {
        severity: 'warning',
        code: 'yaml11-boolean',
        message:
          'metadata.labels.canary: the unquoted value yes is the boolean true to kubectl (YAML 1.1), not the string "yes" read here; quote it',
        location: { file: 'x.yaml', document: 1, line: 9, column: 13 },
      },
      {
        severity: 'warning',
        code: 'yaml11-boolean',
        message:
          'spec.podSelector.matchLabels.on: the unquoted key on is the boolean true to kubectl (YAML 1.1), not the string "on" read here; quote it',
        location: { file: 'x.yaml', document: 2, line: 21, column: 7 },
      },
    ]);
  });

  it('is quiet about quoted values and ordinary words', () => {
    expect(warnings(fixture('audit/yaml11-boolean/clean.yaml'))).toEqual([]);
    expect(warnings('metadata: {labels: {answer: nope, mode: online}}')).toEqual([]);
  });

  it('warns about each of the 16 spellings kubectl reads as a boolean, and no other short word', () => {
    const booleans = 'y Y yes Yes YES on On ON n N no No NO off Off OFF'.split(' ');
    const others = 'x ya yeS oN nO of OF Of no1 nah off- 0 ~ yess'.split(' ');
    // A document each: a document lists only its first 10.
    const stream = [...booleans, ...others].map((word) => `a: ${word}\n`).join('---\n');
    const found = warnings(stream).map((f) => f.message.split(' ')[4]);
    expect(found).toEqual(booleans);
  });

  it('names list items by index and reads N, Off and OFF as false', () => {
    const found = warnings('namespaces: [x, N]\nflags: {a: Off, b: OFF}');
    expect(found.map((f) => `${f.location?.line}:${f.location?.column} ${f.message}`)).toEqual([
      '1:17 namespaces[1]: the unquoted value N is the boolean false to kubectl (YAML 1.1), not the string "N" read here; quote it',
      '2:12 flags.a: the unquoted value Off is the boolean false to kubectl (YAML 1.1), not the string "Off" read here; quote it',
      '2:20 flags.b: the unquoted value OFF is the boolean false to kubectl (YAML 1.1), not the string "OFF" read here; quote it',
    ]);
  });
});
