import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { defineConfig } from 'vitest/config';

const LIB = fileURLToPath(new URL('./lib/', import.meta.url));

// A test runs most of Agora's code a few times only, on small sites: V8's optimizing compiler
// spent more CPU on it than it saved (a quarter of the suite's time went to compiling and
// collecting). A function is optimized after about fifteen times more work than V8's default,
// here in the worker threads that Vitest starts after this file is read (a V8 setting: it
// changes when code is optimized, never what it does). Measured on 2 cores: 201 CPU-s for the
// suite instead of 219, 122 s instead of 132.
setFlagsFromString('--interrupt-budget=1000000');

export default defineConfig({
  // Vite resolves packages with the "development" condition by default, and Vitest passes it to its
  // worker threads and so to Agora's Markdown workers: micromark then runs its dev/ build (asserts,
  // debug calls), slower than and not the same code as what `agora build` runs. Node's conditions only.
  plugins: [{
    name: 'agora:node-conditions',
    configResolved(config) {
      for (const resolve of [config.resolve, config.ssr.resolve, ...Object.values(config.environments).map((environment) => environment.resolve)]) {
        if (resolve?.conditions) resolve.conditions = resolve.conditions.filter((condition) => !condition.startsWith('development'));
      }
    },
  }],
  // The tests import Agora as `../src/x.js` (typed in an editor), and run the compiled lib/x.js,
  // loaded by Node itself: the code `agora` runs, and the same module instances as the compiled
  // CLI that tests/helpers/cli.ts runs in their thread. Each worker thus loads, compiles and
  // optimizes Agora once instead of twice (src/ through Vite, lib/ through Node): 224 CPU-s for
  // the suite instead of 236, and Vite's transforms 3 s instead of 10. The global set-up compiles
  // src/ first when it changed, as `npm test` does.
  resolve: {
    alias: [{ find: /^(?:\.\.\/)+src\/(.*\.js)$/, replacement: `${LIB}$1` }],
  },
  test: {
    server: { deps: { external: [new RegExp(`^${LIB.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)] } },
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    globalSetup: ['./tests/helpers/global-setup.ts'],
    // Worker threads start faster than forked processes: the suite took 3 min 36 s instead of 4 min 38 s here.
    pool: 'threads',
    // One worker per core. Vitest's default is one fewer (1 here, on 2 cores), which left a core
    // idle while a file waits for the processes, servers and browser it starts. One more than the
    // cores was better while each worker ran Agora from its sources; since every worker runs the
    // compiled code once, a third worker on 2 cores only adds its own compilation and garbage
    // collection: 115 and 129 s (178 and 203 CPU-s) with 2 workers, 140 and 123 s (231 and 200
    // CPU-s) with 3, run in turn on 4 December.
    maxWorkers: availableParallelism(),
    // Test files share a worker's loaded modules instead of importing them again each (no test
    // mocks a module or keeps state in one): 17 s less here.
    isolate: false,
    // Pin the environment: dates must not depend on the machine's time zone.
    env: { TZ: 'UTC' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
