// The demo's scripted model behind the real engine (over the in-memory fakes): it plays the whole loop
// to `achieved`, streams its text, is stateless (a pause mid-task resumes at the right step), and the
// engine's live step events name each tool call's target and each command.
import assert from 'node:assert/strict';
import { DemoModel, DEMO_TASKS } from '../../../../src/adapters/demo/demoModel';
import { DEMO_EDITS, SAMPLE_FILES } from '../../../../src/adapters/demo/sampleFiles';
import { DEMO_SPEC, DEMO_TOKEN_BUDGET, demoSettings } from '../../../../src/engine/demo';
import { GoalController } from '../../../../src/engine/loop/controller';
import type { StepEvent } from '../../../../src/engine/loop/deps';
import { applyStep } from '../../../../src/vscode/liveSteps';
import { makeDeps, type TestRig } from '../../../support/fakes/makeDeps';
import type { LiveView } from '../../../../src/protocol';

const instant = { stepDelayMs: 0, sleep: (): Promise<void> => Promise.resolve() };

async function demoRig(model: DemoModel): Promise<{ rig: TestRig; controller: GoalController; steps: StepEvent[] }> {
  const rig = await makeDeps({ files: { ...SAMPLE_FILES } });
  const steps: StepEvent[] = [];
  rig.deps.model = model;
  rig.deps.settings = () => demoSettings(rig.settings);
  rig.deps.observer = { ...rig.deps.observer, step: (e) => steps.push(e) };
  rig.runner.on('npm test', { exitCode: 0, output: '# pass 3' });
  const controller = new GoalController(rig.deps);
  await controller.start({ spec: DEMO_SPEC, tokenBudget: DEMO_TOKEN_BUDGET, id: 'demo-test' });
  return { rig, controller, steps };
}

describe('DemoModel', () => {
  it('plays plan, edits, checks, reviews and the audit to achieved, with the demo\'s files and $0', async () => {
    const { rig, controller, steps } = await demoRig(new DemoModel(instant));
    const goal = await controller.run();
    assert.equal(goal.status, 'achieved', goal.reason ?? '');
    assert.deepEqual(goal.backlog.map((t) => [t.title, t.status]), DEMO_TASKS.map((t) => [t.title, 'done']));
    assert.equal((await rig.workspace.readText('src/calc.js')), DEMO_EDITS.calc);
    assert.equal((await rig.workspace.readText('README.md')), DEMO_EDITS.readme);
    assert.equal(goal.usage.total.costUsd, 0);
    assert.ok(goal.usage.total.tokens > 0, 'the gauge moves: tokens are estimated');
    assert.deepEqual(goal.reviews.map((r) => [r.taskId, r.verdict]), [['t1', 'approve'], ['t2', 'approve'], [null, 'approve']]);

    // Live steps: every tool call with its target, the agent's and the engine's commands, streamed text.
    const tools = steps.filter((s): s is Extract<StepEvent, { kind: 'tool' }> => s.kind === 'tool').map((s) => `${s.role} ${s.name} ${s.target}`);
    assert.ok(tools.includes('actor write_file src/calc.js'), tools.join('\n'));
    assert.ok(tools.includes('planner list_files .'), tools.join('\n'));
    const commands = steps.filter((s): s is Extract<StepEvent, { kind: 'command' }> => s.kind === 'command' && s.running).map((s) => `${s.origin} ${s.command}`);
    assert.deepEqual(commands, ['agent npm test', 'check npm test', 'check npm test', 'check npm test']);
    const text = steps.filter((s): s is Extract<StepEvent, { kind: 'text' }> => s.kind === 'text').map((s) => s.delta).join('');
    assert.match(text, /I will look at the calculator first\./);
    assert.equal(steps[steps.length - 1].kind, 'idle', 'the live view ends idle');
  });

  it('is stateless: a pause in the middle of a task resumes at the step the conversation shows', async () => {
    let requests = 0;
    let controller: GoalController | null = null;
    const inner = new DemoModel(instant);
    // Pause at the actor's second request of task 1 (after it read src/calc.js).
    const model = {
      complete: async (...args: Parameters<DemoModel['complete']>) => {
        requests++;
        if (requests === 5 && controller) void controller.pause();
        return inner.complete(...args);
      },
    };
    const rig = await demoRig(model as DemoModel);
    controller = rig.controller;
    const paused = await controller.run();
    assert.equal(paused.status, 'paused');
    const goal = await controller.resume();
    assert.equal(goal.status, 'achieved', goal.reason ?? '');
    assert.equal((await rig.rig.workspace.readText('test/calc.test.js')), DEMO_EDITS.test);
  });

  it('reports an abort as ModelError aborted while it "streams"', async () => {
    const abort = new AbortController();
    const model = new DemoModel({ stepDelayMs: 50, sleep: (_ms, signal) => new Promise((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true })) });
    const pending = model.complete({ role: 'planner', model: 'goalpost-demo', messages: [{ role: 'user', content: 'x' }], tools: [] }, abort.signal);
    abort.abort();
    await assert.rejects(pending, (e: Error & { kind?: string }) => e.kind === 'aborted');
  });
});

describe('live view state', () => {
  const idle: LiveView = { folder: '/w', kind: 'idle', role: null, label: '', target: '', text: '', retry: null, commandRunning: false };

  it('shows the tool call and its target, the streamed text, a command, and "retrying in N s (k/5)"', () => {
    let v = applyStep(idle, { kind: 'request', role: 'actor' });
    v = applyStep(v, { kind: 'text', role: 'actor', delta: 'Reading ' });
    v = applyStep(v, { kind: 'text', role: 'actor', delta: 'the file.' });
    assert.equal(v.text, 'Reading the file.');
    v = applyStep(v, { kind: 'tool', role: 'actor', name: 'read_file', target: 'src/calc.js' });
    assert.deepEqual([v.kind, v.label, v.target], ['tool', 'read_file', 'src/calc.js']);
    v = applyStep(v, { kind: 'command', command: 'npm test', origin: 'agent', running: true });
    assert.deepEqual([v.kind, v.label, v.commandRunning], ['command', 'npm test', true]);
    v = applyStep(v, { kind: 'command', command: 'npm test', origin: 'agent', running: false });
    assert.equal(v.commandRunning, false);
    v = applyStep(v, { kind: 'retry', role: 'actor', delayMs: 2000, attempt: 2, maxAttempts: 5, message: 'fetch failed' });
    assert.deepEqual(v.retry, { seconds: 2, attempt: 2, maxAttempts: 5, message: 'fetch failed' });
    v = applyStep(v, { kind: 'request', role: 'actor' });
    assert.equal(v.retry, null, 'the retry is over once the request goes out again');
    assert.equal(v.text, 'Reading the file.\n', 'the turn\'s text stays for the same role, each answer on its own line');
    v = applyStep(v, { kind: 'request', role: 'reviewer' });
    assert.equal(v.text, '', 'a new role starts a new text');
    assert.equal(applyStep(v, { kind: 'idle' }).kind, 'idle');
  });
});
