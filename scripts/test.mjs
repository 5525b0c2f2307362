// `npm test`: the one command that proves the project works (CI calls it through .ci/run).
// Type-check, lint, build, VSIX packaging check, unit tests, CLI end-to-end tests, then the suites
// inside a real VS Code. Prints one closing line "Total: N passed, N failed".
import { spawn } from 'node:child_process';

const only = process.argv.slice(2); // e.g. `npm test -- unit cli`
let passed = 0;
let failed = 0;
const failures = [];

function run(name, command, args, { countTests = false, countAsOne = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n▶ ${name}: ${command} ${args.join(' ')}`);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let tail = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-20000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code, signal) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (countTests) {
        const p = [...tail.matchAll(/^\s*(\d+) passing/gm)].reduce((n, m) => n + Number(m[1]), 0);
        const f = [...tail.matchAll(/^\s*(\d+) failing/gm)].reduce((n, m) => n + Number(m[1]), 0);
        passed += p;
        failed += f;
        if (code !== 0 && f === 0) failed += 1; // a crash before mocha's summary still fails the run
      } else if (countAsOne) {
        if (code === 0) passed += 1;
        else failed += 1;
      } else if (code !== 0) {
        failed += 1; // a broken step (install, types, lint, build) is a failure the closing line must show
      }
      if (code !== 0) failures.push(`${name} (exit ${code ?? signal})`);
      console.log(`◀ ${name}: ${code === 0 ? 'ok' : `FAILED (exit ${code ?? signal})`} in ${seconds} s`);
      resolve(code === 0);
    });
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const want = (step) => only.length === 0 || only.includes(step);

const steps = [
  // Installs what the suites need, once per machine (cached, version-keyed): Debian packages (Chromium,
  // bubblewrap for the command sandbox, headers), Node 24 and the VS Code server. Later runs take ~0.2 s.
  ['setup', () => run('machine setup', 'node', ['scripts/vscode-test/install.mjs'])],
  ['typecheck', () => run('typecheck', npx, ['tsc', '--noEmit', '-p', 'tsconfig.json'])],
  ['lint', () => run('lint', npx, ['eslint', '.'])],
  ['build', () => run('build', 'node', ['scripts/build.mjs'])],
  ['commands', () => run('commands', 'node', ['scripts/check-commands.mjs'])],
  ['package', () => run('package', 'node', ['scripts/check-package.mjs'])],
  ['compile', () => run('compile tests', npx, ['tsc', '-p', 'tsconfig.json', '--outDir', 'out'])],
  ['unit', () => run('unit tests', npx, ['mocha', '--config', '.mocharc.unit.json'], { countTests: true })],
  ['cli', () => run('CLI end-to-end tests', npx, ['mocha', '--config', '.mocharc.cli.json'], { countTests: true })],
  ['vscode', () => run('tests in a real VS Code', 'node', ['scripts/vscode-test/run.mjs'], { countTests: true })],
  // The panel driven like a user (playwright in Chromium on the same harness); mocha prints N passing / N failing.
  ['ui', () => run('UI tests in a real browser', 'node', ['scripts/vscode-test/ui-tests.mjs'], { countTests: true })],
  // The README's other command: `npm start` on the browser path, its URL opened in Chromium, the panel rendered.
  ['start', () => run('npm start (smoke)', 'node', ['scripts/start.mjs', '--smoke'], { countAsOne: true })],
];

for (const [key, step] of steps) {
  if (!want(key)) continue;
  const ok = await step();
  // Nothing after a broken build or type error can be trusted; test suites still all run.
  if (!ok && ['setup', 'typecheck', 'build', 'compile'].includes(key)) break;
}

console.log('');
if (failures.length > 0) console.log(`Failed steps: ${failures.join(', ')}`);
console.log(`Total: ${passed} passed, ${failed} failed`);
process.exit(failures.length === 0 && failed === 0 ? 0 : 1);
