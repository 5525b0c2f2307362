// The ports a variant of bench/engineOverhead.ts runs on, counting what they write: bytes under
// .goalpost/, durable writes (the store's fdatasync'ed lines and snapshots, the workspace's fsync'ed
// writes) and the transcript's bytes; and the disk's fdatasync latency, the floor of a durable save.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileGoalStore } from '../../src/adapters/fileGoalStore';
import { NodeWorkspace } from '../../src/adapters/nodeWorkspace';
import { PerGoalTranscript } from '../../src/adapters/perGoalTranscript';
import type { Goal } from '../../src/engine/goal';
import type { GoalStore, StatusLog, Transcript, Workspace } from '../../src/engine/ports';
import { MemoryStatusLog } from '../../test/support/fakes/memoryStatusLog';
import { MemoryStore } from '../../test/support/fakes/memoryStore';
import { MemoryTranscript } from '../../test/support/fakes/memoryTranscript';
import { MemoryWorkspace } from '../../test/support/fakes/memoryWorkspace';
import { summarize } from './stats';

/** What a variant runs on and how big its goal is. */
export interface VariantSpec {
  store: 'memory' | 'file';
  workspace: 'memory' | 'node';
  /** Tasks of the goal. */
  tasks: number;
  /** Tasks seeded as done before the run (0: the goal is planned and run from the start). */
  seeded: number;
  /** The real per-goal transcript under .goalpost/transcripts/ (its bytes reported apart), else in memory. */
  fileTranscript?: boolean;
}

/** The ports a variant runs on, and how to read the stored record's size afterwards. */
export interface Setup {
  workspace: Workspace;
  store: GoalStore;
  statusLog: StatusLog;
  transcript: Transcript;
  goalJsonBytes(goal: Goal): number;
  /** Bytes written under .goalpost/ so far: the store's snapshots and journal, the workspace's writes there. */
  storeBytes(): number;
  /** Of those, the goal record's: the store's snapshots and journal lines. */
  recordBytes(): number;
  /** Writes made durable before they returned so far: the store's fdatasync'ed appends and snapshots (FileGoalStore), the workspace's writes. */
  storeDurable(): number;
  workspaceDurable(): number;
  /** Bytes of the transcript files under .goalpost/transcripts/ (0 with the in-memory transcript). */
  transcriptBytes(): number;
}

/** Bytes of the files in `dir` (0 when it does not exist). */
function bytesIn(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir).reduce((sum, name) => sum + fs.statSync(path.join(dir, name)).size, 0);
}

/** What the engine wrote through the workspace: bytes under .goalpost/ (BACKLOG.md's merge base), and durable writes anywhere. */
interface WorkspaceWrites {
  bytes: number;
  /** writeFile and appendText calls: NodeWorkspace makes each durable (fsync / fdatasync) before it returns. */
  durable: number;
}

/** The workspace, counting what the engine writes through it (WorkspaceWrites). */
function countingWrites(workspace: Workspace, counter: WorkspaceWrites): Workspace {
  return new Proxy(workspace, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if ((prop !== 'writeFile' && prop !== 'appendText') || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return (file: string, content: string): Promise<void> => {
        if (file.startsWith('.goalpost/')) counter.bytes += Buffer.byteLength(content);
        counter.durable++;
        return (value as Workspace['writeFile']).call(target, file, content);
      };
    },
  });
}

export function setupFor(spec: VariantSpec, dir: string, files: Record<string, string>): Setup {
  let workspace: Workspace;
  if (spec.workspace === 'memory') {
    workspace = new MemoryWorkspace(files, dir);
  } else {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    workspace = new NodeWorkspace(dir);
  }
  const other: WorkspaceWrites = { bytes: 0, durable: 0 };
  workspace = countingWrites(workspace, other);
  if (spec.store === 'memory') {
    return {
      workspace,
      store: new MemoryStore({ maxSaves: 1_000_000 }),
      statusLog: new MemoryStatusLog(),
      transcript: new MemoryTranscript(),
      // What FileGoalStore would write as a snapshot of the same goal.
      goalJsonBytes: (goal) => Buffer.byteLength(`${JSON.stringify(goal)}\n`),
      storeBytes: () => other.bytes,
      recordBytes: () => 0,
      storeDurable: () => 0,
      workspaceDurable: () => other.durable,
      transcriptBytes: () => 0,
    };
  }
  const store = new FileGoalStore(dir);
  const transcriptDir = path.join(dir, '.goalpost', 'transcripts');
  return {
    workspace,
    store,
    statusLog: new MemoryStatusLog(),
    transcript: spec.fileTranscript ? new PerGoalTranscript(transcriptDir, () => []) : new MemoryTranscript(),
    transcriptBytes: () => (spec.fileTranscript ? bytesIn(transcriptDir) : 0),
    goalJsonBytes: (goal) => Buffer.byteLength(`${JSON.stringify(goal)}\n`),
    storeBytes: () => store.writes.snapshotBytes + store.writes.journalBytes + other.bytes,
    recordBytes: () => store.writes.snapshotBytes + store.writes.journalBytes,
    storeDurable: () => store.writes.snapshots + store.writes.appends - store.writes.lazyAppends,
    workspaceDurable: () => other.durable,
  };
}

/** The latency of one fdatasync of a small append on this disk (the floor of a durable save), median and p90 of 60. */
export function fdatasyncLatency(): { median: number; p90: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-bench-sync-'));
  try {
    const fd = fs.openSync(path.join(dir, 'probe'), 'a');
    const samples: number[] = [];
    for (let i = 0; i < 60; i++) {
      fs.writeSync(fd, `${'x'.repeat(300)}\n`);
      const started = performance.now();
      fs.fdatasyncSync(fd);
      samples.push(performance.now() - started);
    }
    fs.closeSync(fd);
    const sorted = [...samples].sort((a, b) => a - b);
    return { median: summarize(samples).median, p90: sorted[Math.floor(sorted.length * 0.9)] };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
