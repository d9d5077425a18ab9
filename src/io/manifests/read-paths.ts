import type { Dirent, Stats } from 'node:fs';
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Finding } from '../../engine/index.js';
import { fileErrorText } from '../../errors.js';
import { runSteps, runStepsInTurns, type Steps } from '../../steps.js';
import { FieldPlaces } from './field-places.js';
import { manifestTextSteps, type ParsedManifests, type SourcedObject } from './parse-text.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Parses regular files' bytes in place of parseManifestText (a cache of parses). */
export interface FileParser {
  /** What parseManifestText returns for the bytes' text, read from `file`, in steps. */
  parse(bytes: Buffer, file: string): Steps<ParsedManifests>;
  /** Told once every file is read. */
  finish(): void;
}

/**
 * Parses big files elsewhere than on the calling thread, handing the parse back in pieces with
 * `pace` awaited between them (a read with a pace uses it, for files of minBytes or more).
 */
export interface BigFileParser {
  /** The size from which a file is this parser's: its bytes, or a stream's characters. */
  readonly minBytes: number;
  /**
   * What parseManifestText returns for the text (a regular file's bytes, a stream's text),
   * read from `file`, its objects as normalising reads them (an ignored kind's but its header
   * may be left out); undefined if it could not.
   */
  parse(
    text: Buffer | string,
    file: string,
    pace: () => Promise<void>,
  ): Promise<ParsedManifests | undefined>;
  /** Told once every file is read. */
  finish(): void;
}

/** Manifests read from files, directories and stdin, with the files read. */
export interface ManifestRead extends ParsedManifests {
  /** Files read, in order. */
  readonly files: string[];
}

/** The manifest files found under a directory, and what was skipped or could not be read. */
interface ManifestFiles {
  /** Each file and its size in bytes. */
  readonly files: { readonly file: string; readonly bytes: number }[];
  readonly findings: Finding[];
}

/** A finding for a path that could not be read. */
function unreadable(file: string, error: unknown): Finding {
  return {
    severity: 'error',
    code: 'unreadable',
    message: `cannot read: ${fileErrorText(error)}`,
    location: { file },
  };
}

function fileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * Lists the .yaml, .yml and .json files under a directory, recursively and sorted. Entries are
 * examined with stat before anything is opened: FIFOs, sockets and devices are skipped with a
 * note (reading one could block forever or never end), an unreadable entry is named in a
 * finding and the rest is still listed. Symbolic links to files are followed, to directories
 * not (as kubectl), so a link loop cannot recurse.
 */
async function listManifestFiles(directory: string, examine: Examine): Promise<ManifestFiles> {
  const result: ManifestFiles = { files: [], findings: [] };
  const walk = async (path: string) => {
    let entries: Dirent[];
    try {
      entries = await examine.list(path);
    } catch (error) {
      result.findings.push(unreadable(path, error));
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) await walk(child);
      else if (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        await classify(child, result, examine);
      }
    }
  };
  await walk(directory);
  return result;
}

/** How directories are listed and paths examined. */
interface Examine {
  list(directory: string): Dirent[] | Promise<Dirent[]>;
  stat(path: string): Stats | Promise<Stats>;
}

/**
 * The calls a read that paces itself makes: each lets the event loop turn (the UI draws while
 * a tree of thousands of files is listed).
 */
const examineInTurns: Examine = {
  list: (directory) => readdir(directory, { withFileTypes: true }),
  stat: (path) => stat(path),
};

/**
 * The calls a read in one go makes, as files are read (see readListedFile): a promise's round
 * trip through the thread pool per entry cost 16 to 27 ms of CPU for 200 files, against 6 ms.
 */
const examineAtOnce: Examine = {
  list: (directory) => readdirSync(directory, { withFileTypes: true }),
  stat: (path) => statSync(path),
};

