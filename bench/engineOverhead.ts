// Benchmark 3: the engine's own cost per iteration, with the model, the commands and git replaced by
// instant fakes (their time is measured and subtracted). A long goal (201 one-iteration tasks) runs on
// (a) MemoryStore + MemoryWorkspace, (b) the real FileGoalStore (snapshot + journal, fsync) and a real
// NodeWorkspace in a temp dir, (c) the real FileGoalStore with MemoryWorkspace; and a goal of 2,000
// tasks, 1,900 of them done, runs its last 100 iterations on (d) FileGoalStore + MemoryWorkspace and
// (e) FileGoalStore + NodeWorkspace. Also counted: store saves and bytes per iteration, the record's
// size at the end, the bytes written under .goalpost/ per iteration for goals of 10 and 40 tasks, and
// the per-call cost of the engine's other backlog-sized work.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Goal } from '../src/engine/goal';
import { GoalController } from '../src/engine/loop/controller';
import type { EngineDeps } from '../src/engine/loop/deps';
import { FakeRunner } from '../test/support/fakes/fakeRunner';
import { testPrompts, testSettings } from '../test/support/fakes/makeDeps';
import { ManualClock } from '../test/support/fakes/manualClock';
import { ScriptedModel } from '../test/support/fakes/scriptedModel';
import { LONG_SPEC, longGoalFiles, scriptLongGoal } from './kit/longGoal';
import { hotSpots, saveBreakdown } from './kit/saveCost';
import { scriptRemaining, seededGoal } from './kit/seededGoal';
import { Meter, portDelta, type MethodFigures } from './kit/meter';
import { emitResult, runBenchmark, table } from './kit/report';
import { fixed, summarize, whole, type Summary } from './kit/stats';
import { StubGit } from './kit/stubGit';
import { fdatasyncLatency, setupFor, type VariantSpec } from './kit/overheadSetup';

/** 201 tasks: the loop sleeps after each, so 200 iterations lie between two sleeps. */
const TASKS = 201;
/** The large goal: 2,000 tasks, of which the last LARGE_RUN are run (the rest seeded as done). */
const LARGE_TASKS = 2_000;
const LARGE_RUN = 100;
const TARGET_MS = 10;
/** Ports whose time is not the engine's: the fakes standing in for the model, commands and git. */
const EXCLUDED = ['model', 'commands', 'git'];

type VariantName = 'memory' | 'file' | 'fileMemWs' | 'large' | 'largeNode' | 'small10' | 'small40';

const SPECS: Record<VariantName, VariantSpec> = {
  memory: { store: 'memory', workspace: 'memory', tasks: TASKS, seeded: 0 },
  file: { store: 'file', workspace: 'node', tasks: TASKS, seeded: 0 },
  fileMemWs: { store: 'file', workspace: 'memory', tasks: TASKS, seeded: 0 },
  large: { store: 'file', workspace: 'memory', tasks: LARGE_TASKS, seeded: LARGE_TASKS - LARGE_RUN },
  largeNode: { store: 'file', workspace: 'node', tasks: LARGE_TASKS, seeded: LARGE_TASKS - LARGE_RUN },
  small10: { store: 'file', workspace: 'node', tasks: 10, seeded: 0, fileTranscript: true },
  small40: { store: 'file', workspace: 'node', tasks: 40, seeded: 0, fileTranscript: true },
};

/** Figures of one variant. */
interface VariantFigures {
  name: VariantName;
  spec: VariantSpec;
  description: string;
  iterations: number;
  engine: Summary;
  /** The engine's time with the store's excluded too: what is left if saves were free. */
  withoutStore: Summary;
  raw: Summary;
  early: number;
  late: number;
  savesPerIteration: Summary;
  storeBytesPerIteration: Summary;
  recordBytesPerIteration: Summary;
  /** Bytes under .goalpost/ over all iterations ÷ iterations: snapshots and base rewrites counted, not only the typical iteration. */
  meanBytesPerIteration: number;
  meanRecordBytesPerIteration: number;
  /** Transcript bytes per iteration (median), for the variants with the real transcript. */
  transcriptBytesPerIteration: Summary;
  storeDurablePerIteration: Summary;
  workspaceDurablePerIteration: Summary;
  storeMsPerIteration: Summary;
  workspaceMsPerIteration: Summary;
  /** Median calls per iteration of each workspace method. */
  workspaceCalls: Record<string, number>;
  goalJsonBytes: number;
  totalSeconds: number;
  /** The goal record at the end, for the save breakdown. */
  finalGoal: Goal;
}

