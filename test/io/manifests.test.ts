import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifestText } from '../../src/io/manifests/parse-text.js';
import { readManifests } from '../../src/io/manifests/read-paths.js';
import { ALIAS_BOMB } from '../helpers/hostile-yaml.js';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n';

const noStdin = async () => '';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'netpol-read-'));
}

function tempFile(text: string): string {
  const file = join(tempDir(), 'big.yaml');
  writeFileSync(file, text);
  return file;
}

describe('reading a manifest text', () => {
  it('refuses an alias cycle in its document, naming document and object, and keeps the rest', () => {
    const cycle =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: loop\n  namespace: shop\n  labels: &l {app: web, self: *l}\n';
    const read = parseManifestText(`${POD}---\n${cycle}---\n${POD}`, 'c.yaml');
    expect(read.findings).toEqual([
      {
        severity: 'error',
        code: 'malformed-document',
        message:
          'refused: the alias *l lies inside the node anchored &l (a cycle) at line 10, column 31',
        object: 'Pod shop/loop',
        location: { file: 'c.yaml', document: 2, line: 5 },
      },
    ]);
    expect(read.objects.map((o) => o.location.document)).toEqual([1, 3]);
    // What is kept can be serialised: no cycle reaches the rest of the program.
    expect(() => JSON.stringify(read.objects)).not.toThrow();
  });

  it('refuses an alias bomb in document 1 and still reads document 2', () => {
    const read = parseManifestText(`${ALIAS_BOMB}\n---\n${POD}`, 'b.yaml');
    expect(read.findings).toEqual([
      {
        severity: 'error',
        code: 'malformed-document',
        message: 'refused: aliases expand to more than 1000 copies of a node (an alias bomb)',
        location: { file: 'b.yaml', document: 1, line: 1 },
      },
    ]);
    expect(read.objects).toEqual([
      {
        object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' } },
        location: { file: 'b.yaml', document: 2, line: 11 },
      },
    ]);
  });

  it('refuses a document with more aliases than the limit', () => {
    const anchors = Array.from({ length: 1001 }, (_, i) => `k${i}: &a${i} v\nr${i}: *a${i}`);
    const read = parseManifestText(anchors.join('\n'), 'many.yaml');
    expect(read.objects).toEqual([]);
    expect(read.findings.map((f) => f.message)).toEqual([
      'refused: more than 1000 aliases at line 2002, column 8',
    ]);
  });

  it('names a duplicate key with its line and keeps the other documents', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `  k${i}: v`).join('\n');
    const read = parseManifestText(`data:\n${keys}\n  k7: again\n---\n${POD}`, 'dup.yaml');
    expect(read.findings.map((f) => `${f.location?.document}: ${f.message}`)).toEqual([
      '1: malformed YAML: duplicate key "k7" at line 12, column 3',
    ]);
    expect(read.objects).toHaveLength(1);
  });

  it('numbers documents across a long run of empty ones without parsing each', () => {
    const read = parseManifestText(`${'---\n'.repeat(1_000_000)}---\n${POD}`, 'e.yaml');
    expect(read.findings).toEqual([]);
    expect(read.objects.map((o) => o.location)).toEqual([
      { file: 'e.yaml', document: 1_000_001, line: 1_000_002 },
    ]);
  });

  it('refuses a YAML document over 16 MB, saying how big it is, and reads the others', () => {
    const big = `data:\n${'  key: value\n'.repeat(1_500_000)}`;
    const read = parseManifestText(`${POD}---\n${big}---\n${POD}`, 'big.yaml');
    expect(read.findings).toEqual([
      {
        severity: 'error',
        code: 'document-too-large',
        message:
          'refused: the document is 18.6 MB of YAML, over the 16.0 MB limit (parsing takes about 20 times that in memory); give it as JSON (-o json) or as several documents',
        location: { file: 'big.yaml', document: 2 },
      },
    ]);
    expect(read.objects.map((o) => o.location.document)).toEqual([1, 3]);
  });

  it('reads a JSON document over the YAML limit', () => {
    const items = Array.from({ length: 150_000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: 'shop', labels: { app: 'web' } },
    }));
    const list = { apiVersion: 'v1', kind: 'List', items };
    const text = JSON.stringify(list, null, 2);
    expect(text.length).toBeGreaterThan(16 * 2 ** 20);
    const read = parseManifestText(text, 'list.json');
    expect(read.findings).toEqual([]);
    expect(read.objects).toEqual([
      { object: list, location: { file: 'list.json', document: 1, line: 1 } },
    ]);
  });

  it('keeps directives with the document they precede', () => {
    const read = parseManifestText(`${POD}...\n%YAML 1.1\n---\nflag: yes\n`, 'v.yaml');
    expect(read.objects.map((o) => o.object)).toEqual([
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' } },
      { flag: true },
    ]);
  });

  it('refuses a document nested too deeply for the parser and keeps the others', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const read = parseManifestText(`${POD}---\n${deep}\n---\n${POD}`, 'deep.yaml');
    expect(read.findings.map((f) => f.location?.document)).toEqual([2]);
    expect(read.findings[0]?.message).toMatch(/^malformed YAML: .* at line 5, column \d+$/);
    expect(read.objects).toHaveLength(2);
  });
});

