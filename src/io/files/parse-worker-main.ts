// The parse worker: it parses each file it is sent (through the manifest cache when told of
// one), off the UI's thread, and posts the parse back in pieces small enough for that thread
// to take one a turn. It runs parseManifestText's own code: the same findings, lines, and
// objects, those of kinds the normaliser ignores cut to what it reads of them.
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../errors.js';
import { runSteps, type Steps } from '../../steps.js';
import { FieldPlaces, type LocatedField } from '../manifests/field-places.js';
import {
  manifestTextSteps,
  type ParsedManifests,
  type SourcedObject,
} from '../manifests/parse-text.js';
import { ObjectNormalizer } from '../normalize/normalize.js';
import { readForm } from '../normalize/read-form.js';
import { yieldToUiThread } from '../thread-priority.js';
import { ManifestCache } from './manifest-cache.js';
import { objectPieces } from './object-pieces.js';
import { OFF_THREAD_BYTES } from './off-thread-parser.js';
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

/** A regular file's bytes as a Buffer, sharing their memory. */
const asBuffer = (bytes: Uint8Array) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A file's text: a stream's as sent, a regular file's bytes decoded. */
const textOf = (text: Uint8Array | string) =>
  typeof text === 'string' ? text : asBuffer(text).toString('utf8');

/** A file's parse, in steps: a regular file's bytes through the cache when there is one. */
function parseSteps(text: Uint8Array | string, file: string): Steps<ParsedManifests> {
  if (typeof text === 'string' || !cache) return manifestTextSteps(textOf(text), file);
  return cache.parse(asBuffer(text), file);
}

/**
 * From this many characters on, a file's text takes the UI's thread a long turn to index for its
 * first finding (its lines and documents: 20 to 50 ms for 7.3 MB of small documents on a busy
 * 2-core machine, measured 2026-12): the fields of all its objects are located here.
 */
const INDEXED_HERE_LENGTH = 2 * 2 ** 20;

/**
 * The fields the normaliser asks to locate in these objects (an unknown field's key, a wrong
 * value), located in the file's text by normalising them here, where the UI's thread would
 * take long to: a document it would not parse itself (a List dump, a 9 MB Pod: locating a field
 * there took it 264 to 382 ms in one turn), or any of a file too long for it to index. The UI's
 * thread locates the others itself, when a finding asks, so that a file of small documents is
 * normalised once (here too, the UI's thread waited for it: 1 to 7 s of a load of 10,000 pods).
 */
function locatedFields(objects: readonly SourcedObject[], text: string): LocatedField[] {
  const fields = new FieldPlaces(() => text);
  const normalizer = new ObjectNormalizer({ keepObjects: false });
  const everyObject = text.length >= INDEXED_HERE_LENGTH;
  for (const { object, location } of objects) {
    if (everyObject || fields.documentLength(location) >= OFF_THREAD_BYTES) {
      normalizer.add({ object, location, fields });
    }
  }
  return fields.located();
}

function postParse(parsed: ParsedManifests, text: string): void {
  const formed = parsed.objects.map(({ object, location }) => ({
    object: readForm(object),
    location,
  }));
  for (const { object, location } of formed) {
    for (const piece of objectPieces(object, PIECE_WEIGHT)) {
      post(
        'root' in piece
          ? { kind: 'object', object: piece.root, location }
          : { kind: 'entries', ...piece },
      );
    }
  }
  // The UI's thread takes the pieces meanwhile: it normalises the objects once they are all in.
  post({ kind: 'findings', findings: parsed.findings, located: locatedFields(formed, text) });
}

parentPort?.on('message', (request: ParseRequest) => {
  if (request.kind === 'finish') {
    cache?.finish();
    parentPort?.close();
    return;
  }
  const { text, file } = request;
  try {
    postParse(runSteps(parseSteps(text, file)), textOf(text));
  } catch (error) {
    post({ kind: 'failed', message: errorMessage(error) });
  }
});
