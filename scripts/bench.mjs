// `npm run bench`: compiles the project with tsc into out/, runs every benchmark of bench/ with node, one
// process each, streams their figures to stdout, and rewrites the results section of BENCHMARKS.md
// (between the bench-results markers) with the date, the machine and each benchmark's tables.
// Benchmarks print figures; they never fail on a missed target (the summary table says met / missed).
// Every top-level bench/*.ts is a benchmark. One that prints a result line (bench/kit/report.ts) gets its
// tables in BENCHMARKS.md; one that does not (e.g. bench/panelRender.ts) gets its output verbatim.
//
//   npm run bench                      all benchmarks, BENCHMARKS.md rewritten
//   npm run bench -- contextGrowth     only these (BENCHMARKS.md left alone: its figures stay one run's)
//   npm run bench -- --no-write        all, without touching BENCHMARKS.md
//   npm run bench -- --no-compile      reuse out/ as it is
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out');
const DOC = path.join(ROOT, 'BENCHMARKS.md');
const START = '<!-- bench-results:start -->';
const END = '<!-- bench-results:end -->';
const MARKER = '##BENCH_RESULT## ';
// Order matters only for reading: cheap ones first, the long engine run last; others after these.
// The crash soak (kills of the real CLI, a few minutes) runs after every in-process benchmark.
const PREFERRED = ['promptPrefix', 'contextGrowth', 'budgetOvershoot', 'providerOvershoot', 'runnerOverhead', 'goalLoad', 'engineOverhead', 'pauseLatency', 'crashSoak'];
const found = readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3));
const BENCHMARKS = [...PREFERRED.filter((b) => found.includes(b)), ...found.filter((b) => !PREFERRED.includes(b)).sort()];

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !BENCHMARKS.includes(n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(', ')}. Known: ${BENCHMARKS.join(', ')}.`);
  process.exit(2);
}
const selected = names.length > 0 ? BENCHMARKS.filter((b) => names.includes(b)) : BENCHMARKS;
const write = names.length === 0 && !flags.has('--no-write');

/** Runs a command, streaming its output; resolves with its exit code and captured stdout. */
function run(command, commandArgs, { echo = true } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk) => {
      const text = chunk.toString();
      stdout += text;
      if (!echo) return;
      // Echo whole lines except the machine-readable result line.
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (!line.startsWith(MARKER)) process.stdout.write(`${line}\n`);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk.toString();
      if (echo) process.stderr.write(chunk);
    });
    child.on('close', (code, signal) => {
      if (echo && pending && !pending.startsWith(MARKER)) process.stdout.write(`${pending}\n`);
      resolve({ code: code ?? (signal ? 1 : 0), stdout, stderr });
    });
  });
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const began = Date.now();

if (!flags.has('--no-compile')) {
  console.log('▶ compiling: npx tsc -p tsconfig.json --outDir out');
  const tsc = await run(npx, ['tsc', '-p', 'tsconfig.json', '--outDir', 'out'], { echo: false });
  if (tsc.code !== 0) {
    // tsc still emits; errors elsewhere in the tree must not stop the benchmarks, errors in bench/ should be seen.
    const errors = tsc.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    const ours = errors.filter((l) => l.startsWith('bench/'));
    console.log(`  tsc reported ${errors.length} error(s)${ours.length > 0 ? `, ${ours.length} in bench/:` : ' (none in bench/); continuing'}`);
    for (const l of ours) console.log(`    ${l}`);
  }
  // Browser benchmarks load the bundled webview (dist/webview.js).
  console.log('▶ building bundles: node scripts/build.mjs');
  const build = await run(process.execPath, ['scripts/build.mjs'], { echo: false });
  if (build.code !== 0) console.log(`  the build failed (exit ${build.code}); benchmarks that need dist/ will fail`);
}

const results = [];
const failures = [];
for (const name of selected) {
  const file = path.join(OUT, 'bench', `${name}.js`);
  if (!existsSync(file)) {
    failures.push(`${name}: ${path.relative(ROOT, file)} was not built`);
    continue;
  }
  console.log(`\n▶ ${name}`);
  const started = Date.now();
  const { code, stdout, stderr } = await run(process.execPath, [file]);
  const seconds = (Date.now() - started) / 1000;
  const line = stdout.split('\n').find((l) => l.startsWith(MARKER));
  if (!line) {
    // A benchmark with its own output format: kept verbatim; its exit code is its only verdict.
    results.push({ name, title: name, seconds, verbatim: `${stdout}${stderr}`.trimEnd(), targets: [{ target: 'its own target(s), see its output', measured: `exit code ${code}`, met: code === 0 }] });
    console.log(`◀ ${name}: exit ${code} in ${seconds.toFixed(1)} s`);
    continue;
  }
  if (code !== 0) {
    failures.push(`${name}: exit ${code}`);
    console.log(`◀ ${name}: FAILED (exit ${code}) in ${seconds.toFixed(1)} s`);
    continue;
  }
  results.push({ ...JSON.parse(line.slice(MARKER.length)), seconds });
  console.log(`◀ ${name}: ${seconds.toFixed(1)} s`);
}

const totalSeconds = (Date.now() - began) / 1000;
const cpus = os.cpus();
const machine = {
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  node: process.version,
  cpu: `${cpus[0]?.model?.trim() ?? 'unknown CPU'} × ${cpus.length}`,
  os: `${os.type()} ${os.release()} (${process.arch})`,
  load: os.loadavg().map((x) => x.toFixed(2)).join(' / '),
};

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const verdict = (met) => (met === true ? 'met' : met === false ? '**missed**' : 'partly');

console.log('\nTargets:');
for (const r of results) for (const t of r.targets) console.log(`  ${verdict(t.met).replace(/\*/g, '').padEnd(7)} ${r.name}: ${t.target} — ${t.measured}`);
for (const f of failures) console.log(`  FAILED  ${f}`);
console.log(`\nTotal: ${totalSeconds.toFixed(1)} s (${machine.cpu}, node ${machine.node}, load ${machine.load})`);

if (failures.length > 0) {
  console.log('BENCHMARKS.md not rewritten: a benchmark failed.');
  process.exit(1);
}
if (!write) {
  console.log(names.length > 0 ? 'BENCHMARKS.md not rewritten (only a subset ran).' : 'BENCHMARKS.md not rewritten (--no-write).');
  process.exit(0);
}

const section = [
  START,
  '',
  `Run of ${machine.date} · Node ${machine.node} · ${machine.cpu} · ${machine.os} · load average (1/5/15 min) at the end ${machine.load} · whole \`npm run bench\` ${totalSeconds.toFixed(0)} s.`,
  '',
  '| benchmark | target | measured | verdict |',
  '| --- | --- | --- | --- |',
  ...results.flatMap((r) => r.targets.map((t) => `| ${cell(r.title)} | ${cell(t.target)} | ${cell(t.measured)} | ${verdict(t.met)} |`)),
  '',
  ...results.flatMap((r) => [
    `### ${r.title} (\`bench/${r.name}.ts\`, ${r.seconds.toFixed(1)} s)`,
    '',
    r.verbatim !== undefined ? ['Its own output:', '', '```text', r.verbatim, '```'].join('\n') : r.markdown,
    '',
  ]),
  END,
].join('\n');

const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : `# Benchmarks\n\n## Results\n\n${START}\n${END}\n`;
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < from) {
  console.error(`BENCHMARKS.md has no ${START} … ${END} section; add the two markers where the results belong.`);
  process.exit(1);
}
writeFileSync(DOC, `${doc.slice(0, from)}${section}${doc.slice(to + END.length)}`);
console.log('BENCHMARKS.md results rewritten.');
