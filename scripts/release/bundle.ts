import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import type { BuildInfo } from '../../src/build-info.ts';
import { demoClusterYaml } from '../../src/io/demo/demo-cluster.ts';
import { DEMO_VARIANTS } from '../../src/io/demo/demo-variants.ts';

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

/** A module of @kubernetes/client-node's build, as esbuild resolves it. */
const CLIENT_NODE_MODULE = /[\\/]node_modules[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]/;

/**
 * client-node's package.json does not say `sideEffects: false`, so esbuild keeps all of its
 * some 870 modules (every generated API class and model) for the three classes we import,
 * and a live read compiles and runs them all. Its modules only declare (the one statement
 * that does more, polyfill.js, sets a `File` global every Node we run on has), so they are
 * marked free of side effects: esbuild then keeps only the modules our imports reach.
 */
const clientNodeWithoutSideEffects: Plugin = {
  name: 'client-node-without-side-effects',
  setup(plugin) {
    plugin.onResolve({ filter: /.*/ }, async ({ path, pluginData, ...args }) => {
      const fromClientNode = CLIENT_NODE_MODULE.test(args.importer) && path.startsWith('.');
      if (pluginData === CLIENT_NODE_MODULE) return undefined;
      if (!fromClientNode && !path.startsWith('@kubernetes/client-node')) return undefined;
      const found = await plugin.resolve(path, { ...args, pluginData: CLIENT_NODE_MODULE });
      if (found.errors.length > 0 || !CLIENT_NODE_MODULE.test(found.path)) return undefined;
      return { ...found, sideEffects: false };
    });
  },
};

/** What of client-node's barrel of its generated API (gen/index.js) no module we use imports. */
const CLIENT_NODE_GEN_UNUSED = /\/(models\/all|types\/ObjectParamAPI)\.js['"]/;

/**
 * In a bundle without splitting (the standalone executable's), a module the program imports
 * lazily is evaluated with all it imports, and a barrel's `export *` with every module it names,
 * used or not: client-node's index and its generated API's (gen/index.js) name some 870 modules,
 * every API class and model, which each live read (a Tab among them) compiled and ran, some
 * 60 ms of CPU. So our imports of the package get a barrel of the two modules we use, config.js
 * (KubeConfig) and gen/http/http.js (requests), and client-node's imports of gen/index.js one
 * without the models and API classes. A name taken from elsewhere fails the build (esbuild:
 * "No matching export"); a split bundle, which esbuild shakes as ES modules, is the same.
 */
const clientNodeWithoutBarrels: Plugin = {
  name: 'client-node-without-barrels',
  setup(plugin) {
    // Resolved here, not by plugin.resolve: clientNodeWithoutSideEffects would resolve it back.
    plugin.onResolve({ filter: /^@kubernetes\/client-node$/ }, ({ path }) => ({
      path: createRequire(import.meta.url).resolve(path),
      namespace: 'client-node-used',
    }));
    plugin.onLoad({ filter: /.*/, namespace: 'client-node-used' }, ({ path }) => ({
      contents: "export * from './config.js';\nexport * from './gen/http/http.js';",
      resolveDir: dirname(path),
      loader: 'js',
    }));
    plugin.onResolve({ filter: /^\.\/gen\/index\.js$/ }, ({ path, importer }) =>
      CLIENT_NODE_MODULE.test(importer)
        ? { path: join(dirname(importer), path), namespace: 'client-node-gen' }
        : undefined,
    );
    plugin.onLoad({ filter: /.*/, namespace: 'client-node-gen' }, ({ path }) => ({
      contents: readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => !CLIENT_NODE_GEN_UNUSED.test(line))
        .join('\n'),
      resolveDir: dirname(path),
      loader: 'js',
    }));
  },
};

/** Our module that sends requests with undici (its shared pool, for a request without TLS material). */
const API_CLIENT_MODULE = /[\\/]src[\\/]io[\\/]cluster[\\/]api-client\.ts$/;

/**
 * undici's index (v8) evaluates all it exports as it loads: mock agents, caches, cookies,
 * WebSocket, EventSource, the SQLite cache store, and the Node built-ins they use. client-node
 * imports three of its exports (`fetch`, `Agent`, `ProxyAgent`; `Dispatcher` only as a type) and
 * our api-client.ts one (`getGlobalDispatcher`), so their imports of `undici` get a module with
 * those alone, each required from the same undici file the index requires it from, with the
 * request API on dispatchers as the index sets it (api-client.ts sends with it, a ProxyAgent
 * tunnels with it). `fetch` is a getter: esbuild reads a CommonJS module's name where it is used,
 * and only client-node's own HTTP library, which we do not use, calls it, so fetch's WHATWG
 * layer is evaluated by none of our reads.
 */