describe('reading manifest files', () => {
  it('reads 150,000 small documents of one file', async () => {
    // Scalar documents parse fastest; what matters here is their number, not their size.
    const docs = Array.from({ length: 150_000 }, (_, i) => `c${i}`);
    const read = await readManifests([tempFile(docs.join('\n---\n'))], noStdin);
    expect(read.findings).toEqual([]);
    expect(read.objects).toHaveLength(150_000);
    expect(read.objects.at(-1)?.location.document).toBe(150_000);
  });

  it('reads a document of 200,000 unquoted yes values, listing ten warnings and counting the rest', async () => {
    const values = Array(200_000).fill('  - yes').join('\n');
    const read = await readManifests([tempFile(`flags:\n${values}\n`)], noStdin);
    expect(read.objects).toHaveLength(1);
    expect(read.findings).toHaveLength(11);
    expect(read.findings.at(-1)?.message).toBe(
      '199990 more unquoted y/yes/on/n/no/off keys or values, booleans to kubectl (YAML 1.1); quote them',
    );
  });

  it('skips a FIFO in a directory with a note and reads the other files', async () => {
    const dir = tempDir();
    execFileSync('mkfifo', [join(dir, 'a-pipe.yaml')]);
    writeFileSync(join(dir, 'b.yaml'), POD);
    const read = await readManifests([dir], noStdin);
    expect(read.findings).toEqual([
      {
        severity: 'info',
        code: 'not-regular-file',
        message: 'skipped: a FIFO, not a regular file',
        location: { file: join(dir, 'a-pipe.yaml') },
      },
    ]);
    expect(read.files).toEqual([join(dir, 'b.yaml')]);
  });

  it('reads a FIFO named on the command line as a stream', async () => {
    const fifo = join(tempDir(), 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const [read] = await Promise.all([readManifests([fifo], noStdin), writeFile(fifo, POD)]);
    expect(read.objects).toHaveLength(1);
    expect(read.findings).toEqual([]);
  });

  it('names a symbolic link loop and a dangling link and reads the rest of the tree', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'pod.yaml'), POD);
    symlinkSync('b.yaml', join(dir, 'a.yaml'));
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    symlinkSync('missing.yaml', join(dir, 'c.yaml'));
    // A link back up the tree is not followed, so the walk ends.
    symlinkSync('..', join(dir, 'sub', 'up'));
    const read = await readManifests([dir], noStdin);
    expect(read.findings.map((f) => `${f.location?.file}: ${f.message}`)).toEqual([
      `${join(dir, 'a.yaml')}: cannot read: too many levels of symbolic links`,
      `${join(dir, 'b.yaml')}: cannot read: too many levels of symbolic links`,
      `${join(dir, 'c.yaml')}: cannot read: no such file or directory`,
    ]);
    expect(read.files).toEqual([join(dir, 'sub', 'pod.yaml')]);
  });
});

