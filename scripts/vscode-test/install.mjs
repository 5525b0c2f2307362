// Installs what the in-editor tests need on a machine that cannot download VS Code: Debian's
// Chromium and build headers, Node 24 from the npm registry, and the VS Code server bundled in the npm
// package code-server. Everything large is cached OUTSIDE the checkout, keyed by version, and only
// published (renamed into place with a marker) once complete, so a cut-short install is never reused.
// Usage: node scripts/vscode-test/install.mjs   (idempotent; prints what it does and how long it took)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Versions of what the harness installs; changing one installs a new cache entry beside the old. */
export const VERSIONS = Object.freeze({ node: '24.9.0', codeServer: '4.139.1' });

/** Debian packages: headers for code-server's native modules, and the browser that drives the workbench. */
export const APT_PACKAGES = Object.freeze(['libkrb5-dev', 'libx11-dev', 'libxkbfile-dev', 'libsecret-1-dev', 'pkg-config', 'chromium', 'bubblewrap']);

const MARKER = '.goalpost-complete';
const CHROMIUM = process.env.GOALPOST_CHROMIUM || '/usr/bin/chromium';

/** The cache folder: $GOALPOST_TEST_CACHE, else $XDG_CACHE_HOME or ~/.cache, plus goalpost-vscode-test. */
export function cacheRoot() {
  if (process.env.GOALPOST_TEST_CACHE) return join(process.env.GOALPOST_TEST_CACHE, 'goalpost-vscode-test');
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'goalpost-vscode-test');
}

function log(message) {
  process.stdout.write(`[vscode-test] ${message}\n`);
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** Runs a command with its output shown; rejects with the command line when it exits non-zero. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
    child.on('error', (error) => reject(new Error(`could not start ${command}: ${error.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`\`${[command, ...args].join(' ')}\` failed (${signal ?? `exit ${code}`})`));
    });
  });
}