const undiciForClientNode: Plugin = {
  name: 'undici-for-client-node',
  setup(plugin) {
    plugin.onResolve({ filter: /^undici$/ }, async ({ path, importer, pluginData, ...args }) => {
      const ours = CLIENT_NODE_MODULE.test(importer) || API_CLIENT_MODULE.test(importer);
      if (pluginData === undiciForClientNode || !ours) return undefined;
      const index = await plugin.resolve(path, {
        ...args,
        importer,
        pluginData: undiciForClientNode,
      });
      if (index.errors.length > 0) return undefined;
      return { path: index.path, namespace: 'undici-for-client-node' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'undici-for-client-node' }, ({ path }) => ({
      contents: [
        "Object.assign(require('./lib/dispatcher/dispatcher').prototype, require('./lib/api'));",
        "exports.Agent = require('./lib/dispatcher/agent');",
        "exports.ProxyAgent = require('./lib/dispatcher/proxy-agent');",
        "exports.getGlobalDispatcher = require('./lib/global').getGlobalDispatcher;",
        "Object.defineProperty(exports, 'fetch', { enumerable: true, get: () => require('./lib/web/fetch').fetch });",
      ].join('\n'),
      resolveDir: dirname(path),
      loader: 'js',
    }));
  },
};

/**
 * Packages client-node's config.js and its authenticators import at their top level for one kind
 * of kubeconfig alone: a proxy-url (socks-proxy-agent, socks, hpagent), the oidc auth-provider
 * (openid-client) and the gcp and azure ones (jsonpath-plus). Evaluated with client-node, they
 * cost each live read some 30 ms of CPU (a Tab's reading of names among them) that only such a
 * kubeconfig uses.
 */
const DEFERRED_FOR_CLIENT_NODE = /^(socks-proxy-agent|socks|hpagent|openid-client|jsonpath-plus)$/;

/** The names a module exports, as it is required at build time (a CommonJS or an ES module). */
function exportedNames(path: string): string[] {
  const required = createRequire(import.meta.url)(path) as Record<string, unknown>;
  return Object.keys(required).filter((name) => name !== 'default' && name !== '__esModule');
}

/**
 * client-node's imports of DEFERRED_FOR_CLIENT_NODE each get a stand-in with the same names,
 * each a getter that requires the real module, the one client-node would have had, on first
 * read. esbuild reads an imported name of a CommonJS module where it is used, so the package is
 * evaluated where a proxy or auth-provider first needs it, not as client-node loads.
 */
const deferredForClientNode: Plugin = {
  name: 'deferred-for-client-node',
  setup(plugin) {
    plugin.onResolve(
      { filter: DEFERRED_FOR_CLIENT_NODE },
      async ({ path, importer, pluginData, ...args }) => {
        if (pluginData === deferredForClientNode || !CLIENT_NODE_MODULE.test(importer))
          return undefined;
        const real = await plugin.resolve(path, {
          ...args,
          importer,
          pluginData: deferredForClientNode,
        });
        if (real.errors.length > 0) return undefined;
        // Named by the package, not the real file: esbuild takes a `.mjs` path for an ES module.
        return { path, namespace: 'deferred-for-client-node', pluginData: real.path };
      },
    );
    plugin.onLoad(
      { filter: /.*/, namespace: 'deferred-for-client-node' },
      ({ pluginData: real }: { pluginData: string }) => ({
        contents: exportedNames(real)
          .map(
            (name) =>
              `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, ` +
              `get: () => require(${JSON.stringify(real)})[${JSON.stringify(name)}] });`,
          )
          .join('\n'),
        resolveDir: dirname(real),
        loader: 'js',
      }),
    );
  },
};

/**
 * Every copy of string-width (ours, yargs', cliui's, Ink's) makes an `Intl.Segmenter` as it is
 * evaluated, which loads ICU's break data: some 15 ms of each command that imports yargs, even
 * one that never measures a string. Each import of it gets a stand-in that evaluates the real
 * module, the one the importer would have had, on the first call.
 */
const lazyStringWidth: Plugin = {
  name: 'lazy-string-width',
  setup(plugin) {
    plugin.onResolve({ filter: /^string-width$/ }, async ({ path, pluginData, ...args }) => {
      if (pluginData === lazyStringWidth) return undefined;
      const real = await plugin.resolve(path, { ...args, pluginData: lazyStringWidth });
      if (real.errors.length > 0) return undefined;
      return { path: real.path, namespace: 'lazy-string-width' };
    });
    plugin.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, ({ path }) => ({
      contents: [
        'let measure;',
        'export default function stringWidth(text, options) {',
        `  measure ??= require(${JSON.stringify(path)}).default;`,
        '  return measure(text, options);',
        '}',
      ].join('\n'),
      resolveDir: dirname(path),
      loader: 'js',
    }));
  },
};

