import stringWidth from 'string-width';

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
 * Texts past ASCII as the UI's frames hold them ("…", "·" between words), measured one a turn to
 * ready string-width. V8 compiles a regular expression on its first use and again, to machine
 * code, on a later one; string-width's emoji pattern is costly both times (measured 45-70 ms,
 * then 15-20 ms), and a text of several words reaches its other patterns (13-17 ms).
 */
const WARMING_TEXTS = ['…', '…', 'quit · keys…'];

/**
 * Readies string-width, which every frame's layout calls, a piece per turn of the event loop, so
 * that none of it falls in the loading screen's first render: loading it creates its grapheme
 * segmenter (15-25 ms), then WARMING_TEXTS are measured.
 */
export async function warmTextWidth(nextTurn: () => Promise<void>): Promise<void> {
  stringWidth('-');
  for (const text of WARMING_TEXTS) {
    await nextTurn();
    stringWidth(text);
  }
}
