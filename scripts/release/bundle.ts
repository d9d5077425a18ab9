import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { BuildInfo } from '../../src/build-info.ts';
import { demoClusterYaml } from '../../src/io/demo/demo-cluster.ts';

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

/**
 * Bundles the app (the TUI's dynamic import included) into one minified ES module, the
 * executable's main: React's production build, and the package version and demo cluster fixed
 * in (no commit: the executable's bytes depend on the sources alone).
 */
export async function bundleApp(outfile: string, info: BuildInfo, nodeVersion: string) {
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
      KUBECTL_NETPOL_DEMO: JSON.stringify(demoClusterYaml()),
    },
    // Bundled CommonJS modules require Node built-ins; an ES module has no `require` of its own.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    plugins: [withoutDevtools],
    logLevel: 'warning',
  });
}