const DESCRIPTIONS: Record<VariantName, string> = {
  memory: `(a) ${TASKS} tasks: MemoryStore (schema-checked saves) + MemoryWorkspace`,
  file: `(b) ${TASKS} tasks: FileGoalStore (snapshot + fdatasync'ed journal) + NodeWorkspace in a temp dir`,
  fileMemWs: `(c) ${TASKS} tasks: FileGoalStore + MemoryWorkspace`,
  large: `(d) ${whole(LARGE_TASKS)} tasks (${whole(LARGE_TASKS - LARGE_RUN)} seeded done, last ${LARGE_RUN} run): FileGoalStore + MemoryWorkspace`,
  largeNode: `(e) ${whole(LARGE_TASKS)} tasks (${whole(LARGE_TASKS - LARGE_RUN)} seeded done, last ${LARGE_RUN} run): FileGoalStore + NodeWorkspace`,
  small10: '10 tasks: FileGoalStore + NodeWorkspace',
  small40: '40 tasks: FileGoalStore + NodeWorkspace',
};

async function runVariant(name: VariantName): Promise<VariantFigures> {
  const spec = SPECS[name];
  const tasks = spec.tasks;
  const runs = tasks - spec.seeded;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `goalpost-bench-${name}-`));
  try {
    const setup = setupFor(spec, dir, longGoalFiles(tasks));
    const meter = new Meter();
    const model = new ScriptedModel();
    if (spec.seeded > 0) {
      await setup.store.save(seededGoal(dir, tasks, spec.seeded, `bench-${name}`));
      scriptRemaining(model, spec.seeded + 1, tasks);
    } else {
      scriptLongGoal(model, tasks);
    }
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
    const marks: { at: number; figures: Map<string, MethodFigures>; storeBytes?: number; recordBytes?: number }[] = [];
    const storeBytesAt: number[] = [];
    const recordBytesAt: number[] = [];
    const durableAt: { store: number; workspace: number }[] = [];
    const transcriptAt: number[] = [];
    clock.onSleep = () => {
      marks.push({ at: performance.now(), figures: meter.snapshot() });
      storeBytesAt.push(setup.storeBytes());
      recordBytesAt.push(setup.recordBytes());
      durableAt.push({ store: setup.storeDurable(), workspace: setup.workspaceDurable() });
      transcriptAt.push(setup.transcriptBytes());
    };
    const controller = new GoalController(deps);
    if (spec.seeded > 0) await controller.load();
    else await controller.start({ spec: LONG_SPEC, tokenBudget: null, id: `bench-${name}` });
    const started = performance.now();
    const goal = await controller.run();
    const totalSeconds = (performance.now() - started) / 1000;
    const done = goal.backlog.filter((t) => t.status === 'done').length;
    if (goal.status !== 'achieved' || done !== tasks || marks.length !== runs) {
      throw new Error(`${name}: expected ${tasks} tasks done and ${runs} sleeps, got ${goal.status} with ${done} done and ${marks.length} sleeps`);
    }
    marks.forEach((m, i) => {
      m.storeBytes = storeBytesAt[i];
      m.recordBytes = recordBytesAt[i];
    });
    const raw: number[] = [];
    const engine: number[] = [];
    const withoutStore: number[] = [];
    const saves: number[] = [];
    const storeBytes: number[] = [];
    const recordBytes: number[] = [];
    const storeMs: number[] = [];
    const workspaceMs: number[] = [];
    const workspaceCalls = new Map<string, number[]>();
    const storeDurable: number[] = [];
    const workspaceDurable: number[] = [];
    const transcriptBytes: number[] = [];
    for (let i = 1; i < marks.length; i++) {
      storeDurable.push(durableAt[i].store - durableAt[i - 1].store);
      workspaceDurable.push(durableAt[i].workspace - durableAt[i - 1].workspace);
      transcriptBytes.push(transcriptAt[i] - transcriptAt[i - 1]);
      const a = marks[i - 1];
      const b = marks[i];
      const elapsed = b.at - a.at;
      const excluded = EXCLUDED.reduce((sum, port) => sum + portDelta(a.figures, b.figures, port).ms, 0);
      raw.push(elapsed);
      engine.push(elapsed - excluded);
      saves.push(portDelta(a.figures, b.figures, 'store', 'save').calls);
      storeBytes.push((b.storeBytes ?? 0) - (a.storeBytes ?? 0));
      recordBytes.push((b.recordBytes ?? 0) - (a.recordBytes ?? 0));
      storeMs.push(portDelta(a.figures, b.figures, 'store').ms);
      withoutStore.push(elapsed - excluded - portDelta(a.figures, b.figures, 'store').ms);
      workspaceMs.push(portDelta(a.figures, b.figures, 'workspace').ms);
      for (const method of ['readText', 'writeFile', 'appendText', 'readFile']) {
        const list = workspaceCalls.get(method) ?? [];
        list.push(portDelta(a.figures, b.figures, 'workspace', method).calls);
        workspaceCalls.set(method, list);
      }
    }
    const edge = 20;
    const span = marks.length - 1;
    return {
      name,
      spec,
      description: DESCRIPTIONS[name],
      iterations: engine.length,
      engine: summarize(engine),
      withoutStore: summarize(withoutStore),
      raw: summarize(raw),
      early: summarize(engine.slice(0, edge)).median,
      late: summarize(engine.slice(-edge)).median,
      savesPerIteration: summarize(saves),
      storeBytesPerIteration: summarize(storeBytes),
      recordBytesPerIteration: summarize(recordBytes),
      meanBytesPerIteration: ((marks[span].storeBytes ?? 0) - (marks[0].storeBytes ?? 0)) / Math.max(1, span),
      meanRecordBytesPerIteration: ((marks[span].recordBytes ?? 0) - (marks[0].recordBytes ?? 0)) / Math.max(1, span),
      storeDurablePerIteration: summarize(storeDurable),
      transcriptBytesPerIteration: summarize(transcriptBytes),
      workspaceDurablePerIteration: summarize(workspaceDurable),
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

function variantRow(v: VariantFigures): (string | number)[] {
  return [
    v.description, v.iterations, fixed(v.engine.median), fixed(v.engine.p95), fixed(v.early), fixed(v.late),
    fixed(v.savesPerIteration.median, 0), fixed(v.storeDurablePerIteration.median, 0), fixed(v.workspaceDurablePerIteration.median, 0), whole(v.meanBytesPerIteration),
    fixed(v.storeMsPerIteration.median), fixed(v.workspaceMsPerIteration.median), fixed(v.withoutStore.median),
    whole(v.goalJsonBytes), v.engine.median <= TARGET_MS ? 'yes' : 'no',
  ];
}

async function main(): Promise<void> {
  const variants = new Map<VariantName, VariantFigures>();
  // GOALPOST_BENCH_VARIANTS=large,fileMemWs runs only those (for profiling) and prints no summary.
  const only = (process.env.GOALPOST_BENCH_VARIANTS ?? '').split(',').filter((n): n is VariantName => n in SPECS);
  for (const name of only.length > 0 ? only : (Object.keys(SPECS) as VariantName[])) {
    const v = await runVariant(name);
    variants.set(name, v);
    console.log(`engineOverhead ${v.description}: ${v.iterations} iterations in ${fixed(v.totalSeconds, 1)} s`);
    console.log(`  engine ms/iteration: median ${fixed(v.engine.median)}  p95 ${fixed(v.engine.p95)}  (first 20: ${fixed(v.early)}, last 20: ${fixed(v.late)}; with fakes: median ${fixed(v.raw.median)})`);
    console.log(`  engine ms/iteration without the store: median ${fixed(v.withoutStore.median)}  p95 ${fixed(v.withoutStore.p95)}`);
    console.log(`  store saves/iteration: median ${v.savesPerIteration.median}; bytes under .goalpost/ per iteration median ${whole(v.storeBytesPerIteration.median)}; store ms/iteration median ${fixed(v.storeMsPerIteration.median)}; workspace ms/iteration median ${fixed(v.workspaceMsPerIteration.median)}; record at the end ${whole(v.goalJsonBytes)} bytes`);
    console.log(`  bytes under .goalpost/ per iteration: mean ${whole(v.meanBytesPerIteration)} (the record's ${whole(v.meanRecordBytesPerIteration)}); durable writes per iteration (median): store ${v.storeDurablePerIteration.median}, workspace ${v.workspaceDurablePerIteration.median}`);
  }
  if (only.length > 0) return;
  const get = (n: VariantName): VariantFigures => variants.get(n) as VariantFigures;
  const main5 = (['memory', 'file', 'fileMemWs', 'large', 'largeNode'] as VariantName[]).map(get);
  const realStore = [get('fileMemWs'), get('large')];
  const small10 = get('small10');
  const small40 = get('small40');
  // The target is judged on the mean (all bytes ÷ iterations: snapshots and base rewrites included), so a
  // rare large write is not hidden by a median; the median is shown beside it.
  const bytesRatio = small40.meanBytesPerIteration / Math.max(1, small10.meanBytesPerIteration);
  const medianRatio = small40.storeBytesPerIteration.median / Math.max(1, small10.storeBytesPerIteration.median);
  const recordRatio = small40.meanRecordBytesPerIteration / Math.max(1, small10.meanRecordBytesPerIteration);
  const transcriptRatio = small40.transcriptBytesPerIteration.median / Math.max(1, small10.transcriptBytesPerIteration.median);
  const bytesRows = [small10, small40, get('file'), get('largeNode')].map((v) => [
    v.description, whole(v.meanRecordBytesPerIteration), whole(v.meanBytesPerIteration - v.meanRecordBytesPerIteration), whole(v.meanBytesPerIteration), whole(v.storeBytesPerIteration.median),
    v.spec.fileTranscript ? whole(v.transcriptBytesPerIteration.median) : '(in memory)',
  ]);
  const breakdown = await saveBreakdown(get('file').finalGoal);
  const largeBreakdown = await saveBreakdown(get('large').finalGoal);
  const spots = [...hotSpots(get('file').finalGoal), ...hotSpots(get('large').finalGoal)];
  for (const h of spots) console.log(`  ${h.what}: ${fixed(h.ms)} ms`);
  console.log(`  bytes under .goalpost/ per iteration (mean): 10 tasks ${whole(small10.meanBytesPerIteration)}, 40 tasks ${whole(small40.meanBytesPerIteration)} (×${fixed(bytesRatio, 2)}; median ×${fixed(medianRatio, 2)}); of them the goal record's: ${whole(small10.meanRecordBytesPerIteration)} → ${whole(small40.meanRecordBytesPerIteration)} (×${fixed(recordRatio, 2)}); the transcript besides: ${whole(small10.transcriptBytesPerIteration.median)} → ${whole(small40.transcriptBytesPerIteration.median)} (×${fixed(transcriptRatio, 2)})`);
  console.log(`  one journal save of the final ${whole(breakdown.recordBytes)}-byte record: ${fixed(breakdown.journalSave)} ms; of the ${whole(largeBreakdown.recordBytes)}-byte record: ${fixed(largeBreakdown.journalSave)} ms`);
  const node = get('file');
  const largeNode = get('largeNode');
  const sync = fdatasyncLatency();
  console.log(`  fdatasync of a small append on this disk: median ${fixed(sync.median)} ms, p90 ${fixed(sync.p90)} ms`);
  const met = realStore.every((v) => v.engine.median <= TARGET_MS);
  const markdown = [
    `Long goal of ${TASKS} tasks, one iteration each (read_file + edit_file + finish_task, \`npm test\` check, review, commit), and a goal of ${whole(LARGE_TASKS)} tasks whose first ${whole(LARGE_TASKS - LARGE_RUN)} are seeded as done (one attempt, review, commit and iteration point each) and whose last ${LARGE_RUN} are run. Engine ms = wall time between two iterations minus the time spent inside the model, command-runner and git fakes (all instant). Store and workspace time are the engine's own I/O and stay in. Bytes = everything written under .goalpost/ for the goal's state: what the store wrote (journal lines and snapshots) plus what the engine wrote there through the workspace (BACKLOG.md's merge base, \`.goalpost/backlog-base.journal\`). BACKLOG.md itself is the user's file in the workspace, not under .goalpost/, and is not counted. The transcript (\`.goalpost/transcripts/\`, one line per request and response) is measured apart with the real transcript in the 10- and 40-task runs; the status log (in the workspace) and command logs (none here: the runner is a fake) are not part of these runs. Durable writes = writes that wait for the disk before they return: the store's fdatasync'ed journal lines and snapshots, and the workspace's writes (NodeWorkspace fsyncs each).`,
    '',
    table(['variant', 'iterations', 'median ms', 'p95 ms', 'median of first 20', 'median of last 20', 'store saves / iteration', 'durable store writes / iteration', 'durable workspace writes / iteration', 'bytes under .goalpost/ / iteration (mean)', 'store ms / iteration', 'workspace ms / iteration', 'median ms without store', 'record bytes at end', `≤ ${TARGET_MS} ms median`], main5.map(variantRow)),
    '',
    `Each iteration saves the goal record ${fixed(node.savesPerIteration.median, 0)} times, once per step boundary, and waits for the disk ${fixed(node.storeDurablePerIteration.median, 0)} time(s): the engine marks its own progress inside an iteration (opening the attempt, usage, phases, the review, the attempt's end, the DONE with its commit) lazy, and the iteration's last save (the progress guard and the chart point) is fdatasync'ed, which makes the lines before it durable too. A save appends one line holding what changed (found by comparing the new record with the stored one by reference), so its cost does not grow with the goal; its small file operations run synchronously (microseconds each) and only the fdatasync waits in the thread pool. A new snapshot (the whole record, compact JSON, atomic write) is written when the status changes or the journal would outgrow the snapshot.`,
    '',
    `Time target ${met ? 'met' : 'missed'}: ${fixed(get('fileMemWs').engine.median)} ms at ${TASKS} tasks and ${fixed(get('large').engine.median)} ms at ${whole(LARGE_TASKS)} with the real store (of them in the store: ${fixed(get('fileMemWs').storeMsPerIteration.median)} / ${fixed(get('large').storeMsPerIteration.median)} ms). Measured alone, one durable journal save took ${fixed(breakdown.journalSave)} ms on the ${TASKS}-task record and ${fixed(largeBreakdown.journalSave)} ms on the ${whole(LARGE_TASKS)}-task one (table below), nearly all of it the fdatasync (a small append's fdatasync on this disk: median ${fixed(sync.median)} ms, p90 ${fixed(sync.p90)} ms, probed at the end of the run). The engine's own work without the store is ${fixed(get('fileMemWs').withoutStore.median)} ms per iteration at ${TASKS} tasks and ${fixed(get('large').withoutStore.median)} ms at ${whole(LARGE_TASKS)}: BACKLOG.md is rendered only when a change shows in it (a task's status, title, details, acceptance or blocker; not its attempts or commit), twice per iteration here, and a render re-joins only the sections whose tasks changed other than by a task joining at the end (the usual DONE); what is left grows with the goal is a few plain passes over the backlog per step (finding the task, copying the list on a change, the store's comparison by reference and freezing of the changed lists), each a few microseconds per thousand tasks.`,
    '',
    `With NodeWorkspace, ${fixed(node.workspaceMsPerIteration.median)} ms (${TASKS} tasks) and ${fixed(largeNode.workspaceMsPerIteration.median)} ms (${whole(LARGE_TASKS)} tasks) per iteration go to the workspace: ${node.workspaceCalls.writeFile ?? 0} fsync'ed atomic write(s) of BACKLOG.md, ${node.workspaceCalls.appendText ?? 0} fdatasync'ed append(s) to its merge base and ${node.workspaceCalls.readText ?? 0} whole-file read(s) per iteration. BACKLOG.md is the user's file and is written whole because people read it.`,
    '',
    `Bytes under .goalpost/ per iteration (mean over the run, FileGoalStore + NodeWorkspace): 10 tasks ${whole(small10.meanBytesPerIteration)}, 40 tasks ${whole(small40.meanBytesPerIteration)}: ×${fixed(bytesRatio, 2)} (target ×≤ 1.5; the median iteration: ×${fixed(medianRatio, 2)}). The goal record's share: ${whole(small10.meanRecordBytesPerIteration)} → ${whole(small40.meanRecordBytesPerIteration)} (×${fixed(recordRatio, 2)}). BACKLOG.md's merge base is a journal: each write of BACKLOG.md appends only the tasks whose shown fields changed (and the id order when it changed other than by appending), and the journal is rewritten whole once it has grown to four copies of the base (at least 64 KiB), so its cost per iteration follows the change, not the backlog. The transcript, not part of the target, adds ${whole(small10.transcriptBytesPerIteration.median)} → ${whole(small40.transcriptBytesPerIteration.median)} bytes per iteration (×${fixed(transcriptRatio, 2)}): the requests themselves, bounded as bench/contextGrowth.ts shows.`,
    '',
    table(['variant', 'goal record bytes / iteration (mean)', 'merge base bytes / iteration (mean)', 'total (mean)', 'total (median)', 'transcript bytes / iteration (median, not in the total)'], bytesRows),
    '',
    'What one save costs on the final records (median of 15, on this machine), for a change of one task:',
    '',
    table(['step', `${TASKS}-task record ms`, `${whole(LARGE_TASKS)}-task record ms`], [
      ...breakdown.steps.map((st, i) => [st.step, fixed(st.ms), fixed(largeBreakdown.steps[i].ms)]),
      ['measured FileGoalStore.save (journal append with one fdatasync)', fixed(breakdown.journalSave), fixed(largeBreakdown.journalSave)],
    ]),
    '',
    'The engine\'s own work besides saving, per call on the final records (a stored task is frozen and keeps its identity, so its rendered text is kept and only changed tasks are rendered again):',
    '',
    table(['work', 'ms per call'], spots.map((h) => [h.what, fixed(h.ms)])),
  ].join('\n');
  emitResult({
    name: 'engineOverhead',
    title: 'Engine overhead per iteration',
    targets: [
      {
        target: `engine overhead ≤ ${TARGET_MS} ms per iteration (median) with the real store, at ${TASKS} and at ${whole(LARGE_TASKS)} tasks`,
        measured: `${TASKS} tasks: ${fixed(get('fileMemWs').engine.median)} ms; ${whole(LARGE_TASKS)} tasks: ${fixed(get('large').engine.median)} ms (with NodeWorkspace: ${fixed(node.engine.median)} / ${fixed(largeNode.engine.median)} ms); ${fixed(node.storeDurablePerIteration.median, 0)} durable store write(s) per iteration`,
        met,
      },
      {
        target: 'bytes written under .goalpost/ per iteration flat: 40 tasks ÷ 10 tasks ≤ 1.5',
        measured: `${whole(small10.meanBytesPerIteration)} → ${whole(small40.meanBytesPerIteration)} bytes (mean), ×${fixed(bytesRatio, 2)}; median ×${fixed(medianRatio, 2)} (the goal record alone ×${fixed(recordRatio, 2)})`,
        met: bytesRatio <= 1.5 && medianRatio <= 1.5,
      },
    ],
    markdown,
  });
}

runBenchmark(main);