async function classify(file: string, result: ManifestFiles, examine: Examine): Promise<void> {
  let stats: Stats;
  try {
    stats = await examine.stat(file);
  } catch (error) {
    result.findings.push(unreadable(file, error));
    return;
  }
  if (stats.isFile()) result.files.push({ file, bytes: stats.size });
  else if (!stats.isDirectory()) result.findings.push(skipped(file, stats));
}

function skipped(file: string, stats: Stats): Finding {
  return {
    severity: 'info',
    code: 'not-regular-file',
    message: `skipped: ${fileType(stats)}, not a regular file`,
    location: { file },
  };
}

/**
 * Reads a file found in a directory. It is opened without blocking and checked again, in case
 * it was replaced by a FIFO or a device since it was listed (then a note says it was skipped).
 * A regular file is read at once: the promise API's round trips cost 4 times the CPU (200
 * files of 6.9 MB: 100 against 26 ms), and reading them concurrently more still.
 */
async function readListedFile(file: string): Promise<Buffer | Finding> {
  const read = readRegularFile(file);
  return Buffer.isBuffer(read) ? read : skipped(file, read);
}

/**
 * A regular file's bytes, or what it is instead (a FIFO, a device) by the time it is opened:
 * it is opened without blocking and examined on its descriptor.
 */
function readRegularFile(file: string): Buffer | Stats {
  const descriptor = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(descriptor);
    return stats.isFile() ? readFileSync(descriptor) : stats;
  } finally {
    closeSync(descriptor);
  }
}

/** A file named on the command line: a regular file's bytes, anything else read as a stream. */
async function readNamedFile(file: string): Promise<Buffer | string> {
  const read = readRegularFile(file);
  return Buffer.isBuffer(read) ? read : readFile(file, 'utf8');
}

/** How far a read of manifests has come: files and bytes read, of those found to read. */
export interface ReadProgress {
  readonly filesRead: number;
  readonly files: number;
  readonly bytesRead: number;
  readonly bytes: number;
}

/**
 * Told after each file is read and parsed; the read waits for the promise it returns, if any
 * (the UI lets its event loop turn there, to draw and read keys between files).
 */
export type FileReadListener = (progress: ReadProgress) => void | Promise<void>;

/** One step of a read, in the order its results are reported: a finding, or a file to read. */
type ReadStep =
  | { readonly finding: Finding }
  | {
      readonly file: string;
      readonly bytes: number;
      /** A regular file's bytes, a stream's text, or why it was not read. */
      read(): Promise<Buffer | string | Finding>;
    };

/**
 * What reading the paths takes, in order: every file found (directories listed, each file's
 * size from its stat, stdin counted as empty) and the findings of listing them.
 */
async function readSteps(
  paths: readonly string[],
  readStdin: () => Promise<string>,
  examine: Examine,
): Promise<ReadStep[]> {
  const steps: ReadStep[] = [];
  for (const path of paths) {
    if (path === '-') {
      steps.push({ file: '-', bytes: 0, read: readStdin });
      continue;
    }
    let stats: Stats;
    try {
      stats = await examine.stat(path);
    } catch (error) {
      steps.push({ finding: unreadable(path, error) });
      continue;
    }
    if (!stats.isDirectory()) {
      const read = stats.isFile() ? () => readNamedFile(path) : () => readFile(path, 'utf8');
      steps.push({ file: path, bytes: stats.size, read });
      continue;
    }
    const listed = await listManifestFiles(path, examine);
    for (const finding of listed.findings) steps.push({ finding });
    if (listed.files.length === 0 && listed.findings.length === 0) {
      steps.push({
        finding: {
          severity: 'warning',
          code: 'no-manifests',
          message: 'directory holds no .yaml, .yml or .json files',
          location: { file: path },
        },
      });
    }
    for (const { file, bytes } of listed.files) {
      steps.push({ file, bytes, read: () => readListedFile(file) });
    }
  }
  return steps;
}

