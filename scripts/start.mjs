// `npm start`: builds Goalpost and opens it in a real VS Code on a small sample workspace.
// Desktop VS Code with the extension under development when `code` is on PATH; otherwise the browser
// VS Code the test harness uses (VS Code 1.139 from the npm package code-server), on localhost, with the
// extension installed from a freshly built VSIX and the URL printed. Ctrl+C stops it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheRoot, ensureHarness } from './vscode-test/install.mjs';
import { freePort } from './vscode-test/server.mjs';
import { smokeCheck } from './vscode-test/startSmoke.mjs';

const repo = resolve(import.meta.dirname, '..');
// --smoke (a step of `npm test`): the browser path, then open the printed URL in Chromium, check the Goalpost panel
// renders, and exit (0 when it did). Uses a throwaway profile so a newcomer's first start is what is checked.
const smoke = process.argv.includes('--smoke');
const forceBrowser = smoke || process.argv.includes('--browser');
const log = (m) => console.log(`[goalpost start] ${m}`);

function run(cmd, args, options = {}) {
  execFileSync(cmd, args, { cwd: repo, stdio: 'inherit', ...options });
}

/** The sample workspace: a tiny Node package in a git repository, kept between runs. */
function sampleWorkspace() {
  const dir = join(cacheRoot(), 'sample-workspace');
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(dir, { recursive: true });
    cpSync(join(repo, 'test/vscode/fixtures/workspace'), dir, { recursive: true });
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Goalpost sample', GIT_AUTHOR_EMAIL: 'sample@localhost', GIT_COMMITTER_NAME: 'Goalpost sample', GIT_COMMITTER_EMAIL: 'sample@localhost' };
    for (const args of [['init', '-q', '-b', 'main'], ['add', '-A'], ['commit', '-q', '-m', 'Sample workspace']]) execFileSync('git', args, { cwd: dir, env, stdio: 'ignore' });
  }
  return dir;
}

log('building');
run('node', ['scripts/build.mjs']);
const workspace = sampleWorkspace();

if (!forceBrowser && spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0) {
  log(`opening desktop VS Code on ${workspace} with the extension under development`);
  spawn('code', [`--extensionDevelopmentPath=${repo}`, workspace], { stdio: 'inherit', detached: true }).unref();
  process.exit(0);
}

const harness = await ensureHarness();
const vsix = join(cacheRoot(), 'goalpost-dev.vsix');
log('packaging the extension');
run('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', vsix], { stdio: ['ignore', 'ignore', 'inherit'] });
const data = smoke ? mkdtempSync(join(tmpdir(), 'goalpost-start-smoke-')) : join(cacheRoot(), 'start-data');
for (const sub of ['server', 'user', 'exts']) mkdirSync(join(data, sub), { recursive: true });
const common = ['--server-data-dir', join(data, 'server'), '--user-data-dir', join(data, 'user'), '--extensions-dir', join(data, 'exts')];
log('installing it into the browser VS Code');
execFileSync(harness.node24, [harness.serverMain, ...common, '--install-extension', vsix, '--force', '--accept-server-license-terms'], { stdio: ['ignore', 'ignore', 'inherit'] });

const port = Number(process.env.GOALPOST_PORT) || (await freePort());
const server = spawn(harness.node24, [
  harness.serverMain, '--host', '127.0.0.1', '--port', String(port), '--without-connection-token',
  '--accept-server-license-terms', '--telemetry-level', 'off', ...common,
], { stdio: ['ignore', 'pipe', 'pipe'] });
let announced = false;
const onOutput = (chunk) => {
  if (!announced && /Web UI available at/.test(chunk.toString())) {
    announced = true;
    log(`VS Code with Goalpost is running. Open this URL in a browser:\n\n    http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}\n`);
    log('The Goalpost panel opens on the sample project: set an OpenAI key, pick a local server, or play the offline DEMO (no key, no network). Ctrl+C stops the server.');
    if (smoke) {
      // The check has its own deadline per step; this one catches a browser that stops answering altogether.
      setTimeout(() => finishSmoke(1, 'npm start: the smoke check did not finish within 300 s'), 300_000).unref();
      smokeCheck(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`, harness.chromium, { log, dataDir: data }).then(
        () => finishSmoke(0, 'npm start works: the Goalpost panel rendered in the browser VS Code'),
        (error) => finishSmoke(1, error.message),
      );
    }
  }
};
function finishSmoke(code, message) {
  log(message);
  server.removeAllListeners('exit');
  server.kill('SIGTERM');
  rmSync(data, { recursive: true, force: true });
  process.exit(code);
}
if (smoke) {
  setTimeout(() => { if (!announced) finishSmoke(1, 'npm start: the VS Code server did not say "Web UI available" within 120 s'); }, 120_000).unref();
}
server.stdout.on('data', onOutput);
server.stderr.on('data', onOutput);
const stop = () => {
  server.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => {
  log(`the VS Code server exited (${code})`);
  process.exit(code ?? 1);
});
