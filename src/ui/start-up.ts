import type { ReactNode } from 'react';

/**
 * Loads Ink without the global fetch in sight. Ink's layout engine (yoga-layout) loads its
 * WebAssembly from a base64 data: URL, and fetches that URL whenever a global fetch exists: Node's
 * fetch then loads its HTTP client (undici, with http2 and tls) on the UI's thread, 50-75 ms of
 * start-up in one turn of the event loop. Without fetch, yoga decodes the bytes itself. The
 * global is put back as it was once Ink is loaded.
 */
export async function importInk(): Promise<typeof import('ink')> {
  const fetch = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (!fetch?.configurable) return import('ink');
  Object.defineProperty(globalThis, 'fetch', {
    configurable: true,
    writable: true,
    value: undefined,
  });
  try {
    return await import('ink');
  } finally {
    Object.defineProperty(globalThis, 'fetch', fetch);
  }
}

/**
 * Renders a frame off screen (Ink's renderToString writes nothing), to call before the terminal
 * goes raw. A process's first render is costly once: React's and Ink's code is compiled, yoga's
 * WebAssembly functions on their first call, and string-width creates its grapheme segmenter
 * (15-25 ms) and compiles its emoji pattern, first to bytecode and on a later use to machine code
 * (45-70 ms, then 15-20 ms: V8 compiles a regular expression in tiers). Done before the terminal
 * goes raw, where keys typed meanwhile are the terminal's to echo and ctrl-c is still a signal,
 * none of it delays a key the UI reads; the loading screen's real first frame then costs little.
 */
export function warmRendering(
  renderToString: typeof import('ink').renderToString,
  frame: ReactNode,
  columns: number,
): void {
  renderToString(frame, { columns });
}