/**
 * Reads manifests from files, directories (recursively: .yaml, .yml and .json) and "-" for
 * standard input. A named file is read as a stream even when it is a FIFO; unreadable paths,
 * skipped entries and malformed documents become findings and everything else is read.
 * `onFileRead`, if given, hears how far the read has come after each file. With `onObject`,
 * each file's objects go to it, in order, as soon as the file is parsed, and the result holds
 * none (so that they need not outlive their normalising); it may take each in steps. With a
 * `cache`, regular files (not stdin, not FIFOs) are parsed through it. With `pace`, the read
 * awaits it between a file's documents and between the objects it hands on and their steps
 * (the UI's event loop turns there), and files of `bigFiles.minBytes` or more (bytes, or
 * characters of a stream) are parsed by `bigFiles` (here, should it fail); without, each file
 * is read in one go.
 */
export async function readManifests(
  paths: readonly string[],
  readStdin: () => Promise<string>,
  onFileRead?: FileReadListener,
  onObject?: (object: SourcedObject) => Steps<void> | void,
  cache?: FileParser,
  pace?: () => Promise<void>,
  bigFiles?: BigFileParser,
): Promise<ManifestRead> {
  const result: ManifestRead = { objects: [], findings: [], files: [] };
  const take = onObject ?? ((object: SourcedObject) => void result.objects.push(object));
  const inSteps = <T>(steps: Steps<T>) =>
    pace ? runStepsInTurns(steps, pace) : Promise.resolve(runSteps(steps));
  const steps = await readSteps(paths, readStdin, pace ? examineInTurns : examineAtOnce);
  const fileSteps = steps.filter((step) => 'file' in step);
  const progress = {
    filesRead: 0,
    files: fileSteps.length,
    bytesRead: 0,
    bytes: fileSteps.reduce((sum, step) => sum + step.bytes, 0),
  };
  for (const step of steps) {
    if ('finding' in step) {
      result.findings.push(step.finding);
      continue;
    }
    const text = await readFileStep(step, result);
    if (text !== undefined) {
      const big = pace && bigFiles && text.length >= bigFiles.minBytes;
      const parsed =
        (big ? await bigFiles.parse(text, step.file, pace) : undefined) ??
        (await inSteps(parseFile(text, step.file, cache)));
      await inSteps(takeFileSteps(parsed, text, step.file, take, result));
    }
    progress.filesRead++;
    progress.bytesRead += step.bytes;
    await onFileRead?.({ ...progress });
  }
  cache?.finish();
  bigFiles?.finish();
  return result;
}

/** Reads one file's bytes or text, or notes why it could not be read (then undefined). */
async function readFileStep(
  step: Extract<ReadStep, { file: string }>,
  result: ManifestRead,
): Promise<Buffer | string | undefined> {
  let text: Buffer | string | Finding;
  try {
    text = await step.read();
  } catch (error) {
    result.findings.push(unreadable(step.file, error));
    return undefined;
  }
  if (typeof text === 'string' || Buffer.isBuffer(text)) return text;
  result.findings.push(text);
  return undefined;
}

/** Hands a file's parsed objects to `take`, in steps: an object each, and its own steps. */
function* takeFileSteps(
  parsed: ParsedManifests,
  text: Buffer | string,
  file: string,
  take: (object: SourcedObject) => Steps<void> | void,
  result: ManifestRead,
): Steps<void> {
  const read = () => (typeof text === 'string' ? text : text.toString('utf8'));
  const fields = new FieldPlaces(read, parsed.located);
  // Each object goes with a way to find its fields in the text, read again only if asked
  // (and not located already by the parse worker).
  for (const object of parsed.objects) {
    const taking = take({ ...object, fields });
    if (taking) yield* taking;
    yield;
  }
  for (const finding of parsed.findings) result.findings.push(finding);
  result.files.push(file);
}

/** A file's parse, in steps: a regular file's bytes through the cache when there is one. */
function parseFile(
  text: Buffer | string,
  file: string,
  cache: FileParser | undefined,
): Steps<ParsedManifests> {
  if (typeof text === 'string') return manifestTextSteps(text, file);
  return cache ? cache.parse(text, file) : manifestTextSteps(text.toString('utf8'), file);
}
