// The CommandRunner port with child processes (PRODUCT.md F2 test step, F3 pause, F9 run_command, F10).
// Each command runs non-interactively in its own process group, optionally under bubblewrap, with a
// stripped environment; a timeout or an abort stops the whole tree, and a background child that keeps
// the output pipes open cannot hang the run. The full output goes to a log file; the model sees a capped
// head and tail.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, promises as fs, realpathSync, type WriteStream } from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { CommandRequest, CommandResult, CommandRunner } from '../engine/ports';
import type { EngineSettings } from '../engine/settings';
import { WorkspaceError } from '../engine/ports';
import { childEnv } from './childEnv';
import { HeadTailBuffer } from './headTailBuffer';
import { RUN_MARKER, killTree, processesWithMarker } from './processTree';
import { RunningGroups, startWatchdog } from './runningGroups';
import { repositoryDotGit, sandboxStatus, sandboxed, type SandboxOptions, type SandboxStatus } from './sandbox';
import { resolveInside } from './workspacePaths';
import { statePath } from '../engine/stateFiles';

/** How the runner is set up for one workspace. */
export interface NodeCommandRunnerOptions {
  root: string;
  /** Absolute folder for full output logs, normally <root>/.goalpost/logs. */
  logDir: string;
  /** Bytes of output shown to the model (head + tail). Default 16 KiB. */
  outputCapBytes?: number;
  /** Base environment (default: process.env); secrets are stripped from it either way. */
  env?: NodeJS.ProcessEnv;
  /** Values that must never reach a command (the API key from SecretStorage, …); a function is asked per command. */
  extraSecrets?: readonly string[] | (() => readonly string[]);
  sandbox?: 'workspace-write' | 'off';
  sandboxNetwork?: boolean;
  /** The settings now, read for every command: when given, its sandbox settings win over the two above. */
  liveSettings?: () => Pick<EngineSettings, 'sandbox' | 'sandboxNetwork'>;
  /** Time between SIGTERM and SIGKILL. Default 2 s. */
  killGraceMs?: number;
  /** How long to wait for the output pipes after the command exited. Default 1 s. */
  pipeGraceMs?: number;
  /** Folder of the records of running command groups. Default <root>/.goalpost/running. */
  runningDir?: string;
}

const DEFAULT_CAP = 16 * 1024;
const SHELL = existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';

/** `promise`, or `fallback` after `ms`; the timer never outlives the race (it would hold the CLI open). */
async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs shell commands in the workspace. */
export class NodeCommandRunner implements CommandRunner {
  private readonly cap: number;
  private readonly killGraceMs: number;
  private readonly pipeGraceMs: number;
  /** The sandbox settings now (goalpost.sandbox may change between two commands). */
  private readonly sandbox: () => SandboxOptions;
  private readonly groups: RunningGroups;
  private reaped: Promise<number[]> | null = null;
  /** Watchdogs of finished commands whose background children still run (they die with Goalpost too). */
  private readonly lingering = new Map<string, { watchdog: ChildProcess | null; pgid: number }>();

  constructor(private readonly options: NodeCommandRunnerOptions) {
    if (!path.isAbsolute(options.logDir)) throw new Error(`logDir must be absolute (got ${options.logDir})`);
    this.cap = options.outputCapBytes ?? DEFAULT_CAP;
    this.killGraceMs = options.killGraceMs ?? 2000;
    this.pipeGraceMs = options.pipeGraceMs ?? 1000;
    const fixed: SandboxOptions = { mode: options.sandbox ?? 'workspace-write', network: options.sandboxNetwork ?? false };
    const live = options.liveSettings;
    this.sandbox = live
      ? (): SandboxOptions => {
          const s = live();
          return { mode: s.sandbox, network: s.sandboxNetwork };
        }
      : (): SandboxOptions => fixed;
    this.groups = new RunningGroups(options.runningDir ?? path.join(options.root, statePath('running')));
  }

