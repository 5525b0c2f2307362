// Benchmark 2: does the context grow with the length of the goal? A goal of 220 tasks, one iteration
// each; the prompt tokens (o200k_base over the serialized messages + tools) of the first actor request
// of iteration 5 and of iteration 200 are compared, and the request is cut into its parts (system,
// tools, goal block, task, backlog view, checkpoint, last attempt, budget line) to show which one grows.
import { GoalController } from '../src/engine/loop/controller';
import { MAX_SUMMARY_CHARS } from '../src/engine/loop/promptBlocks';
import type { ModelRequest } from '../src/engine/ports';
import { makeDeps } from '../test/support/fakes/makeDeps';
import { chatBodyJson, sdkTools } from './kit/chatBody';
import { addingIterations, LONG_SPEC, longGoalFiles, PLANNED_TASKS, scriptLongGoal } from './kit/longGoal';
import { emitResult, runBenchmark, table } from './kit/report';
import { fixed, whole } from './kit/stats';
import { countTokens } from './kit/tokenizer';

/** Enough tasks that iteration 200 still has a full TODO view ahead of it. */
const TASKS = 220;
const EARLY = 5;
const LATE = 200;
const TARGET_RATIO = 1.25;
/** The cap the explanation names: the engine's own constant, so the text cannot drift from the code. */
const SUMMARY_CAP_CHARS = MAX_SUMMARY_CHARS;

/** The labelled sections of the actor's first user message (see prompts/continuation.md). */
const SECTIONS: [string, string][] = [
  ['goal block', '# Goal'],
  ['iteration + current task', '# Iteration'],
  ['backlog view', '\nBacklog:\n'],
  ['checkpoint summary', '\nProgress so far (checkpoint):\n'],
  ['last attempt', '\nPrevious attempt at this task:\n'],
  ['budget line + instructions', '\nBudget:'],
];

/** Tokens of each part of a first actor request. */
function parts(request: ModelRequest): Map<string, number> {
  const out = new Map<string, number>();
  const system = request.messages[0];
  const user = request.messages[1];
  out.set('system prompt', countTokens(system?.role === 'system' ? system.content : ''));
  out.set('tool definitions', countTokens(JSON.stringify(sdkTools(request.tools))));
  const text = user?.role === 'user' ? user.content : '';
  const starts = SECTIONS.map(([name, marker]) => [name, text.indexOf(marker)] as const);
  for (let i = 0; i < starts.length; i++) {
    const [name, at] = starts[i];
    if (at < 0) throw new Error(`section "${name}" not found in the actor's first message`);
    const end = i + 1 < starts.length ? starts[i + 1][1] : text.length;
    out.set(name, countTokens(text.slice(at, end)));
  }
  return out;
}

/** Characters of the checkpoint section of a first actor request. */
function checkpointLength(request: ModelRequest): number {
  const user = request.messages[1];
  const text = user?.role === 'user' ? user.content : '';
  const from = text.indexOf('\nProgress so far (checkpoint):\n');
  const to = text.indexOf('\nPrevious attempt at this task:\n');
  return from < 0 || to < 0 ? 0 : to - from;
}

function firstActorRequest(requests: ModelRequest[], iteration: number): ModelRequest {
  const found = requests.find((r) => r.role === 'actor' && r.messages.length === 2 && r.messages[1].role === 'user' && r.messages[1].content.includes(`# Iteration ${iteration}\n`));
  if (!found) throw new Error(`no first actor request for iteration ${iteration}`);
  return found;
}

