// The parse worker: it parses each file it is sent (through the manifest cache when told of
// one), off the UI's thread, and posts the parse back in pieces small enough for that thread
// to take one a turn. It runs parseManifestText's own code: the same objects, findings, lines.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { runSteps, type Steps } from '../../steps.js';
import { manifestTextSteps, type ParsedManifests } from '../manifests/parse-text.js';
import { listItems } from '../normalize/normalize.js';
import { ManifestCache } from './manifest-cache.js';
import type { ParsePiece, ParseRequest, ParseWorkerData } from './parse-messages.js';

/** A List's items posted in one piece: about a millisecond's taking for the UI's thread. */
const ITEMS_PER_PIECE = 50;

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
    const items = listItems(object);
    // The List goes first with its items left out (in their place, so its keys keep their order).
    post({
      kind: 'object',
      object: items ? { ...(object as object), items: [] } : object,
      location,
    });
    for (let from = 0; items && from < items.length; from += ITEMS_PER_PIECE) {
      post({ kind: 'items', items: items.slice(from, from + ITEMS_PER_PIECE) });
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
