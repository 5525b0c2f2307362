// Benchmark: how long loading a 2,000-task goal takes (FileGoalStore.load: read goal.json and its
// journal, parse, replay, validate with the Goal schema, freeze), with the journal empty, half full and
// long, and, for comparison, the same record as the single indented goal.json of earlier versions
// (which loads as a snapshot without a journal). Also the steps of one load.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../src/adapters/fileGoalStore';
import { replayJournal } from '../src/adapters/store/journal';
import { freezeNew } from '../src/adapters/store/recordDiff';
import { Goal } from '../src/engine/goal';
import { seededGoal } from './kit/seededGoal';
import { emitResult, runBenchmark, table } from './kit/report';
import { fixed, summarize, whole } from './kit/stats';

const TASKS = 2_000;
const DONE = 1_900;
/** Our own bound (the issue sets none): a goal this size should open in the editor without a wait. */
const TARGET_MS = 500;
const REPS = 9;

async function timeLoads(folder: string): Promise<{ ms: number; goal: Goal }> {
  const samples: number[] = [];
  let goal: Goal | null = null;
  for (let i = 0; i < REPS; i++) {
    const started = performance.now();
    goal = await new FileGoalStore(folder).load();
    samples.push(performance.now() - started);
  }
  if (!goal) throw new Error(`no goal loaded from ${folder}`);
  return { ms: summarize(samples).median, goal };
}

/** A folder holding the seeded goal and `saves` journal saves after its snapshot (small changes, as the loop makes). */
async function prepare(root: string, name: string, saves: number): Promise<{ folder: string; expected: Goal; snapshotBytes: number; journalBytes: number }> {
  const folder = path.join(root, name);
  const store = new FileGoalStore(folder);
  let goal = await store.save(seededGoal(folder, TASKS, DONE));
  for (let i = 0; i < saves; i++) {
    const n = DONE + (i % (TASKS - DONE));
    goal = await store.save({
      ...goal,
      updatedAt: new Date(Date.UTC(2026, 2, 1, 0, 0, i)).toISOString(),
      usage: { ...goal.usage, total: { ...goal.usage.total, requests: goal.usage.total.requests + 1, tokens: goal.usage.total.tokens + 3_000 } },
      backlog: goal.backlog.map((t, k) => (k === n ? { ...t, status: i % 2 === 0 ? 'in-progress' : 'todo' } : t)),
    });
  }
  const journal = path.join(folder, '.goalpost', 'goal.journal');
  return {
    folder,
    expected: goal,
    snapshotBytes: fs.statSync(path.join(folder, '.goalpost', 'goal.json')).size,
    journalBytes: fs.existsSync(journal) ? fs.statSync(journal).size : 0,
  };
}

function medianOf(run: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return summarize(samples).median;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-bench-load-'));
  try {
    const rows: (string | number)[][] = [];
    const cases: { label: string; saves: number }[] = [
      { label: 'snapshot only', saves: 0 },
      { label: 'snapshot + 200 journal lines', saves: 200 },
      { label: 'snapshot + 1,000 journal lines', saves: 1_000 },
    ];
    const measured: number[] = [];
    let last: Awaited<ReturnType<typeof prepare>> | null = null;
    for (const c of cases) {
      const prepared = await prepare(root, `case-${c.saves}`, c.saves);
      const { ms, goal } = await timeLoads(prepared.folder);
      if (JSON.stringify(goal) !== JSON.stringify(prepared.expected)) throw new Error(`${c.label}: the loaded goal differs from the saved one`);
      measured.push(ms);
      rows.push([c.label, whole(prepared.snapshotBytes), whole(prepared.journalBytes), fixed(ms)]);
      console.log(`goalLoad ${TASKS}-task goal, ${c.label}: ${fixed(ms)} ms (goal.json ${whole(prepared.snapshotBytes)} bytes, goal.journal ${whole(prepared.journalBytes)} bytes)`);
      last = prepared;
    }
    // The same record as an earlier version wrote it: one indented goal.json, no journal.
    const legacy = path.join(root, 'legacy');
    fs.mkdirSync(path.join(legacy, '.goalpost'), { recursive: true });
    const legacyText = `${JSON.stringify(seededGoal(legacy, TASKS, DONE), null, 2)}\n`;
    fs.writeFileSync(path.join(legacy, '.goalpost', 'goal.json'), legacyText);
    const legacyMs = (await timeLoads(legacy)).ms;
    rows.push(['an earlier version\'s single indented goal.json (migration: read as a snapshot)', whole(Buffer.byteLength(legacyText)), 0, fixed(legacyMs)]);
    console.log(`goalLoad earlier version's goal.json: ${fixed(legacyMs)} ms`);

    if (!last) throw new Error('no case ran');
    const snapshotText = fs.readFileSync(path.join(last.folder, '.goalpost', 'goal.json'), 'utf8');
    const journalBytes = fs.readFileSync(path.join(last.folder, '.goalpost', 'goal.journal'));
    const parsed = JSON.parse(snapshotText) as Goal;
    const steps = [
      ['read goal.json + goal.journal', fixed(medianOf(() => {
        fs.readFileSync(path.join(last.folder, '.goalpost', 'goal.json'));
        fs.readFileSync(path.join(last.folder, '.goalpost', 'goal.journal'));
      }))],
      ['JSON.parse of the snapshot', fixed(medianOf(() => JSON.parse(snapshotText)))],
      ['replay of 1,000 journal lines', fixed(medianOf(() => replayJournal(JSON.parse(snapshotText) as Record<string, unknown>, parsed, journalBytes)))],
      ['Goal.safeParse (zod) of the whole record', fixed(medianOf(() => Goal.safeParse(parsed)))],
      ['freeze the record (a saved record is never changed in place)', fixed(medianOf(() => freezeNew(JSON.parse(snapshotText))))],
    ];
    const worst = Math.max(...measured, legacyMs);
    const markdown = [
      `A goal of ${whole(TASKS)} tasks (${whole(DONE)} done, each with an attempt, a check result, a review, a commit and an iteration point), loaded by a new FileGoalStore (median of ${REPS}; the files are in the page cache after the first load). The journal lines are small changes like the loop's (usage, a task's status).`,
      '',
      table(['stored as', 'goal.json bytes', 'goal.journal bytes', 'load ms'], rows),
      '',
      'Steps of the load with 1,000 journal lines (the replay and the parse of the JSON lines scale with the lines; the schema check and the freeze with the record):',
      '',
      table(['step', 'ms'], steps),
    ].join('\n');
    emitResult({
      name: 'goalLoad',
      title: 'Load time of a 2,000-task goal',
      targets: [{ target: `FileGoalStore.load of a ${whole(TASKS)}-task goal ≤ ${TARGET_MS} ms (our own bound), with or without a journal`, measured: `${measured.map((m) => fixed(m)).join(' / ')} ms (0 / 200 / 1,000 journal lines); earlier version's goal.json ${fixed(legacyMs)} ms`, met: worst <= TARGET_MS }],
      markdown,
    });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

runBenchmark(main);
