#!/usr/bin/env node
// The one place that finds a Chromium for the tests, `npm run audit` and .ci/run. Plain
// JavaScript, like compile-if-changed.mjs, so that .ci/run can ask it before anything is built.
//
// The order is chrome-launcher's (CHROME_PATH, then the system's Chrome or Chromium on Linux,
// macOS and Windows), and when there is none, the Chromium that the npm package
// @sparticuz/chromium ships inside itself (a devDependency: a site owner who builds a site
// never installs it), unpacked once into node_modules/.cache/. Nothing is ever downloaded.
//
// `node src/tools/find-browser.mjs` prints the path (exit 1 with one French line when there is none).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const project = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

/** The flags every headless run of Agora's uses: a closed network, root in containers, no GPU. */
export const BROWSER_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The system's Chrome or Chromium as chrome-launcher finds it (CHROME_PATH first), or null. */
async function systemBrowser() {
  try {
    const { Launcher } = await import('chrome-launcher');
    return Launcher.getFirstInstallation() ?? null;
  } catch {
    return null;
  }
}

/**
 * The Chromium of @sparticuz/chromium, unpacked on first use (about 2 s) into a folder named by
 * its version; null when the package is not installed or has no build for this machine. The
 * package unpacks into os.tmpdir(), so TMPDIR points at a fresh folder meanwhile, which is then
 * renamed into place: a run killed midway, or two runs at once, never leave half a browser.
 */
async function packagedBrowser() {
  let version;
  try {
    // The package's exports do not include its package.json: read it where npm put it.
    version = JSON.parse(readFileSync(path.join(path.dirname(require.resolve('@sparticuz/chromium')), '../../package.json'), 'utf8')).version;
  } catch {
    return null;
  }
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) return null;
  const folder = path.join(project, 'node_modules/.cache', `agora-chromium-${version}`);
  const binary = path.join(folder, 'chromium');
  if (existsSync(binary)) return binary;
  const unpacking = `${folder}.${process.pid}`;
  rmSync(unpacking, { recursive: true, force: true });
  mkdirSync(unpacking, { recursive: true });
  const tmpdir = process.env.TMPDIR;
  try {
    process.env.TMPDIR = unpacking;
    const { default: chromium } = await import('@sparticuz/chromium');
    await chromium.executablePath();
  } finally {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
  }
  try {
    renameSync(unpacking, folder);
  } catch {
    // Another run unpacked it first: use theirs.
    rmSync(unpacking, { recursive: true, force: true });
  }
  return existsSync(binary) ? binary : null;
}

/** The browser to use: `{ path, source }`, source saying where it comes from; null when there is none. */
export async function findBrowser() {
  const system = await systemBrowser();
  if (system) return { path: system, source: 'système' };
  const packaged = await packagedBrowser();
  return packaged ? { path: packaged, source: 'paquet npm @sparticuz/chromium' } : null;
}

/** What to say when no browser is found. */
export const NO_BROWSER = "Aucun Chromium trouvé : ni CHROME_PATH, ni Chrome ou Chromium installé, ni celui du paquet npm @sparticuz/chromium (npm install l'installe, sous Linux x64 et arm64). Installez Chrome ou Chromium, ou donnez son chemin dans CHROME_PATH.";

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const found = await findBrowser();
  if (!found) {
    process.stderr.write(`${NO_BROWSER}\n`);
    process.exit(1);
  }
  process.stdout.write(`${found.path}\n`);
}
