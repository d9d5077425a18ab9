import { describe, expect, it } from 'vitest';
import { requestLogger, requestLogLine } from '../../src/io/cluster/request-log.js';

const entry = {
  method: 'GET',
  url: 'https://127.0.0.1:6443/api/v1/pods?limit=500',
  status: 200,
  milliseconds: 12,
};

describe('the -v request log', () => {
  it('writes kubectl’s level-6 line: klog header, method, URL, status and time', () => {
    const at = new Date(2026, 11, 4, 9, 5, 7, 42);
    expect(requestLogLine(entry, at, 4321)).toBe(
      'I1204 09:05:07.042000    4321 round_trippers.go:632] GET https://127.0.0.1:6443/api/v1/pods?limit=500 200 OK in 12 milliseconds\n',
    );
  });

  it('says no status for a request that got no answer', () => {
    const line = requestLogLine({ ...entry, status: 0 }, new Date(), 1);
    expect(line).toMatch(
      /GET https:\/\/127\.0\.0\.1:6443\/api\/v1\/pods\?limit=500 in 12 milliseconds\n$/,
    );
  });

  it('logs from level 6 on, and nothing below', () => {
    const written: string[] = [];
    const write = (text: string) => written.push(text);
    expect(requestLogger(5, write)).toBeUndefined();
    expect(requestLogger(undefined, write)).toBeUndefined();
    requestLogger(6, write)?.({ ...entry, status: 403 });
    expect(written).toHaveLength(1);
    expect(written[0]).toContain(
      'GET https://127.0.0.1:6443/api/v1/pods?limit=500 403 Forbidden in 12 milliseconds',
    );
  });
});
