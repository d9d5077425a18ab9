import { UserError } from '../../errors.js';

/** Parses a kubectl duration ("0", "5s", "1m30s", "250ms", or plain seconds) into milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 0.001,
    ns: 0.000001,
  };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const match = /^(\d+(?:\.\d+)?)(ms|us|ns|h|m|s)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * (units[match[2] as string] as number);
    rest = rest.slice(match[0].length);
  }
  return text.length > 0 ? Math.round(total) : undefined;
}

/** The request timeout in milliseconds: the flag, else 30 s; "0" means none. */
export function requestTimeoutMs(flag: string | undefined): number {
  if (flag === undefined) return 30_000;
  const ms = parseDuration(flag);
  if (ms === undefined)
    throw new UserError(`--request-timeout ${flag}: expected a duration such as 5s, 1m or 0`);
  return ms;
}
