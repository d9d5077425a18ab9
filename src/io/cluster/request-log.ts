import { STATUS_CODES } from 'node:http';
import type { RequestLog, RequestLogger } from './api-client.js';

/** The -v level from which every API request is logged, as kubectl's round tripper does. */
export const REQUEST_LOG_VERBOSITY = 6;

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

/** klog's line header: "I1204 14:39:25.123456   12345 round_trippers.go:632] ". */
function klogHeader(at: Date, pid: number): string {
  const date = `${pad(at.getMonth() + 1)}${pad(at.getDate())}`;
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${pad(at.getMilliseconds() * 1000, 6)}`;
  return `I${date} ${time} ${String(pid).padStart(7)} round_trippers.go:632] `;
}

/** kubectl's -v=6 line for a request: "GET https://host/api/v1/pods?limit=500 200 OK in 12 milliseconds". */
export function requestLogLine(entry: RequestLog, at: Date, pid: number): string {
  const status =
    entry.status === 0 ? '' : ` ${entry.status} ${STATUS_CODES[entry.status] ?? ''}`.trimEnd();
  return `${klogHeader(at, pid)}${entry.method} ${entry.url}${status} in ${entry.milliseconds} milliseconds\n`;
}

/**
 * A logger writing kubectl's -v lines, or none below REQUEST_LOG_VERBOSITY. URLs carry no
 * credentials (those travel in headers, which are not logged); user:password@ is dropped.
 */
export function requestLogger(
  verbosity: number | undefined,
  write: (text: string) => void,
): RequestLogger | undefined {
  if ((verbosity ?? 0) < REQUEST_LOG_VERBOSITY) return undefined;
  return (entry) => write(requestLogLine(entry, new Date(), process.pid));
}
