import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import type { Cluster, User } from '@kubernetes/client-node';
import { fileErrorText, UserError } from '../../errors.js';
import { printableServer } from './redact.js';

/** A kubeconfig entry and the file it came from. */
export interface Sourced<T> {
  readonly entry: T;
  readonly file: string;
}

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** One field of an entry: its kubeconfig key and its value (inline base64 data or a path). */
interface Field {
  readonly key: string;
  readonly value: string | undefined;
  readonly isFile: boolean;
}

function problem(kind: 'cluster' | 'user', { entry, file }: Sourced<{ name: string }>) {
  return (what: string) => new UserError(`kubeconfig ${file}: ${kind} "${entry.name}": ${what}`);
}

/** The bytes a field names, or a one-line reason it has none; never the value itself. */
function fieldBytes(field: Field, fail: (what: string) => Error): Buffer | undefined {
  if (!field.value) return undefined;
  if (field.isFile) {
    try {
      return readFileSync(field.value);
    } catch (error) {
      throw fail(`${field.key} ${field.value}: ${fileErrorText(error)}`);
    }
  }
  const compact = field.value.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact))
    throw fail(`${field.key} is not valid base64`);
  return Buffer.from(compact, 'base64');
}

/** The PEM of a certificate field (file or data), checked to parse; undefined when unset. */
function certificates(fields: readonly Field[], fail: (what: string) => Error) {
  for (const field of fields) {
    const bytes = fieldBytes(field, fail);
    if (!bytes) continue;
    const blocks = bytes.toString('utf8').match(CERTIFICATE_BLOCK) ?? [];
    if (blocks.length === 0) throw fail(`${field.key} holds no PEM certificate`);
    for (const block of blocks) {
      try {
        new X509Certificate(block);
      } catch (error) {
        throw fail(
          `${field.key} holds a certificate that does not parse (${(error as Error).message})`,
        );
      }
    }
    return { field, bytes };
  }
  return undefined;
}

/** Checks a cluster entry: a usable server URL and a readable, parsable CA. */
export function checkCluster(sourced: Sourced<Cluster>): void {
  const { entry: cluster } = sourced;
  const fail = problem('cluster', sourced);
  let url: URL | undefined;
  try {
    url = new URL(cluster.server);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname)
    throw fail(`server "${printableServer(cluster.server)}" is not a valid http(s) URL`);
  certificates(
    [
      { key: 'certificate-authority', value: cluster.caFile, isFile: true },
      { key: 'certificate-authority-data', value: cluster.caData, isFile: false },
    ],
    fail,
  );
}

/**
 * Checks a user entry's client certificate and key (readable, parsable, a matching pair) and
 * that an auth-provider's token file exists. Messages name fields and paths, never values.
 */
export function checkUser(sourced: Sourced<User>): void {
  const { entry: user } = sourced;
  const fail = problem('user', sourced);
  const cert = certificates(
    [
      { key: 'client-certificate', value: user.certFile, isFile: true },
      { key: 'client-certificate-data', value: user.certData, isFile: false },
    ],
    fail,
  );
  const keyField: Field = user.keyFile
    ? { key: 'client-key', value: user.keyFile, isFile: true }
    : { key: 'client-key-data', value: user.keyData, isFile: false };
  const key = fieldBytes(keyField, fail);
  if (key) {
    try {
      createPrivateKey(key);
    } catch {
      throw fail(`${keyField.key} holds no PEM private key that parses`);
    }
  }
  if (cert && key) {
    try {
      createSecureContext({ cert: cert.bytes, key });
    } catch (error) {
      throw fail(
        `${cert.field.key} and ${keyField.key} cannot make a TLS context (${(error as Error).message})`,
      );
    }
  }
  const tokenFile = (user.authProvider as { config?: { tokenFile?: string } } | undefined)?.config
    ?.tokenFile;
  fieldBytes({ key: 'auth-provider tokenFile', value: tokenFile, isFile: true }, fail);
}

/** The user with the bearer token read from kubectl's `tokenFile` (which wins, as in kubectl). */
export function withTokenFile(sourced: Sourced<User>, path: string): User {
  const fail = problem('user', sourced);
  const bytes = fieldBytes({ key: 'tokenFile', value: path, isFile: true }, fail);
  return { ...sourced.entry, token: bytes?.toString('utf8').trim() };
}
