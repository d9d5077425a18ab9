import { execFile } from 'node:child_process';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { krewTools, RELEASE_DIR } from './artifacts.js';

// krew's own validator (sigs.k8s.io/krew's cmd/validate-krew-manifest, at the version pinned in
// test/release/krew/go.mod) over the committed krew-manifest.yaml, its URIs pointed at this
// build's archives served on 127.0.0.1. The validator checks the manifest as the krew index does,
// then has krew install every platform (`kubectl krew install --manifest`, which downloads the
// archive and checks its sha256) and looks for the LICENSE. No Go means a failure, not a skip.

/** Serves dist-release/'s archives by file name; records each path asked for. */
function serveArchives(requested: string[]): Promise<Server> {
  const server = createServer((request, response) => {
    const name = basename(request.url ?? '');
    requested.push(request.url ?? '');
    const file = join(RELEASE_DIR, name);
    if (!/\.(tar\.gz|zip)$/.test(name) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** The manifest with every platform's `uri` moved to `base`, its file name kept. */
function withArchivesAt(manifest: string, base: string): string {
  return manifest.replace(/^(\s*uri: ).*\/([^/\s]+)$/gm, `$1${base}/$2`);
}

interface Validation {
  readonly code: number;
  readonly output: string;
}

describe('krew’s validate-krew-manifest over the committed manifest and this build’s archives', () => {
  let work = '';
  let tools = '';
  let server: Server | undefined;
  let base = '';
  const requested: string[] = [];

  /** Runs the validator over `manifest`, saved as netpol.yaml (the plugin's name in the index). */
  const validate = (manifest: string): Promise<Validation> => {
    const file = join(work, 'netpol.yaml');
    writeFileSync(file, manifest);
    // The validator runs `kubectl krew install`; kubectl would exec kubectl-krew from PATH, and so
    // does this stand-in, so the test needs no kubectl.
    const env = { PATH: `${join(work, 'bin')}:${tools}:${process.env.PATH}`, HOME: work };
    return new Promise((resolve) => {
      execFile(
        join(tools, 'validate-krew-manifest'),
        ['-manifest', file],
        { env, timeout: 280_000, maxBuffer: 16 << 20 },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
  };

  beforeAll(async () => {
    tools = krewTools();
    work = mkdtempSync(join(tmpdir(), 'netpol-krew-validate-'));
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'kubectl'),
      '#!/bin/sh\n[ "$1" = krew ] || { echo "only kubectl krew here" >&2; exit 1; }\nshift\nexec kubectl-krew "$@"\n',
      { mode: 0o755 },
    );
    server = await serveArchives(requested);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('passes, krew installing every platform from its archive', async () => {
    const committed = readFileSync('krew-manifest.yaml', 'utf8');
    const manifest = withArchivesAt(committed, base);
    const platforms = committed.match(/^\s*uri: /gm)?.length ?? 0;
    expect(manifest.match(new RegExp(`uri: ${base}/`, 'g'))).toHaveLength(platforms);

    const run = await validate(manifest);
    expect(run.output).toContain(`all ${platforms} spec.platforms installed fine`);
    expect(run.code, run.output).toBe(0);
    expect(requested).toHaveLength(platforms);
  }, 300_000);

  it('fails on an archive whose sha256 is not the manifest’s', async () => {
    const committed = readFileSync('krew-manifest.yaml', 'utf8');
    const wrong = committed.replace(/sha256: [0-9a-f]{64}/, `sha256: ${'f'.repeat(64)}`);
    const run = await validate(withArchivesAt(wrong, base));
    expect(run.code).not.toBe(0);
    expect(run.output).toMatch(/checksum/i);
  }, 120_000);
});