/**
 * Node's built-ins the bundle only calls, never reads at load, and which a live read (a Tab
 * among them) loaded for nothing: child_process (2-3 ms to load after tls), whose `spawn`
 * client-node's KubeConfig reads as it is made (new ExecAuth(), @kubernetes/client-node@2.0.1
 * dist/exec_auth.js) and our exec-credential.ts and graphviz.ts import, yet only an exec
 * credential plugin (or `dot`) starts a process; zlib, which only an answer the API server
 * gzipped (over 128 KiB) needs.
 */
const CALLED_BUILTINS = /^(node:)?(child_process|zlib)$/;

/**
 * Each import of CALLED_BUILTINS gets a stand-in whose every function forwards to the
 * built-in's, required at the first call (`new` constructs the real class, a call passes `this`
 * and returns the result); any other value is a getter.
 */
const calledBuiltins: Plugin = {
  name: 'called-builtins',
  setup(plugin) {
    // The stand-in's own require is the built-in itself (external: Node's require loads it).
    plugin.onResolve({ filter: CALLED_BUILTINS }, ({ path, namespace }) =>
      namespace === 'called-builtin'
        ? { path, external: true }
        : { path, namespace: 'called-builtin' },
    );
    plugin.onLoad({ filter: /.*/, namespace: 'called-builtin' }, ({ path }) => {
      const builtin = createRequire(import.meta.url)(path) as Record<string, unknown>;
      const real = `require(${JSON.stringify(path)})`;
      const exported = Object.keys(builtin).map((name) => {
        const key = JSON.stringify(name);
        return typeof builtin[name] === 'function'
          ? `exports[${key}] = function (...args) { const f = ${real}[${key}]; ` +
              'return new.target ? Reflect.construct(f, args, new.target) : Reflect.apply(f, this, args); };'
          : `Object.defineProperty(exports, ${key}, { enumerable: true, get: () => ${real}[${key}] });`;
      });
      return { contents: exported.join('\n'), loader: 'js' };
    });
  },
};

/** Node's built-in modules, as imported with and without `node:`. */
const BUILTIN = new RegExp(
  `^(node:.+|${builtinModules.map((name) => name.replace('/', '\\/')).join('|')})$`,
);

/**
 * An ES module's imports are all linked before it runs, so a bundle that imported Node's
 * built-ins would load every one the cluster client and the TUI use (tls, http2, dns…: some
 * 100 ms) even for `--version`. Each is required instead where the module that uses it is
 * first evaluated, which for the lazily imported parts of the app is when they are needed.
 */
const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(plugin) {
    // The stand-in's own require is the built-in itself (external: Node's require loads it).
    plugin.onResolve({ filter: BUILTIN }, ({ path, namespace }) =>
      namespace === 'lazy-builtin' ? { path, external: true } : { path, namespace: 'lazy-builtin' },
    );
    plugin.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};

/** Bundled CommonJS modules require Node built-ins; an ES module has no `require` of its own. */
const REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/**
 * A worker thread's code (the entry, a path under src/) as one minified ES module's text: the
 * executable has no file beside it to start a worker from, so it starts this code
 * (`new Worker(code, { eval: true })`).
 */
async function bundleWorker(entry: string, nodeVersion: string): Promise<string> {
  const built = await build({
    entryPoints: [fileURLToPath(new URL(`../../src/${entry}`, import.meta.url))],
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
  if (!worker) throw new Error(`esbuild wrote no worker for ${entry}`);
  return worker.text;
}

/**
 * A define of `value` as its JSON text (a string literal), which the code parses where it uses
 * it. An object or array as a define's value is not inlined: esbuild puts it in a module of its
 * own that it has every module of the bundle initialise first, so each run that loads the
 * bundle would compile and build every such value (the demo's YAML and names, some 20 ms of a
 * Tab's CPU) whether it uses them or not. A string is inlined where it is used, and JSON.parse
 * reads large data faster than V8 compiles the same object literal
 * (https://v8.dev/blog/cost-of-javascript-2019#json).
 */
function jsonText(value: unknown): string {
  return JSON.stringify(JSON.stringify(value));
}

/** Each demo variant's YAML stream, as the define KUBECTL_NETPOL_DEMO gives it to a bundle. */
function demoYaml(): string {
  return jsonText(
    Object.fromEntries(DEMO_VARIANTS.map((variant) => [variant, demoClusterYaml(variant)])),
  );
}

/**
 * What `source`'s export `name` (a function) answers, asked now: the module is bundled alone into
 * a temporary one and imported. So what the bundle fixes in is the program's own at every build:
 * the completion table `__complete` answers from (src/commands/completion-table.ts), read off the
 * command line's own yargs parser, and the demo's names (src/commands/completion-demo.ts).
 * `demo` is the demo's define (demoYaml): the temporary module is away from the demo's files.
 */
async function buildTimeValue(
  source: string,
  name: string,
  nodeVersion: string,
  demo: string,
): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'kubectl-netpol-build-time-'));
  try {
    const outfile = join(dir, 'module.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL(`../../${source}`, import.meta.url))],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${nodeVersion}`,
      define: { KUBECTL_NETPOL_DEMO: demo },
      banner: { js: REQUIRE_BANNER },
      plugins: [withoutDevtools, lazyBuiltins],
      logLevel: 'warning',
    });
    const built = await import(pathToFileURL(outfile).href);
    return await built[name]();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The bundle with its last characters outside ASCII (in licence comments, which esbuild copies
 * as they are; it escapes all others) written as `\\uXXXX`: a single one makes Node decode and
 * compile the whole file as two-byte text, three times slower to decode at every start.
 */
