// Benchmark 3: the engine's own cost per iteration, with the model, the commands and git replaced by
// instant fakes (their time is measured and subtracted). A long goal (220 one-iteration tasks) runs
// twice: (a) MemoryStore + MemoryWorkspace, (b) the real FileGoalStore (atomic write + fsync) and a real
// NodeWorkspace in a temp dir. Also counted: store saves per iteration, goal.json's size at the end, and
// what one save of that final record costs, step by step, to show where the time goes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../src/adapters/fileGoalStore';
import { NodeWorkspace } from '../src/adapters/nodeWorkspace';
import { Goal } from '../src/engine/goal';
import { parseBacklog, renderBacklog } from '../src/engine/backlog/markdown';
import { GoalController } from '../src/engine/loop/controller';
import { toToolSpec } from '../src/engine/tools/defineTool';
import { actorToolset, reviewerToolset } from '../src/engine/tools/toolsets';
import type { EngineDeps } from '../src/engine/loop/deps';
import type { GoalStore, StatusLog, Transcript, Workspace } from '../src/engine/ports';
import { FakeRunner } from '../test/support/fakes/fakeRunner';
import { testPrompts, testSettings } from '../test/support/fakes/makeDeps';
import { ManualClock } from '../test/support/fakes/manualClock';
import { MemoryStatusLog } from '../test/support/fakes/memoryStatusLog';
import { MemoryStore } from '../test/support/fakes/memoryStore';
import { MemoryTranscript } from '../test/support/fakes/memoryTranscript';
import { MemoryWorkspace } from '../test/support/fakes/memoryWorkspace';
import { ScriptedModel } from '../test/support/fakes/scriptedModel';
import { addingIterations, LONG_SPEC, longGoalFiles, PLANNED_TASKS, scriptLongGoal } from './kit/longGoal';
import { Meter, portDelta, type MethodFigures } from './kit/meter';
import { emitResult, runBenchmark, table } from './kit/report';
import { fixed, summarize, whole, type Summary } from './kit/stats';
import { StubGit } from './kit/stubGit';

/** 201 tasks: the loop sleeps after each, so 200 iterations lie between two sleeps. */
const TASKS = 201;
const TARGET_MS = 10;
/** Ports whose time is not the engine's: the fakes standing in for the model, commands and git. */
const EXCLUDED = ['model', 'commands', 'git'];

type VariantName = 'memory' | 'file';

/** The ports a variant runs on, and how to read goal.json's size afterwards. */
interface Setup {
  workspace: Workspace;
  store: GoalStore;
  statusLog: StatusLog;
  transcript: Transcript;
  goalJsonBytes(goal: Goal): number;
}

/** Figures of one variant. */
interface VariantFigures {
  name: VariantName;
  description: string;
  iterations: number;
  engine: Summary;
  /** The engine's time with the store's excluded too: what is left if saves were free. */
  withoutStore: Summary;
  raw: Summary;
  early: number;
  late: number;
  savesPerIteration: Summary;
  storeMsPerIteration: Summary;
  workspaceMsPerIteration: Summary;
  /** Median calls per iteration of each workspace method. */
  workspaceCalls: Record<string, number>;
  goalJsonBytes: number;
  totalSeconds: number;
  /** The goal record at the end, for the save breakdown. */
  finalGoal: Goal;
}

function setupFor(name: VariantName, dir: string, files: Record<string, string>): Setup {
  if (name === 'memory') {
    return {
      workspace: new MemoryWorkspace(files, dir),
      store: new MemoryStore({ maxSaves: 1_000_000 }),
      statusLog: new MemoryStatusLog(),
      transcript: new MemoryTranscript(),
      // What FileGoalStore would write for the same goal.
      goalJsonBytes: (goal) => Buffer.byteLength(`${JSON.stringify(goal, null, 2)}\n`),
    };
  }
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const store = new FileGoalStore(dir);
  return {
    workspace: new NodeWorkspace(dir),
    store,
    statusLog: new MemoryStatusLog(),
    transcript: new MemoryTranscript(),
    goalJsonBytes: () => fs.statSync(store.goalPath).size,
  };
}

