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
 * Readies string-width, which every frame's layout calls, in two turns of the event loop, so
 * that neither falls in the loading screen's first render: loading it creates its grapheme
 * segmenter (about 15-25 ms); its first text past ASCII, as every frame of the UI has ("…", "·"),
 * compiles its emoji pattern (about 40-50 ms).
 */
export async function warmTextWidth(nextTurn: () => Promise<void>): Promise<void> {
  stringWidth('-');
  await nextTurn();
  stringWidth('…');
}