function isDpkgInstalled(name) {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Installs the missing Debian packages (apt-get update once first); root directly, else through sudo. */
export async function ensureAptPackages() {
  if (!hasCommand('dpkg-query')) {
    if (existsSync(CHROMIUM)) return;
    throw new Error(`not a Debian system and no Chromium at ${CHROMIUM}: install Chromium and set GOALPOST_CHROMIUM, `
      + `plus the headers ${APT_PACKAGES.filter((p) => p !== 'chromium').join(' ')} for code-server's native modules`);
  }
  const missing = APT_PACKAGES.filter((name) => !isDpkgInstalled(name));
  if (missing.length === 0) {
    log(`Debian packages present: ${APT_PACKAGES.join(' ')}`);
    return;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const prefix = isRoot ? [] : hasCommand('sudo') ? ['sudo'] : null;
  const install = ['apt-get', 'install', '-y', '-q', '--no-install-recommends', ...missing];
  if (prefix === null) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Run as root:\n  apt-get update && ${install.join(' ')}`);
  }
  const started = Date.now();
  log(`installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const [cmd, ...rest] = [...prefix, 'apt-get', 'update', '-q'];
  await run(cmd, rest, { env });
  const [icmd, ...irest] = [...prefix, ...install];
  await run(icmd, irest, { env });
  log(`Debian packages installed in ${seconds(started)}`);
}

function isComplete(dir) {
  return existsSync(join(dir, MARKER));
}

/** Removes temp folders left by installs that were cut short (their process is gone). */
function removeStaleTemps(root, name) {
  for (const entry of readdirSync(root)) {
    const match = entry.match(new RegExp(`^\\.${name.replace(/\./g, '\\.')}\\.tmp-(\\d+)$`));
    if (!match) continue;
    const pid = Number(match[1]);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = pid !== process.pid;
    } catch {
      alive = false;
    }
    if (!alive) rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/**
 * Runs `install(tempDir)` in a private temp folder, then marks it complete and renames it to
 * `<root>/<name>`. A concurrent install that published first wins; ours is discarded.
 */
async function installOnce(root, name, install) {
  const final = join(root, name);
  if (isComplete(final)) return { dir: final, cached: true };
  mkdirSync(root, { recursive: true });
  removeStaleTemps(root, name);
  // A folder without the marker is a leftover from an older, non-atomic layout: never trust it.
  rmSync(final, { recursive: true, force: true });
  const temp = join(root, `.${name}.tmp-${process.pid}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  // A package.json of its own stops npm from walking up into some parent project.
  writeFileSync(join(temp, 'package.json'), JSON.stringify({ name: 'goalpost-vscode-test-cache', private: true }, null, 2));
  try {
    await install(temp);
    writeFileSync(join(temp, MARKER), JSON.stringify({ name, completedAt: new Date().toISOString() }) + '\n');
    try {
      renameSync(temp, final);
    } catch (error) {
      if (!isComplete(final)) throw error;
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return { dir: final, cached: false };
}

/**
 * The environment for a nested npm install: the outer npm's own variables removed. When `npm test` (on Node 20)
 * starts this script, npm exports `npm_config_user_agent` ("npm/11 node/v20…") and dozens of `npm_*` settings;
 * code-server's postinstall reads the Node version from that user agent, not from `node --version`, and refuses.
 */
export function childEnv() {
  // Where npm keeps its cache and reads its config are the user's choices (CI points them at fresh folders): kept.
  const keep = new Set(['npm_config_cache', 'npm_config_userconfig', 'npm_config_globalconfig', 'npm_config_registry', 'npm_config_cafile']);
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if ((/^npm_/i.test(key) && !keep.has(key.toLowerCase())) || key === 'INIT_CWD' || key === 'NODE') continue;
    env[key] = value;
  }
  return env;
}

const npmQuiet = ['--no-audit', '--no-fund', '--no-save', '--no-package-lock', '--loglevel=error'];

/** Installs Node 24 (the npm package node-linux-<arch>, which carries bin/node and include/node). */
export async function ensureNode24() {
  const started = Date.now();
  const pkg = `node-linux-${process.arch}`;
  const { dir, cached } = await installOnce(cacheRoot(), `node-${VERSIONS.node}`, async (temp) => {
    log(`installing ${pkg}@${VERSIONS.node} into the cache`);
    await run('npm', ['install', `${pkg}@${VERSIONS.node}`, ...npmQuiet], { cwd: temp, env: childEnv() });
  });
  const home = join(dir, 'node_modules', pkg);
  const node = join(home, 'bin', 'node');
  const version = spawnSync(node, ['--version'], { encoding: 'utf8', env: childEnv() }).stdout?.trim();
  if (version !== `v${VERSIONS.node}`) {
    throw new Error(`${node} reports ${version || 'nothing'}, expected v${VERSIONS.node}; delete ${dir} and run again`);
  }
  if (!existsSync(join(home, 'include', 'node', 'node.h'))) throw new Error(`${home} has no include/node headers`);
  log(`Node ${VERSIONS.node}: ${node} (${cached ? 'cached' : `installed in ${seconds(started)}`})`);
  return { node, home };
}

/** Installs code-server (VS Code server + web workbench) with Node 24 first on PATH and its headers. */
export async function ensureCodeServer(node24) {
  const started = Date.now();
  const { dir, cached } = await installOnce(cacheRoot(), `code-server-${VERSIONS.codeServer}`, async (temp) => {
    log(`installing code-server@${VERSIONS.codeServer} into the cache (compiles native modules; a few minutes)`);
    const env = {
      ...childEnv(),
      PATH: `${join(node24.home, 'bin')}:${process.env.PATH ?? ''}`,
      // The machine's npmrc points nodedir at Node 20's headers; native modules must build for Node 24.
      npm_config_nodedir: node24.home,
    };
    await run('npm', ['install', `code-server@${VERSIONS.codeServer}`, ...npmQuiet], { cwd: temp, env });
  });
  const serverMain = join(dir, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
  if (!existsSync(serverMain)) throw new Error(`${serverMain} is missing; delete ${dir} and run again`);
  log(`code-server ${VERSIONS.codeServer}: ${dir} (${cached ? 'cached' : `installed in ${seconds(started)}`})`);
  return { dir, serverMain };
}

/** The VS Code version bundled in the installed code-server (from its product.json). */
export function bundledVscodeVersion(serverMain) {
  try {
    const product = JSON.parse(readFileSync(join(serverMain, '..', '..', 'product.json'), 'utf8'));
    return String(product.version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/** An install step that failed: which step, the command that failed, and what to do about it. */
export class InstallStepError extends Error {
  constructor(step, cause, fix) {
    super(`step "${step}" failed: ${cause instanceof Error ? cause.message : String(cause)}\n  fix: ${fix}`);
    this.step = step;
  }
}

async function step(name, fix, fn) {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof InstallStepError) throw error;
    throw new InstallStepError(name, error, fix);
  }
}

/** Makes sure everything is installed; returns the Node 24 binary, the server entry and the browser. */
export async function ensureHarness() {
  const started = Date.now();
  log(`cache: ${cacheRoot()}`);
  await step('Debian packages', `run as root (or with sudo): apt-get update && apt-get install -y ${APT_PACKAGES.join(' ')}; `
    + 'then run the command again. Behind a proxy, apt-get needs its proxy settings.', ensureAptPackages);
  await step('Chromium', `install Debian's chromium package (apt-get install -y chromium), or set GOALPOST_CHROMIUM to a Chromium binary`, () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}`);
  });
  const node24 = await step('Node 24', `check that npm can reach its registry (npm view node-linux-${process.arch}@${VERSIONS.node} version); `
    + `a half-finished download is never reused, so running again is safe; to start over delete ${join(cacheRoot(), `node-${VERSIONS.node}`)}`, ensureNode24);
  const { serverMain } = await step('VS Code server (code-server)', `its native modules compile with node-gyp: the Debian packages above and python3, make and g++ `
    + `must be present, and about 1 GB free under ${cacheRoot()}; run again (nothing half-installed is reused), or set GOALPOST_TEST_CACHE to a folder with room`,
  () => ensureCodeServer(node24));
  log(`harness ready in ${seconds(started)} (VS Code ${bundledVscodeVersion(serverMain)})`);
  return { node24: node24.node, serverMain, chromium: CHROMIUM };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureHarness().then(
    (harness) => log(`node24=${harness.node24}\n[vscode-test] serverMain=${harness.serverMain}\n[vscode-test] chromium=${harness.chromium}`),
    (error) => {
      process.stderr.write(`[vscode-test] install failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