describe('reading YAML as kubectl does, with every problem located', () => {
  const read = (text: string) => parseManifestText(text, 'r.yaml');
  const messages = (text: string) =>
    read(text).findings.map((f) => `${f.location?.document}: ${f.object ?? '-'}: ${f.message}`);

  it('names the object whose document repeats a key, and keeps the document before it', () => {
    const twice =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: db\n  namespace: shop\n  name: again\n';
    expect(messages(`${POD}---\n${twice}`)).toEqual([
      '2: Pod shop/db: malformed YAML: duplicate key "name" at line 10, column 3',
    ]);
    expect(read(`${POD}---\n${twice}`).objects.map((o) => o.location.document)).toEqual([1]);
  });

  it('refuses aliases that expand past the limit only across sibling lists, and reads few ones', () => {
    const thirty = Array(30).fill('*a').join(', ');
    const twenty = Array(20).fill('*b').join(', ');
    const spread = `a: &a [x]\nb: &b [${thirty}]\nc: [${twenty}]\nd: [${twenty}]\n`;
    expect(messages(spread)).toEqual([
      '1: -: refused: aliases expand to more than 1000 copies of a node (an alias bomb)',
    ]);
    const shared = 'spec: &s {image: nginx, ports: [80, 443]}\na: *s\nb: *s\n';
    expect(read(shared).objects.map((o) => o.object)).toEqual([
      {
        spec: { image: 'nginx', ports: [80, 443] },
        a: { image: 'nginx', ports: [80, 443] },
        b: { image: 'nginx', ports: [80, 443] },
      },
    ]);
  });

  it('refuses a billion laughs thirty levels deep at once, building nothing', () => {
    const levels = Array.from({ length: 30 }, (_, i) =>
      i === 0 ? 'l0: &l0 [lol, lol]' : `l${i}: &l${i} [*l${i - 1}, *l${i - 1}, *l${i - 1}]`,
    );
    const started = performance.now();
    const result = read(`${levels.join('\n')}\n---\n${POD}`);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(result.findings.map((f) => f.message)).toEqual([
      'refused: aliases expand to more than 1000 copies of a node (an alias bomb)',
    ]);
    expect(result.objects.map((o) => o.location.document)).toEqual([2]);
  });

  it('numbers documents and their lines across ---, ... and comments, with CRLF line ends', () => {
    const text = `# leading\r\n---\r\n${POD}...\r\n---\r\n# only a comment\r\n---\r\n${POD}`
      .replaceAll('\n', '\r\n')
      .replaceAll('\r\r', '\r');
    const result = read(text);
    expect(result.findings).toEqual([]);
    expect(result.objects.map((o) => [o.location.document, o.location.line])).toEqual([
      [1, 3],
      [3, 10],
    ]);
    // No carriage return is left in a value.
    expect(JSON.stringify(result.objects)).not.toContain('\\r');
  });

  it('reads a file that starts with a byte order mark', () => {
    const result = read(`\uFEFF${POD}---\n${POD}`);
    expect(result.findings).toEqual([]);
    expect(result.objects.map((o) => [o.object, o.location.line])).toEqual([
      [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' } }, 1],
      [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop' } }, 5],
    ]);
  });

  it('refuses indentation by tabs with its line and column, and accepts a tab after a colon', () => {
    expect(messages(`${POD}---\nmetadata:\n\tname: web\n---\nkind:\tPod\n`)).toEqual([
      '2: -: malformed YAML: tab characters must not be used in indentation at line 6, column 1',
    ]);
    expect(read('kind:\tPod\n').objects.map((o) => o.object)).toEqual([{ kind: 'Pod' }]);
  });

  it('reads unknown tags as if absent, and does not warn about a tagged yes', () => {
    const result = read(
      'a: !Ref x\nb: !custom {c: 1}\nd: !!binary aGk=\ne: !!str yes\nf: [!x 1]\n',
    );
    expect(result.findings).toEqual([]);
    expect(result.objects.map((o) => o.object)).toEqual([
      { a: 'x', b: { c: 1 }, d: 'aGk=', e: 'yes', f: ['1'] },
    ]);
  });

  it('warns about yes in a YAML 1.2 document but not after %YAML 1.1, which reads it as kubectl', () => {
    const result = read('flag: yes\n...\n%YAML 1.1\n---\nflag: yes\n---\nflag: on\n');
    expect(result.findings.map((f) => f.location?.document)).toEqual([1]);
    expect(result.objects.map((o) => o.object)).toEqual([
      { flag: 'yes' },
      { flag: true },
      { flag: true },
    ]);
  });
});
