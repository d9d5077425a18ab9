import type { User } from '@kubernetes/client-node';

/** What a secret is replaced with in anything we print. */
export const REDACTED = '[REDACTED]';

/**
 * Values shorter than this are not searched for: replacing every "ab" in a message would make
 * it unreadable, and a secret that short protects nothing anyway.
 */
const MIN_SECRET_LENGTH = 4;

/** Words of a credential plugin's plain-text output that may be a token. */
const TOKEN_LIKE = /[^\s"'=:,;]{8,}/g;

function stringLeaves(value: unknown, into: string[]): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, into);
  else if (value && typeof value === 'object')
    for (const item of Object.values(value)) stringLeaves(item, into);
  return into;
}

/**
 * Every secret value of a kubeconfig user entry: token, password, client key, the
 * auth-provider's config values and the exec plugin's environment values.
 */
export function userSecrets(user: User): string[] {
  const exec = user.exec as { env?: { value?: unknown }[] } | undefined;
  return [
    ...stringLeaves([user.token, user.password, user.keyData], []),
    ...stringLeaves((user.authProvider as { config?: unknown } | undefined)?.config, []),
    ...stringLeaves(
      (exec?.env ?? []).map((entry) => entry?.value),
      [],
    ),
  ];
}

/**
 * What a credential plugin printed on stdout, as secrets: the whole output, every string in
 * it when it is JSON, and every token-like word when it is not.
 */
export function outputSecrets(stdout: string): string[] {
  const secrets = [stdout, stdout.trim()];
  try {
    stringLeaves(JSON.parse(stdout), secrets);
  } catch {
    secrets.push(...(stdout.match(TOKEN_LIKE) ?? []));
  }
  return secrets;
}

/** The text with every occurrence of each secret replaced by [REDACTED], longest first. */
export function redact(text: string, secrets: Iterable<string>): string {
  const distinct = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH);
  distinct.sort((a, b) => b.length - a.length);
  return distinct.reduce((redacted, secret) => redacted.split(secret).join(REDACTED), text);
}

/** A server URL fit to print: any `user:password@` is dropped (works on malformed URLs too). */
export function printableServer(server: string): string {
  return server.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
}
