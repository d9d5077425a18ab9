import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { BuildInfo } from '../../src/build-info.ts';
import { DEMO_VARIANTS, demoClusterYaml } from '../../src/io/demo/demo-cluster.ts';

/** ink imports React DevTools' bridge only when DEV=true; the binary is built without it. */
const withoutDevtools: Plugin = {
  name: 'without-devtools',
  setup(plugin) {
    plugin.onResolve({ filter: /^\.\/devtools\.js$/ }, ({ importer }) =>
      /[\\/]ink[\\/]/.test(importer) ? { path: 'devtools', namespace: 'empty' } : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {}' }));
  },
};

/** Bundled CommonJS modules require Node built-ins; an ES module has no `require` of its own. */
const REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * The TUI analyst's worker as one minified ES module's text: the executable has no file beside
 * it to start a worker from, so it starts this code (`new Worker(code, { eval: true })`).
 */
async function bundleAnalystWorker(nodeVersion: string): Promise<string> {
  const built = await build({
    entryPoints: [fileURLToPath(new URL('../../src/ui/analyst/worker-main.ts', import.meta.url))],
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${nodeVersion}`,
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
  });
  const [worker] = built.outputFiles;
  if (!worker) throw new Error('esbuild wrote no analyst worker');
  return worker.text;
}

/**
 * Bundles the app (the TUI's dynamic import included) into one minified ES module, the
 * executable's main: React's production build, and the package version, demo cluster and
 * analyst worker fixed in (no commit: the executable's bytes depend on the sources alone).
 */
export async function bundleApp(outfile: string, info: BuildInfo, nodeVersion: string) {
  const analystWorker = await bundleAnalystWorker(nodeVersion);
  await build({
    entryPoints: [fileURLToPath(new URL('sea-main.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${nodeVersion}`,
    minify: true,
    define: {
      'process.env.NODE_ENV': '"production"',
      KUBECTL_NETPOL_BUILD: JSON.stringify(info),
      KUBECTL_NETPOL_DEMO: JSON.stringify(
        Object.fromEntries(DEMO_VARIANTS.map((variant) => [variant, demoClusterYaml(variant)])),
      ),
      KUBECTL_NETPOL_ANALYST_WORKER: JSON.stringify(analystWorker),
    },
    // Bundled CommonJS modules require Node built-ins; an ES module has no `require` of its own.
    banner: { js: REQUIRE_BANNER },
    plugins: [withoutDevtools],
    logLevel: 'warning',
  });
}