const DESCRIPTIONS: Record<VariantName, string> = {
  memory: '(a) MemoryStore (schema-validated saves) + MemoryWorkspace',
  file: '(b) FileGoalStore (one fsync\'ed atomic write per save) + NodeWorkspace in a temp dir',
};

async function runVariant(name: VariantName): Promise<VariantFigures> {
  const tasks = TASKS;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `goalpost-bench-${name}-`));
  try {
    const setup = setupFor(name, dir, longGoalFiles(tasks));
    const meter = new Meter();
    const model = new ScriptedModel();
    scriptLongGoal(model, tasks);
    const runner = new FakeRunner().on('npm test', { exitCode: 0, output: '# tests 42\n# pass 42\n# fail 0\n' });
    const clock = new ManualClock();
    const settings = testSettings();
    const deps: EngineDeps = {
      model: meter.wrap('model', model),
      workspace: meter.wrap('workspace', setup.workspace),
      commands: meter.wrap('commands', runner),
      git: meter.wrap('git', new StubGit()),
      store: meter.wrap('store', setup.store),
      statusLog: meter.wrap('statusLog', setup.statusLog),
      transcript: meter.wrap('transcript', setup.transcript),
      clock,
      prompts: await testPrompts(),
      settings: () => settings,
    };
    // The loop sleeps after every task iteration (not after the plan): iteration n>1 lies between marks n-1 and n.
    const marks: { at: number; figures: Map<string, MethodFigures> }[] = [];
    clock.onSleep = () => {
      marks.push({ at: performance.now(), figures: meter.snapshot() });
    };
    const controller = new GoalController(deps);
    await controller.start({ spec: LONG_SPEC, tokenBudget: null, id: `bench-${name}` });
    const started = performance.now();
    const goal = await controller.run();
    const totalSeconds = (performance.now() - started) / 1000;
    const done = goal.backlog.filter((t) => t.status === 'done').length;
    if (goal.status !== 'achieved' || done !== tasks || marks.length !== tasks) {
      throw new Error(`${name}: expected ${tasks} tasks done and ${tasks} sleeps, got ${goal.status} with ${done} done and ${marks.length} sleeps`);
    }
    const raw: number[] = [];
    const engine: number[] = [];
    const withoutStore: number[] = [];
    const saves: number[] = [];
    const storeMs: number[] = [];
    const workspaceMs: number[] = [];
    const workspaceCalls = new Map<string, number[]>();
    for (let i = 1; i < marks.length; i++) {
      const a = marks[i - 1];
      const b = marks[i];
      const elapsed = b.at - a.at;
      const excluded = EXCLUDED.reduce((sum, port) => sum + portDelta(a.figures, b.figures, port).ms, 0);
      raw.push(elapsed);
      engine.push(elapsed - excluded);
      saves.push(portDelta(a.figures, b.figures, 'store', 'save').calls);
      storeMs.push(portDelta(a.figures, b.figures, 'store').ms);
      withoutStore.push(elapsed - excluded - portDelta(a.figures, b.figures, 'store').ms);
      workspaceMs.push(portDelta(a.figures, b.figures, 'workspace').ms);
      for (const method of ['readText', 'writeFile', 'readFile']) {
        const list = workspaceCalls.get(method) ?? [];
        list.push(portDelta(a.figures, b.figures, 'workspace', method).calls);
        workspaceCalls.set(method, list);
      }
    }
    const edge = 20;
    return {
      name,
      description: DESCRIPTIONS[name],
      iterations: engine.length,
      engine: summarize(engine),
      withoutStore: summarize(withoutStore),
      raw: summarize(raw),
      early: summarize(engine.slice(0, edge)).median,
      late: summarize(engine.slice(-edge)).median,
      savesPerIteration: summarize(saves),
      storeMsPerIteration: summarize(storeMs),
      workspaceMsPerIteration: summarize(workspaceMs),
      workspaceCalls: Object.fromEntries([...workspaceCalls].map(([m, list]) => [m, summarize(list).median])),
      goalJsonBytes: setup.goalJsonBytes(goal),
      totalSeconds,
      finalGoal: goal,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One step of a FileGoalStore.save and its median time on the final goal record. */
interface SaveStep {
  step: string;
  perSave: number;
  ms: number;
}

function medianOf(reps: number, run: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return summarize(samples).median;
}

/** An fsync'ed atomic write like the store's (temp file, write, fsync, close, rename, fsync the folder). */
function atomicWrite(file: string, data: string): void {
  const temp = `${file}.tmp`;
  const fd = fs.openSync(temp, 'w');
  fs.writeSync(fd, data);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(temp, file);
  const dirFd = fs.openSync(path.dirname(file), 'r');
  fs.fsyncSync(dirFd);
  fs.closeSync(dirFd);
}

/** What one save of `goal` costs, step by step, and a whole FileGoalStore.save for comparison. */
async function saveBreakdown(goal: Goal): Promise<{ steps: SaveStep[]; wholeSave: number }> {
  const reps = 15;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-bench-save-'));
  try {
    const text = `${JSON.stringify(goal, null, 2)}\n`;
    const file = path.join(dir, 'goal.json');
    fs.writeFileSync(file, text);
    const backup = path.join(dir, 'goal.json.bak');
    const linkTemp = path.join(dir, 'goal.json.bak.tmp');
    // What FileGoalStore.save does now: a stat to see whether goal.json is still the file it last wrote (it
    // reads, parses and validates it only when another process replaced it), the previous copy kept as
    // goal.json.bak by a hard link (no data written), the new record serialized and written once.
    const steps: SaveStep[] = [
      { step: 'stat goal.json (still the file this store wrote? then the revision check needs no read)', perSave: 1, ms: medianOf(reps, () => fs.statSync(file, { bigint: true })) },
      {
        step: 'goal.json.bak as a hard link of goal.json (link to a temp name, rename over .bak, remove the temp name)',
        perSave: 1,
        ms: medianOf(reps, () => {
          fs.linkSync(file, linkTemp);
          fs.renameSync(linkTemp, backup);
          // From the second rep on both names are one file, and rename() then leaves the temp name (the store removes it too).
          fs.rmSync(linkTemp, { force: true });
        }),
      },
      { step: 'JSON.stringify(goal, null, 2)', perSave: 1, ms: medianOf(reps, () => JSON.stringify(goal, null, 2)) },
      { step: 'fsync\'ed atomic write of goal.json (one data fsync, one folder fsync)', perSave: 1, ms: medianOf(reps, () => atomicWrite(path.join(dir, 'w.json'), text)) },
      { step: 'only when another process replaced goal.json: read it', perSave: 0, ms: medianOf(reps, () => fs.readFileSync(file, 'utf8')) },
      { step: 'only when another process replaced goal.json: JSON.parse', perSave: 0, ms: medianOf(reps, () => JSON.parse(text)) },
      { step: 'only when another process replaced goal.json: Goal.safeParse (zod)', perSave: 0, ms: medianOf(reps, () => Goal.safeParse(goal)) },
    ];
    const storeDir = path.join(dir, 'store');
    const store = new FileGoalStore(storeDir);
    let current = await store.save({ ...goal, revision: 0 });
    const samples: number[] = [];
    for (let i = 0; i < reps; i++) {
      const started = performance.now();
      current = await store.save(current);
      samples.push(performance.now() - started);
    }
    return { steps, wholeSave: summarize(samples).median };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Per-call costs of the engine's own work that scales with the backlog, on the final goal. */
function hotSpots(goal: Goal): { what: string; ms: number }[] {
  const reps = 15;
  const text = renderBacklog(goal.backlog, goal.id);
  return [
    { what: `renderBacklog (BACKLOG.md, ${goal.backlog.length} tasks, ${whole(text.length)} chars)`, ms: medianOf(reps, () => renderBacklog(goal.backlog, goal.id)) },
    { what: 'parseBacklog of the same file', ms: medianOf(reps, () => parseBacklog(text)) },
    { what: 'tool JSON schemas of the actor + reviewer toolsets (rebuilt at every turn)', ms: medianOf(reps, () => [...actorToolset.tools, ...reviewerToolset.tools].map((t) => toToolSpec(t))) },
    { what: 'structuredClone of the goal record (MemoryStore does 2 per save)', ms: medianOf(reps, () => structuredClone(goal)) },
  ];
}

async function main(): Promise<void> {
  const variants: VariantFigures[] = [];
  for (const name of ['memory', 'file'] as VariantName[]) {
    const v = await runVariant(name);
    variants.push(v);
    console.log(`engineOverhead ${v.description}: ${v.iterations} iterations in ${fixed(v.totalSeconds, 1)} s`);
    console.log(`  engine ms/iteration: median ${fixed(v.engine.median)}  p95 ${fixed(v.engine.p95)}  (first 20: ${fixed(v.early)}, last 20: ${fixed(v.late)}; with fakes: median ${fixed(v.raw.median)})`);
    console.log(`  engine ms/iteration without the store: median ${fixed(v.withoutStore.median)}  p95 ${fixed(v.withoutStore.p95)}`);
    console.log(`  store saves/iteration: median ${v.savesPerIteration.median} (min ${v.savesPerIteration.min}, max ${v.savesPerIteration.max}); store ms/iteration median ${fixed(v.storeMsPerIteration.median)}; workspace ms/iteration median ${fixed(v.workspaceMsPerIteration.median)}; goal.json at the end ${whole(v.goalJsonBytes)} bytes`);
  }
  const meets = variants.filter((v) => v.engine.median <= TARGET_MS).map((v) => v.name);
  const rows = variants.map((v) => [
    v.description, v.iterations, fixed(v.engine.median), fixed(v.engine.p95), fixed(v.early), fixed(v.late),
    fixed(v.savesPerIteration.median, 0), fixed(v.storeMsPerIteration.median), fixed(v.workspaceMsPerIteration.median), fixed(v.withoutStore.median),
    whole(v.goalJsonBytes), v.engine.median <= TARGET_MS ? 'yes' : 'no',
  ]);
  const memory = variants[0];
  const file = variants[1];
  const breakdown = await saveBreakdown(file.finalGoal);
  const spots = hotSpots(memory.finalGoal);
  for (const h of spots) console.log(`  ${h.what}: ${fixed(h.ms)} ms`);
  const stepsTotal = breakdown.steps.reduce((sum, st) => sum + st.ms * st.perSave, 0);
  const saves = memory.savesPerIteration.median;
  console.log(`  one FileGoalStore.save of the final ${whole(file.goalJsonBytes)}-byte record: ${fixed(breakdown.wholeSave)} ms (steps: ${breakdown.steps.map((st) => `${st.step} ${fixed(st.ms)} ms × ${st.perSave}`).join('; ')})`);
  const markdown = [
    `Long goal of ${TASKS} tasks, one iteration each (read_file + edit_file + finish_task, \`npm test\` check, review, commit). Engine ms = wall time between two iterations minus the time spent inside the model, command-runner and git fakes (all instant). Store and workspace time are the engine's own I/O and stay in.`,
    '',
    table(['variant', 'iterations', 'median ms', 'p95 ms', 'median of first 20', 'median of last 20', 'store saves / iteration', 'store ms / iteration', 'workspace ms / iteration', 'median ms without store', 'goal.json bytes at end', `≤ ${TARGET_MS} ms median`], rows),
    '',
    `Each iteration saves the goal record ${fixed(memory.savesPerIteration.median, 0)} times, once per step boundary (attempt opened; usage after each of the 4 model responses, 3 actor + 1 reviewer; 3 phase changes; review recorded; attempt closed; task done; commit recorded; progress guard; iteration point), ` +
      `and every save rewrites the whole record, which grows with the goal (${whole(file.goalJsonBytes)} bytes after ${file.iterations} tasks). ` +
      `The backlog reaches its full size in the first ${addingIterations(TASKS)} iterations (the actor adds ${TASKS - PLANNED_TASKS} tasks to the ${PLANNED_TASKS} planned), so the record is large from early on; the first-20/last-20 medians show the remaining growth (attempts, reviews, commits, iteration points).`,
    '',
    `Why the target is ${meets.length === variants.length ? 'met' : meets.length > 0 ? 'met only partly' : 'missed'}: ` +
      `(b) spends ${fixed(file.storeMsPerIteration.median)} ms per iteration in the store — ${fixed(saves, 0)} saves, each serializing the whole record and making one fsync'ed atomic write of it (goal.json; the previous copy becomes goal.json.bak by a hard link, and the stored copy is read back only when another process replaced it) — ` +
      `and ${fixed(file.workspaceMsPerIteration.median)} ms in NodeWorkspace (${memory.workspaceCalls.writeFile ?? 0} fsync'ed atomic writes per iteration, mostly BACKLOG.md and its base copy, and ${memory.workspaceCalls.readText ?? 0} whole-file reads). ` +
      `(a) spends ${fixed(memory.storeMsPerIteration.median)} ms in MemoryStore, whose cost is a zod parse and two structuredClones of the record per save. ` +
      `Without the store the engine's own work is ${fixed(memory.withoutStore.median)} ms per iteration in (a) (${memory.withoutStore.median <= TARGET_MS ? 'within' : 'over'} the target), mostly BACKLOG.md re-rendered from the whole backlog by renderBacklog (one or two renders per writeBacklogFile call, several calls per iteration; see the table below), and the tool JSON schemas rebuilt for every turn. ` +
      'The cost is proportional to saves per iteration × record size, so it grows with the goal; fewer saves per iteration (usage and phase changes folded into the next boundary save), and a record that does not rewrite finished tasks on every save would each cut it further.',
    '',
    `What one save of the final record costs (median of 15, on this machine):`,
    '',
    table(['step of FileGoalStore.save', 'ms', 'times per save', 'ms per save'], [
      ...breakdown.steps.map((st) => [st.step, fixed(st.ms), st.perSave, fixed(st.ms * st.perSave)]),
      ['sum of the steps', '', '', fixed(stepsTotal)],
      ['measured FileGoalStore.save', '', '', fixed(breakdown.wholeSave)],
      [`× ${fixed(saves, 0)} saves per iteration`, '', '', fixed(breakdown.wholeSave * saves)],
    ]),
    '',
    `The engine's own work besides saving, per call on the final record (workspace calls per iteration, median: ${Object.entries(memory.workspaceCalls).map(([m, n]) => `${m} ${n}`).join(', ')}; BACKLOG.md is re-rendered by every writeBacklogFile, several times per iteration):`,
    '',
    table(['work', 'ms per call'], spots.map((h) => [h.what, fixed(h.ms)])),
  ].join('\n');
  emitResult({
    name: 'engineOverhead',
    title: 'Engine overhead per iteration',
    targets: [{
      target: `engine overhead ≤ ${TARGET_MS} ms per iteration (median)`,
      measured: variants.map((v) => `${v.name}: ${fixed(v.engine.median)} ms (p95 ${fixed(v.engine.p95)})`).join('; '),
      met: meets.length > 0 ? (meets.length === variants.length ? true : null) : false,
    }],
    markdown: `${markdown}\n\nVariants meeting the ${TARGET_MS} ms median: ${meets.length > 0 ? meets.join(', ') : 'none'}.`,
  });
}

runBenchmark(main);
