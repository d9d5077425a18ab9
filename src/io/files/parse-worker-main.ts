// The parse worker: it parses each file it is sent (through the manifest cache when told of
// one), off the UI's thread, and posts the parse back in pieces small enough for that thread
// to take one a turn. It runs parseManifestText's own code: the same findings, lines, and
// objects, those of kinds the normaliser ignores cut to what it reads of them.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { runSteps, type Steps } from '../../steps.js';
import { manifestTextSteps, type ParsedManifests } from '../manifests/parse-text.js';
import { readForm } from '../normalize/read-form.js';
import { yieldToUiThread } from '../thread-priority.js';
import { ManifestCache } from './manifest-cache.js';
import { objectPieces } from './object-pieces.js';
import {
  type ParsePiece,
  type ParseRequest,
  type ParseWorkerData,
  PIECE_WEIGHT,
} from './parse-messages.js';

// The UI's thread is served first when both want a core: keys never wait behind a parse.
yieldToUiThread();

const { port, posted, cache: settings } = workerData as ParseWorkerData;

function post(piece: ParsePiece): void {
  port.postMessage(piece);
  Atomics.add(posted, 0, 1);
  Atomics.notify(posted, 0);
}

const cache = settings
  ? new ManifestCache({ ...settings, note: (text) => post({ kind: 'note', text }) })
  : undefined;

/** A file's parse, in steps: a regular file's bytes through the cache when there is one. */
function parseSteps(text: Uint8Array | string, file: string): Steps<ParsedManifests> {
  if (typeof text === 'string') return manifestTextSteps(text, file);
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  return cache ? cache.parse(bytes, file) : manifestTextSteps(bytes.toString('utf8'), file);
}

function postParse(parsed: ParsedManifests): void {
  for (const { object, location } of parsed.objects) {
    for (const piece of objectPieces(readForm(object), PIECE_WEIGHT)) {
      post(
        'root' in piece
          ? { kind: 'object', object: piece.root, location }
          : { kind: 'entries', ...piece },
      );
    }
  }
  post({ kind: 'findings', findings: parsed.findings });
}

parentPort?.on('message', (request: ParseRequest) => {
  if (request.kind === 'finish') {
    cache?.finish();
    parentPort?.close();
    return;
  }
  const { text, file } = request;
  try {
    postParse(runSteps(parseSteps(text, file)));
  } catch (error) {
    post({ kind: 'failed', message: errorMessage(error) });
  }
});
