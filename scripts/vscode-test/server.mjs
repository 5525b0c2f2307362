// Starts the VS Code server bundled in code-server on a free loopback port with a fresh data folder,
// the way the recipe found works: server-main.js directly, because the `code-server` command rejects
// --enable-smoke-test-driver, which the test URL's payload needs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerCleanup } from './cleanup.mjs';
import { ensureHarness } from './install.mjs';

const READY = 'Web UI available at';

/** A free TCP port on 127.0.0.1, found by letting the kernel pick one. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Every descendant of pid, read from /proc, so processes that left the group die too. */
function descendants(pid) {
  const children = new Map();
  let entries = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the ppid is the 2nd field after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  const found = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function signalTree(pid, signal) {
  const tree = descendants(pid);
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
  for (const child of tree) {
    try {
      process.kill(child, signal);
    } catch {
      // Already gone.
    }
  }
}

/** Environment for the server: ours minus variables of an enclosing VS Code that would confuse it. */
function serverEnv(extra) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || key === 'ELECTRON_RUN_AS_NODE') delete env[key];
  }
  return { ...env, ...extra };
}

/**
 * Starts a VS Code server. Options: extensionDevelopmentPath (absolute; used by workbenchUrl), dataDir
 * (kept on stop when given; a fresh temp folder otherwise, removed on stop), env (extra variables,
 * inherited by the extension host), harness (from ensureHarness), timeoutMs (to wait for readiness), args (more
 * server arguments, e.g. ['--locale', 'qps-ploc']).
 * Resolves to { port, url, dataDir, output(), workbenchUrl({ folder | workspace (a .code-workspace file), extensionTestsPath }), stop() }.
 */
export async function startServer(options = {}) {
  const harness = options.harness ?? (await ensureHarness());
  const port = await freePort();
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'goalpost-vscode-server-'));
  for (const sub of ['server', 'user', 'exts', 'tmp']) mkdirSync(join(dataDir, sub), { recursive: true });
  const args = [
    harness.serverMain,
    '--host', '127.0.0.1',
    '--port', String(port),
    '--without-connection-token',
    '--accept-server-license-terms',
    // Needed twice over: a built workbench only honours the payload's extensionDevelopmentPath with it,
    // and it reports the tests' exit code. It also hides notification toasts (see ui.mjs notifications()).
    '--enable-smoke-test-driver',
    '--telemetry-level', 'off',
    // Workspace Trust is off (everything trusted) unless a suite tests Restricted Mode.
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--server-data-dir', join(dataDir, 'server'),
    '--user-data-dir', join(dataDir, 'user'),
    '--extensions-dir', join(dataDir, 'exts'),
    ...(options.args ?? []),
  ];
  // Its own process group, so stop() can signal the server and every extension host it forked at once.
  const child = spawn(harness.node24, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv({
    // The server leaves IPC sockets in the temp folder when killed: give it one that stop() removes.
    TMPDIR: join(dataDir, 'tmp'),
    ...(options.env ?? {}),
  }) });
  let output = '';
  const listeners = new Set();
  const onData = (chunk) => {
    const text = chunk.toString();
    // Keep the tail only: a long suite must not grow memory without bound.
    output = (output + text).slice(-200_000);
    for (const listener of listeners) listener(text);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });

  let stopped = false;
  const killNow = () => {
    if (child.pid !== undefined) signalTree(child.pid, 'SIGKILL');
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const unregister = registerCleanup(killNow);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.pid !== undefined && !exited) {
      signalTree(child.pid, 'SIGTERM');
      const deadline = Date.now() + 5000;
      while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
    // Whatever ignored SIGTERM (or outlived the server) is killed for good.
    killNow();
    unregister();
  };

  try {
    await new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? 60_000;
      const timer = setTimeout(() => finish(new Error(`VS Code server not ready after ${timeoutMs} ms. Its output:\n${output}`)), timeoutMs);
      const check = () => {
        if (output.includes(READY)) finish();
      };
      const onExit = (code, signal) => finish(new Error(`VS Code server exited (${signal ?? `exit ${code}`}) before it was ready. Its output:\n${output}`));
      const onError = (error) => finish(new Error(`could not start the VS Code server (${harness.node24}): ${error.message}`));
      function finish(error) {
        clearTimeout(timer);
        listeners.delete(check);
        child.off('exit', onExit);
        child.off('error', onError);
        if (error) reject(error);
        else resolve();
      }
      listeners.add(check);
      child.on('exit', onExit);
      child.on('error', onError);
      check();
    });
  } catch (error) {
    await stop();
    throw error;
  }

  const url = `http://127.0.0.1:${port}/`;
  const remote = (absPath) => `vscode-remote://127.0.0.1:${port}${absPath}`;
  return {
    port,
    url,
    dataDir,
    pid: child.pid,
    /** Everything the server printed so far (the tail). */
    output: () => output,
    /** Calls listener with each new chunk of server output; returns its unsubscribe function. */
    onOutput: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /** The workbench URL for a folder, with the extension under development and optionally its tests. */
    workbenchUrl: ({ folder, workspace, extensionTestsPath, extensionDevelopmentPath } = {}) => {
      const devPath = extensionDevelopmentPath ?? options.extensionDevelopmentPath;
      const payload = [];
      if (devPath) payload.push(['extensionDevelopmentPath', remote(devPath)]);
      if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
      const query = [];
      if (folder) query.push(`folder=${encodeURIComponent(folder)}`);
      else if (workspace) query.push(`workspace=${encodeURIComponent(workspace)}`);
      if (payload.length > 0) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
      return query.length > 0 ? `${url}?${query.join('&')}` : url;
    },
    isRunning: () => !exited,
    stop,
  };
}