async function main(): Promise<void> {
  const tasks = TASKS;
  // Schema validation of every save is the store's business, not the prompt's: off, to keep the run short.
  const rig = await makeDeps({ files: longGoalFiles(tasks), store: { maxSaves: 100_000, validate: false } });
  rig.runner.on('npm test', { exitCode: 0, output: '# tests 42\n# pass 42\n# fail 0\n' });
  const controller = new GoalController(rig.deps);
  await controller.start({ spec: LONG_SPEC, tokenBudget: null, id: 'bench-growth' });
  scriptLongGoal(rig.model, tasks);
  const started = performance.now();
  const goal = await controller.run();
  const seconds = (performance.now() - started) / 1000;
  const done = goal.backlog.filter((t) => t.status === 'done').length;
  if (goal.status !== 'achieved' || done !== tasks) throw new Error(`the long goal should end achieved with ${tasks} tasks done, not ${goal.status} with ${done}: ${goal.reason ?? ''}`);

  const requests = rig.model.requests.map((r) => r.request);
  const early = firstActorRequest(requests, EARLY);
  const late = firstActorRequest(requests, LATE);
  const earlyTokens = countTokens(chatBodyJson(early));
  const lateTokens = countTokens(chatBodyJson(late));
  const ratio = lateTokens / earlyTokens;
  const earlyParts = parts(early);
  const lateParts = parts(late);
  const names = [...earlyParts.keys()];
  const delta = (name: string): number => (lateParts.get(name) ?? 0) - (earlyParts.get(name) ?? 0);
  const rows = names.map((name) => [name, whole(earlyParts.get(name) ?? 0), whole(lateParts.get(name) ?? 0), `${delta(name) >= 0 ? '+' : ''}${whole(delta(name))}`]);
  const growth = names.map((name) => [name, delta(name)] as const).sort((x, y) => y[1] - x[1]);
  const grew = growth.filter(([, d]) => d > 0);
  const cause = grew.length === 0
    ? 'No part grows.'
    : `Growth by part: ${grew.map(([name, d]) => `${name} +${whole(d)}`).join(', ')} tokens.`;

  // The curve over the whole goal: where the checkpoint stops growing (characters, every iteration) and
  // the tokens at sample iterations (tokenizing all 220 bodies would add seconds for no new information).
  const checkpointChars = Array.from({ length: tasks }, (_, i) => checkpointLength(firstActorRequest(requests, i + 1)));
  const capChars = Math.max(...checkpointChars);
  const capAt = checkpointChars.findIndex((c) => c >= capChars - 300) + 1;
  const tokensAt = (n: number): number => countTokens(chatBodyJson(firstActorRequest(requests, n)));
  const plateauSamples = Array.from({ length: tasks }, (_, i) => i + 1).filter((n) => n >= 50 && n % 10 === 0).map(tokensAt);
  const samples = [1, EARLY, 10, 15, 20, 25, 30, 50, 100, 150, LATE, tasks].filter((n) => n <= tasks);
  const curveRows = samples.map((n) => {
    const r = firstActorRequest(requests, n);
    const t = countTokens(chatBodyJson(r));
    return [n, whole(t), whole(parts(r).get('checkpoint summary') ?? 0), fixed(t / earlyTokens, 3)];
  });
  const checkpointGrowth = (lateParts.get('checkpoint summary') ?? 0) - (earlyParts.get('checkpoint summary') ?? 0);
  // What cap would have met the target: the checkpoint's share of the allowed growth, in characters.
  const otherGrowth = names.filter((n) => n !== 'checkpoint summary').reduce((sum, n) => sum + delta(n), 0);
  const allowedCheckpoint = (earlyParts.get('checkpoint summary') ?? 0) + TARGET_RATIO * earlyTokens - earlyTokens - otherGrowth;
  const charsPerToken = capChars / (lateParts.get('checkpoint summary') ?? 1);
  // The section carries a label and the untrusted-data wrapper besides the summary itself.
  const wrapperChars = Math.max(0, capChars - SUMMARY_CAP_CHARS);
  const neededCap = Math.floor((allowedCheckpoint * charsPerToken - wrapperChars) / 100) * 100;
  const plateau = `The checkpoint section grows by one line per finished task (\`[tN] done: title — summary\`, extendCheckpoint) until iteration ${capAt}, where it reaches ${whole(capChars)} characters: the summary is capped at MAX_SUMMARY_CHARS = ${whole(SUMMARY_CAP_CHARS)} characters (src/engine/loop/promptBlocks.ts, in extendCheckpoint and checkpointText); ` +
    `after that the request is flat (every 10th iteration from 50 to ${tasks}: ${whole(Math.min(...plateauSamples))}–${whole(Math.max(...plateauSamples))} tokens). ` +
    `The context is therefore bounded, but the bound lies ${whole(checkpointGrowth)} tokens (the checkpoint alone) above iteration ${EARLY}'s ${whole(earlyTokens)}-token request, ` +
    `${ratio <= TARGET_RATIO ? 'within' : 'which alone exceeds'} the ${TARGET_RATIO} ratio. ` +
    `With these summaries (~${fixed(charsPerToken, 1)} characters per token) the ratio would hold with the checkpoint section at most ~${whole(allowedCheckpoint)} tokens, i.e. a summary cap of about ${whole(neededCap)} characters, or a checkpoint that keeps a fixed number of recent lines plus a one-line count of the older ones.`;

  console.log(`contextGrowth: ${tasks} tasks, ${goal.iteration} iterations, ${requests.length} requests in ${fixed(seconds, 1)} s (${goal.status})`);
  console.log(`  first actor request, iteration ${EARLY}: ${whole(earlyTokens)} tokens; iteration ${LATE}: ${whole(lateTokens)} tokens; ratio ${fixed(ratio, 3)} (target ≤ ${TARGET_RATIO})`);
  for (const r of rows) console.log(`    ${String(r[0]).padEnd(28)} ${String(r[1]).padStart(7)} → ${String(r[2]).padStart(7)}  (${r[3]})`);
  console.log(`  ${cause}`);
  for (const r of curveRows) console.log(`    iteration ${String(r[0]).padStart(3)}: ${String(r[1]).padStart(6)} tokens (checkpoint ${r[2]}), ×${r[3]}`);
  console.log(`  ${plateau}`);

  const markdown = [
    `Goal of ${tasks} tasks (${PLANNED_TASKS} planned, ${tasks - PLANNED_TASKS} added by the actor in the first ${addingIterations(tasks)} iterations), one iteration each (read_file + edit_file + finish_task, checks pass, review approves), ${requests.length} requests, ended \`${goal.status}\`. Tokens: o200k_base over the serialized body (model, tools, messages).`,
    '',
    table(['first actor request', `iteration ${EARLY}`, `iteration ${LATE}`, 'ratio', 'target'], [['tokens', whole(earlyTokens), whole(lateTokens), fixed(ratio, 3), `≤ ${TARGET_RATIO}`]]),
    '',
    'Where the tokens are (parts of the same two requests; the parts add up to slightly less than the body, which also carries JSON framing):',
    '',
    table(['part', `iteration ${EARLY}`, `iteration ${LATE}`, 'change'], rows),
    '',
    cause,
    '',
    table(['iteration', 'first actor request tok', 'checkpoint summary tok', `× iteration ${EARLY}`], curveRows),
    '',
    plateau,
  ].join('\n');
  emitResult({
    name: 'contextGrowth',
    title: 'Context growth over a long goal',
    targets: [{ target: `prompt tokens of iteration ${LATE} ÷ iteration ${EARLY} (first actor request) ≤ ${TARGET_RATIO}`, measured: `${whole(earlyTokens)} → ${whole(lateTokens)} tokens, ratio ${fixed(ratio, 3)}`, met: ratio <= TARGET_RATIO }],
    markdown,
  });
}

runBenchmark(main);