  /**
   * Ends what commands of a killed earlier run left behind (recorded in .goalpost/running); once per
   * runner, before its first command. Returns the pids that were killed.
   */
  reapLeftovers(): Promise<number[]> {
    this.reaped ??= this.groups.reap().catch(() => []);
    return this.reaped;
  }

  /** Drops the watchdogs of finished commands once nothing of their run is left. */
  private async pruneLingering(): Promise<void> {
    for (const [marker, entry] of this.lingering) {
      if (processesWithMarker(marker).length > 0) continue;
      entry.watchdog?.kill('SIGKILL');
      this.lingering.delete(marker);
      await this.groups.remove(entry.pgid);
    }
  }

  /** Whether commands are confined (under the settings now), with a sentence the UI can show once. */
  sandboxStatus(): SandboxStatus {
    return sandboxStatus(this.sandbox());
  }

  async run(request: CommandRequest): Promise<CommandResult> {
    const started = performance.now();
    const cwd = await resolveInside(this.options.root, request.cwd ?? '');
    if (request.signal?.aborted) {
      return { exitCode: null, signal: null, timedOut: false, aborted: true, durationMs: 0, output: '', truncated: false, logPath: null };
    }
    await this.reapLeftovers();
    await this.pruneLingering();
    const log = await this.openLog(request.label);
    log.stream.write(`$ ${request.command}\n`);
    const capture = new HeadTailBuffer(this.cap);
    const marker = randomBytes(12).toString('hex');
    const secrets = typeof this.options.extraSecrets === 'function' ? this.options.extraSecrets() : this.options.extraSecrets ?? [];
    const env = { ...childEnv(this.options.env ?? process.env, secrets), [RUN_MARKER]: marker };
    // Read once per command: the command and its confinement below agree even if the setting changes meanwhile.
    const sandbox: SandboxOptions = request.sandbox ? { mode: request.sandbox.mode, network: request.sandbox.network } : this.sandbox();
    const { file, args } = sandboxed(sandbox, this.options.root, cwd, SHELL, ['-c', request.command]);
    // With the sandbox off nothing stops `mv .git ..`: notice it, so the engine can stop and say so.
    const dotGit = repositoryDotGit(realpathSync(this.options.root));

    const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // detached: the command leads its own process group, whose id is its pid.
    const pgid = child.pid;
    // In the sandbox, bwrap's --die-with-parent and its PID namespace already take everything down with
    // Goalpost (and with the command: nothing outlives the namespace); plainly run commands need the dog.
    const confined = sandboxStatus(sandbox).active;
    const watchdog = pgid && !confined ? startWatchdog(pgid, marker) : null;
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
      child.once('exit', (code, sig) => resolve({ code, signal: sig }));
    });
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const spawnFailed = new Promise<Error>((resolve) => child.once('error', resolve));
    for (const stream of [child.stdout, child.stderr]) {
      const decoder = new StringDecoder('utf8');
      stream.on('data', (chunk: Buffer) => {
        capture.push(chunk);
        log.stream.write(chunk);
        const text = decoder.write(chunk);
        if (text && request.onOutput) request.onOutput(text);
      });
    }

    // Recorded once every listener is attached: the command may well end during this write.
    if (pgid) await this.groups.add(pgid, marker, request.command);
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const stop = new Promise<'timeout' | 'abort'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.min(request.timeoutMs, 2 ** 31 - 1));
      onAbort = () => resolve('abort');
      request.signal?.addEventListener('abort', onAbort, { once: true });
      if (request.signal?.aborted) onAbort(); // fired while the group was being recorded
    });
    try {
      const first = await Promise.race([exited.then(() => 'exit' as const), stop, spawnFailed]);
      if (first instanceof Error) {
        const note = `failed to start the command: ${first.message}\n`;
        log.stream.write(note);
        capture.push(Buffer.from(note));
        return this.checkRepository(await this.finish(log, capture, started, { exitCode: null, signal: null, timedOut: false, aborted: false }), dotGit, request.command);
      }
      const pid = child.pid as number;
      if (first !== 'exit') await killTree(pid, marker, this.killGraceMs);
      const status = await within(exited, this.killGraceMs + 3000, { code: null, signal: 'SIGKILL' as NodeJS.Signals });
      // A background child may still hold stdout: give the pipes a moment, then stop the stragglers.
      const pipesClosed = await within(closed.then(() => true), this.pipeGraceMs, false);
      if (!pipesClosed) {
        await killTree(pid, marker, this.killGraceMs, true);
        child.stdout.destroy();
        child.stderr.destroy();
      }
      if (first === 'timeout') {
        capture.push(Buffer.from(`\n[timed out after ${formatSeconds(request.timeoutMs)}: the command and its child processes were stopped]\n`));
      } else if (first === 'abort') {
        capture.push(Buffer.from('\n[stopped: the command and its child processes were killed]\n'));
      }
      const killed = first !== 'exit';
      return this.checkRepository(await this.finish(log, capture, started, {
        exitCode: killed ? null : status.code,
        signal: status.signal ?? (killed ? 'SIGTERM' : null),
        timedOut: first === 'timeout',
        aborted: first === 'abort',
      }), dotGit, request.command);
    } finally {
      if (timer) clearTimeout(timer);
      if (onAbort) request.signal?.removeEventListener('abort', onAbort);
      if (pgid) await this.release(pgid, marker, watchdog, confined);
    }
  }

  /** `result` with repositoryLost set when the repository's `.git` was there before and is gone now. */
  private checkRepository(result: CommandResult, dotGit: string | null, command: string): CommandResult {
    if (dotGit === null || existsSync(dotGit)) return result;
    const repositoryLost = `The command \`${command.length > 120 ? `${command.slice(0, 117)}…` : command}\` deleted or moved the repository's ${dotGit}: Goalpost can no longer diff or commit. Put the .git folder back (or restore it from a backup), then resume the goal.`;
    return { ...result, repositoryLost };
  }

  /** After a command: its watchdog and record go, unless background children of it still run. */
  private async release(pgid: number, marker: string, watchdog: ChildProcess | null, confined: boolean): Promise<void> {
    // One /proc scan (about 10 ms) per plainly run command; a sandboxed one leaves nothing behind.
    if (!confined && processesWithMarker(marker).length > 0) {
      this.lingering.set(marker, { watchdog, pgid });
      return;
    }
    watchdog?.kill('SIGKILL');
    await this.groups.remove(pgid);
  }

  private async openLog(label: string): Promise<{ stream: WriteStream; abs: string }> {
    await fs.mkdir(this.options.logDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const safe = label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'command';
    for (let n = 0; ; n++) {
      const abs = path.join(this.options.logDir, `${stamp}-${safe}${n ? `-${n}` : ''}.log`);
      const stream = createWriteStream(abs, { flags: 'wx' });
      try {
        await new Promise<void>((resolve, reject) => {
          stream.once('open', () => resolve());
          stream.once('error', reject);
        });
        stream.on('error', () => undefined); // a full disk must not crash the host; the capped output still returns
        return { stream, abs };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) {
          throw new WorkspaceError(`Cannot create the command log in ${this.options.logDir}: ${(err as Error).message}`);
        }
      }
    }
  }

  private async finish(
    log: { stream: WriteStream; abs: string },
    capture: HeadTailBuffer,
    started: number,
    status: Pick<CommandResult, 'exitCode' | 'signal' | 'timedOut' | 'aborted'>,
  ): Promise<CommandResult> {
    const durationMs = performance.now() - started;
    const how = status.timedOut ? 'timed out' : status.aborted ? 'aborted' : status.exitCode !== null ? `exit ${status.exitCode}` : `signal ${status.signal ?? '?'}`;
    await new Promise<void>((resolve) => log.stream.end(`\n[${how} after ${Math.round(durationMs)} ms]\n`, () => resolve()));
    const logPath = path.relative(this.options.root, log.abs).split(path.sep).join('/');
    const { text, truncated } = capture.render(logPath);
    return { ...status, durationMs, output: text, truncated, logPath };
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
