// Benchmark 1: how much of every request a provider's prompt cache can reuse. Runs a realistic goal
// (12+ tasks, several actor steps per task, reviews, a blocker, an audit that finds one more task) over
// the fakes and reports, per role: the system prompt's tokens, the tool definitions' tokens, the longest
// common prefix of all the role's serialized requests, and whether system + tools + the goal block are
// byte-identical across every request of the goal (prompt caching depends on exactly that).
import type { Role } from '../src/engine/goal';
import { GoalController } from '../src/engine/loop/controller';
import type { ModelRequest } from '../src/engine/ports';
import { makeDeps } from '../test/support/fakes/makeDeps';
import { chatBodyJson, sdkTools } from './kit/chatBody';
import { REALISTIC_FILES, REALISTIC_SPEC, scriptRealisticGoal } from './kit/realisticGoal';
import { emitResult, runBenchmark, table } from './kit/report';
import { fixed, whole } from './kit/stats';
import { commonPrefixLength, countTokens, encode } from './kit/tokenizer';

/** The goal block of a request: its first user message up to the end of the validation-command list. */
export function goalBlockOf(request: ModelRequest): string | null {
  const user = request.messages.find((m) => m.role === 'user');
  if (!user || user.role !== 'user' || !user.content.startsWith('# Goal')) return null;
  const at = user.content.indexOf('\nValidation commands');
  if (at < 0) return null;
  const end = user.content.indexOf('\n\n', at + 1);
  return end < 0 ? user.content : user.content.slice(0, end);
}

/** The part of a request that should never change during a goal: model, tools, system, goal block. */
export function fixedPrefix(request: ModelRequest): string {
  const system = request.messages[0]?.role === 'system' ? request.messages[0].content : '';
  return JSON.stringify({ model: request.model, tools: sdkTools(request.tools), system, goal: goalBlockOf(request) });
}

/** Figures of one role. */
interface RoleFigures {
  role: Role;
  requests: number;
  systemTokens: number;
  toolTokens: number;
  goalBlockTokens: number;
  medianRequestTokens: number;
  lcpTokens: number;
  distinctPrefixes: number;
  /** Mean share of a request that is a prefix of the role's previous request (what a warm cache reuses). */
  reuseShare: number;
}

function roleFigures(role: Role, requests: ModelRequest[]): RoleFigures {
  const tokens = requests.map((r) => encode(chatBodyJson(r)));
  let lcp = tokens[0].length;
  for (const t of tokens) lcp = Math.min(lcp, commonPrefixLength(tokens[0], t));
  let reuse = 0;
  for (let i = 1; i < tokens.length; i++) reuse += commonPrefixLength(tokens[i - 1], tokens[i]) / tokens[i].length;
  const sizes = tokens.map((t) => t.length).sort((a, b) => a - b);
  const first = requests[0];
  return {
    role,
    requests: requests.length,
    systemTokens: countTokens(first.messages[0]?.role === 'system' ? first.messages[0].content : ''),
    toolTokens: countTokens(JSON.stringify(sdkTools(first.tools))),
    goalBlockTokens: countTokens(goalBlockOf(first) ?? ''),
    medianRequestTokens: sizes[Math.floor(sizes.length / 2)],
    lcpTokens: lcp,
    distinctPrefixes: new Set(requests.map(fixedPrefix)).size,
    reuseShare: tokens.length > 1 ? reuse / (tokens.length - 1) : 0,
  };
}

