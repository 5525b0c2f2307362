// What one save and the engine's other backlog-sized work cost on a final goal record, step by step
// (for bench/engineOverhead.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../src/adapters/fileGoalStore';
import { journalLine } from '../../src/adapters/store/journal';
import { diffRecord, freezeNew } from '../../src/adapters/store/recordDiff';
import { changeIssues } from '../../src/adapters/store/saveCheck';
import { parseBacklog, renderBacklog } from '../../src/engine/backlog/markdown';
import type { Goal } from '../../src/engine/goal';
import { toToolSpec } from '../../src/engine/tools/defineTool';
import { actorToolset, reviewerToolset } from '../../src/engine/tools/toolsets';
import { summarize, whole } from './stats';

function medianOf(reps: number, run: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return summarize(samples).median;
}

/** An fsync'ed atomic write (temp file, write, fsync, close, rename, fsync the folder): a whole-record save. */
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

/** One step of a save and its median time on the final goal record. */
export interface SaveStep {
  step: string;
  ms: number;
}

/** What one save of a typical change (one task's status) costs on `goal`, step by step, against a whole rewrite. */
export async function saveBreakdown(goal: Goal): Promise<{ steps: SaveStep[]; journalSave: number; lineBytes: number; recordBytes: number }> {
  const reps = 15;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-bench-save-'));
  try {
    const prev = freezeNew(structuredClone(goal));
    const flip = (g: Goal, i: number): Goal => ({ ...g, updatedAt: new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString(), backlog: g.backlog.map((t, k) => (k === i % g.backlog.length ? { ...t, details: `${t.details} (${i})` } : t)) });
    const next = flip(prev, 1);
    const ops = diffRecord(prev, next, new Set(['revision']));
    const line = journalLine(prev.revision + 1, ops);
    const pretty = `${JSON.stringify(goal, null, 2)}\n`;
    const compact = `${JSON.stringify(goal)}\n`;
    const steps: SaveStep[] = [
      { step: 'diffRecord(prev, next) by reference', ms: medianOf(reps, () => diffRecord(prev, next, new Set(['revision']))) },
      { step: 'schema check of the changed parts (changeIssues)', ms: medianOf(reps, () => changeIssues(prev, next)) },
      { step: `journal line JSON (${whole(Buffer.byteLength(line))} bytes)`, ms: medianOf(reps, () => journalLine(prev.revision + 1, ops)) },
      { step: `for comparison: JSON.stringify(goal, null, 2) of the whole record (${whole(Buffer.byteLength(pretty))} bytes, the old save)`, ms: medianOf(reps, () => JSON.stringify(goal, null, 2)) },
      { step: 'for comparison: fsync\'ed atomic write of that whole record (the old save)', ms: medianOf(reps, () => atomicWrite(path.join(dir, 'w.json'), pretty)) },
      { step: `a new snapshot: JSON.stringify(goal) + fsync'ed atomic write (${whole(Buffer.byteLength(compact))} bytes; once per journal as large as the snapshot)`, ms: medianOf(reps, () => atomicWrite(path.join(dir, 's.json'), JSON.stringify(goal))) },
    ];
    const store = new FileGoalStore(path.join(dir, 'store'));
    let current = await store.save({ ...goal, revision: 0 });
    const samples: number[] = [];
    for (let i = 0; i < reps; i++) {
      const changed = flip(current, i + 2);
      const started = performance.now();
      current = await store.save(changed);
      samples.push(performance.now() - started);
    }
    return { steps, journalSave: summarize(samples).median, lineBytes: Buffer.byteLength(line), recordBytes: Buffer.byteLength(compact) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Per-call costs of the engine's own work that scales with the backlog, on the final goal. */
export function hotSpots(goal: Goal): { what: string; ms: number }[] {
  const reps = 15;
  const frozen = freezeNew(structuredClone(goal));
  const text = renderBacklog(frozen.backlog, goal.id);
  const fresh = structuredClone(goal.backlog);
  return [
    { what: `renderBacklog (BACKLOG.md, ${goal.backlog.length} tasks, ${whole(text.length)} chars), stored tasks (rendered text kept per task)`, ms: medianOf(reps, () => renderBacklog(frozen.backlog, goal.id)) },
    { what: 'renderBacklog of the same backlog as new objects (every task rendered)', ms: medianOf(1, () => renderBacklog(fresh, goal.id)) },
    { what: 'parseBacklog of the same file', ms: medianOf(reps, () => parseBacklog(text)) },
    { what: 'tool JSON schemas of the actor + reviewer toolsets (rebuilt at every turn)', ms: medianOf(reps, () => [...actorToolset.tools, ...reviewerToolset.tools].map((t) => toToolSpec(t))) },
  ];
}