function asciiOnly(text: string): string {
  // Without the u flag each UTF-16 unit matches alone: a surrogate pair becomes two escapes.
  return text.replace(
    /[^\0-\x7f]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** How a bundle is built beyond what every bundle shares. */
export interface BundleOptions {
  /**
   * Writes `OUTFILE.map` beside the bundle and links it, without the sources' text: stack traces
   * of the npm install (at -v=6, which turns source maps on) then name our files and lines.
   */
  readonly sourcemap?: boolean;
  /**
   * Splits the code its dynamic imports load into chunk files in `chunks/` beside the bundle
   * (emptied first), loaded only when imported: `--version`, `--help` and completion then read
   * and compile only the command line's code, not the cluster client's, Ink's and React's. The
   * standalone executable cannot import files, so it runs one file.
   */
  readonly splitting?: boolean;
}

/** The folder, beside the bundle, of the chunks a split bundle imports. */
export const CHUNKS_DIR = 'chunks';

/**
 * Bundles the app (src/main.ts, dynamic imports included: evaluated only when first imported)
 * into one minified ES module, what the standalone executable and the npm package's bin both
 * run: React's production build, and the build info, demo cluster, analyst and parse workers, completion
 * table and the demo's names fixed in.
 * The release's build info has no commit: the executable's bytes depend on the sources alone.
 */
export async function bundleApp(
  outfile: string,
  info: BuildInfo,
  nodeVersion: string,
  options: BundleOptions = {},
) {
  const analystWorker = await bundleWorker('ui/analyst/worker-main.ts', nodeVersion);
  const parseWorker = await bundleWorker('io/files/parse-worker-main.ts', nodeVersion);
  const demo = demoYaml();
  const table = await buildTimeValue('src/cli.ts', 'completionTable', nodeVersion, demo);
  const demoNames = await buildTimeValue(
    'src/commands/completion-demo.ts',
    'demoCandidateSources',
    nodeVersion,
    demo,
  );
  const outdir = dirname(outfile);
  const built = await build({
    entryPoints: {
      [basename(outfile).replace(/\.mjs$/, '')]: fileURLToPath(
        new URL('../../src/main.ts', import.meta.url),
      ),
    },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: options.splitting ?? false,
    chunkNames: `${CHUNKS_DIR}/[hash]`,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${nodeVersion}`,
    minify: true,
    ...(options.sourcemap ? { sourcemap: 'linked', sourcesContent: false } : {}),
    define: {
      'process.env.NODE_ENV': '"production"',
      KUBECTL_NETPOL_BUILD: jsonText(info),
      KUBECTL_NETPOL_DEMO: demo,
      KUBECTL_NETPOL_ANALYST_WORKER: JSON.stringify(analystWorker),
      KUBECTL_NETPOL_PARSE_WORKER: JSON.stringify(parseWorker),
      KUBECTL_NETPOL_COMPLETION: jsonText(table),
      KUBECTL_NETPOL_DEMO_NAMES: jsonText(demoNames),
    },
    // Bundled CommonJS modules require Node built-ins; an ES module has no `require` of its own.
    banner: { js: REQUIRE_BANNER },
    plugins: [
      withoutDevtools,
      clientNodeWithoutBarrels,
      clientNodeWithoutSideEffects,
      undiciForClientNode,
      deferredForClientNode,
      lazyStringWidth,
      calledBuiltins,
      lazyBuiltins,
    ],
    logLevel: 'warning',
  });
  rmSync(join(outdir, CHUNKS_DIR), { recursive: true, force: true });
  for (const file of built.outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.path.endsWith('.map') ? file.contents : asciiOnly(file.text));
  }
}