async function main(): Promise<void> {
  const rig = await makeDeps({ files: REALISTIC_FILES, settings: { maxAttemptsPerTask: 3, noProgressIterations: 5 } });
  const controller = new GoalController(rig.deps);
  await controller.start({ spec: REALISTIC_SPEC, tokenBudget: null, id: 'bench-prefix' });
  scriptRealisticGoal(rig);
  const goal = await controller.run();
  if (goal.status !== 'achieved') throw new Error(`the scripted goal should end achieved, not ${goal.status}: ${goal.reason ?? ''}`);

  const all = rig.model.requests;
  const roles: Role[] = ['planner', 'actor', 'reviewer', 'compaction'];
  const figures = roles
    .map((role) => all.filter((r) => r.role === role).map((r) => r.request))
    .filter((list) => list.length > 0)
    .map((list) => roleFigures(list[0].role, list));
  const blocks = new Set(all.map((r) => goalBlockOf(r.request)));
  const distinctOverall = new Set(all.map((r) => fixedPrefix(r.request))).size;
  const identical = figures.every((f) => f.distinctPrefixes === 1) && blocks.size === 1 && !blocks.has(null);
  const done = goal.backlog.filter((t) => t.status === 'done').length;
  const bySource = (source: string): number => goal.backlog.filter((t) => t.source === source).length;
  const outcomes = goal.backlog.flatMap((t) => t.attempts.map((a) => a.outcome));
  if (bySource('audit') !== 1 || bySource('actor') !== 1 || !outcomes.includes('blocker') || !outcomes.includes('changes-requested')) {
    throw new Error(`the scripted goal drifted from its design: ${goal.backlog.map((t) => `${t.id}:${t.source}:${t.attempts.map((a) => a.outcome).join('/')}`).join(' ')}`);
  }

  console.log(`promptPrefix: ${all.length} requests, ${done} tasks done, ${goal.reviews.length} reviews, ${goal.iteration} iterations (${goal.status})`);
  for (const f of figures) {
    console.log(`  ${f.role.padEnd(9)} requests ${String(f.requests).padStart(3)}  system ${f.systemTokens} tok  tools ${f.toolTokens} tok  goal block ${f.goalBlockTokens} tok  ` +
      `median request ${f.medianRequestTokens} tok  common prefix ${f.lcpTokens} tok  fixed prefix identical: ${f.distinctPrefixes === 1 ? 'yes' : 'no'} (${f.distinctPrefixes} distinct)  ` +
      `reuse from previous request ${fixed(f.reuseShare * 100, 1)} %`);
  }
  console.log(`  goal block identical across all ${all.length} requests: ${blocks.size === 1 && !blocks.has(null) ? 'yes' : 'no'} (${blocks.size} distinct); distinct fixed prefixes overall: ${distinctOverall} (one per role is ideal)`);

  const rows = figures.map((f) => [
    f.role, f.requests, whole(f.systemTokens), whole(f.toolTokens), whole(f.goalBlockTokens), whole(f.medianRequestTokens),
    whole(f.lcpTokens), f.distinctPrefixes === 1 ? 'yes' : 'no', f.distinctPrefixes, `${fixed(f.reuseShare * 100, 1)} %`,
  ]);
  const markdown = [
    `Scripted goal: ${done} tasks done (${bySource('planner')} planned, ${bySource('actor')} added by the actor, ${bySource('audit')} from the audit; one blocker, one turn without a submit, two change requests), ` +
      `${goal.reviews.length} reviews, ${all.length} requests (${figures.map((f) => `${f.requests} ${f.role}`).join(', ')}), ended \`${goal.status}\`. Tokens: o200k_base over the serialized Chat Completions body.`,
    '',
    table(['role', 'requests', 'system tok', 'tools tok', 'goal block tok', 'median request tok', 'common prefix tok (all requests)', 'system+tools+goal block identical', 'distinct prefixes', 'mean reuse of previous request'], rows),
    '',
    `Goal block identical across all ${all.length} requests of all roles: **${blocks.size === 1 && !blocks.has(null) ? 'yes' : 'no'}** (${blocks.size} distinct). Distinct fixed prefixes over the whole goal: ${distinctOverall} (one per role).`,
  ].join('\n');
  emitResult({
    name: 'promptPrefix',
    title: 'Prompt prefix stability',
    targets: [{ target: 'system + tools + goal block byte-identical across every request of a role', measured: `${identical ? 'yes' : 'no'} (${distinctOverall} distinct prefixes for ${figures.length} roles)`, met: identical }],
    markdown,
  });
}

runBenchmark(main);
