// `goalpost history`, `report`, `edit`, `budget` and `replan` on real goals run by the built CLI
// (PRODUCT.md F8, F13).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { byRole, startScriptedServer, toolCall, type ScriptedServer } from '../../support/scriptedServer';
import { HistoryEntry } from '../../../src/cli/commands/history';
import { useBuiltCli, cliEnv, FAST, gitLog, makeRepo, readGoal, readStatusLog, requestText, runCli, task, type TestRepo } from '../helpers';
import { OBJECTIVE } from './scripts';

const HOSTILE = '<img src=x onerror=alert(1)> [link](http://evil.example) # heading';

describe('goalpost history and report', function () {
  let repo: TestRepo;
  let server: ScriptedServer | null = null;

  useBuiltCli(() => ({ repo, server }));

  const cli = (args: string[]): ReturnType<typeof runCli> => runCli(args, { cwd: repo.dir, env: cliEnv(server?.baseUrl ?? 'http://127.0.0.1:9/v1') });

  it('lists goals and reports one as Markdown and as escaped, self-contained HTML', async () => {
    repo = makeRepo();
    server = await startScriptedServer(byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] })],
      actor: [
        toolCall('edit_file', { path: 'math.js', old_text: 'return a - b;', new_text: 'return a + b;' }),
        toolCall('finish_task', { summary: `Fixed. ${HOSTILE}` }),
      ],
      reviewer: [
        toolCall('submit_review', { verdict: 'approve', summary: 'Correct fix.', notes: [{ path: 'math.js', line: 2, severity: 'warning', message: `Note ${HOSTILE}` }] }),
        toolCall('submit_review', { verdict: 'approve', summary: 'The goal is met.', notes: [] }),
      ],
    }));
    const run = await cli(['run', OBJECTIVE, ...FAST, '--goal-id', 'rep', '--validate', 'node test.js']);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);

    const history = await cli(['history', '--json']);
    assert.equal(history.code, 0, history.stderr);
    const entries = HistoryEntry.array().parse(JSON.parse(history.stdout));
    assert.deepEqual(entries.map((e) => [e.id, e.status, e.current, e.tasks.done, e.commits]), [['rep', 'achieved', true, 1, 1]]);
    const plain = await cli(['history']);
    // Ended today: the local clock alone, padded to the dated width so the columns stay (src/timeFormat.ts);
    // dated if the run crossed midnight.
    assert.match(plain.stdout, /^\* rep\s+achieved\s+(?:\d{2}:\d{2}:\d{2} {13}|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} {2})1\/1 tasks/m);

    const md = await cli(['report']);
    assert.equal(md.code, 0, md.stderr);
    const sha = gitLog(repo.dir)[0].sha;
    assert.match(md.stdout, /^# Goalpost report: goal rep$/m);
    assert.match(md.stdout, /\*\*Outcome:\*\* achieved — .*node test\.js/);
    assert.match(md.stdout, /## Evidence[\s\S]*completion audit — The goal is met\./);
    assert.match(md.stdout, /### t1 · Fix add in math\.js — done/);
    assert.ok(md.stdout.includes(sha.slice(0, 12)), 'the task\'s commit');
    assert.match(md.stdout, /✔ ` node test\.js ` — exit 0/);
    assert.match(md.stdout, /warning ` math\.js:2 `: Note &lt;img src=x onerror=alert\\\(1\\\)&gt; \\\[link\\\]\\\(http:\/\/evil\.example\\\) \\# heading/);
    assert.match(md.stdout, /\| actor \| 2 \| [\d,]+ \|/);
    assert.match(md.stdout, /\| total \| \d+ \|/);
    assert.match(md.stdout, /## Timeline[\s\S]*\*\*goal\*\* started:[\s\S]*\*\*goal\*\* achieved/);
    assert.doesNotMatch(md.stdout, /<img|\]\(http/);

    const out = path.join(repo.base, 'out', 'report.html');
    const html = await cli(['report', '--format', 'html', '--goal-id', 'rep', '-o', out]);
    assert.equal(html.code, 0, html.stderr);
    const page = fs.readFileSync(out, 'utf8');
    assert.match(page, /^<!DOCTYPE html>/);
    assert.match(page, /Content-Security-Policy" content="default-src 'none'/);
    assert.ok(page.includes('Note &lt;img src=x onerror=alert(1)&gt;'), 'the note, escaped');
    assert.doesNotMatch(page, /<img|<script|<link|src="http|href=/, 'nothing active and nothing loaded');

    const missing = await cli(['report', '--goal-id', 'nope']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /There is no goal nope in .*goalpost history/);
    const badFormat = await cli(['report', '--format', 'pdf']);
    assert.match(badFormat.stderr, /Invalid value for --format \(got "pdf"\): expected md or html/);
  });

  it('edit, budget and replan change a stopped goal without resuming it; the next resume uses them', async () => {
    repo = makeRepo();
    let script = byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Fix add in math.js')], validation_commands: [] })],
      actor: [toolCall('read_file', { path: 'math.js' }, { usage: { prompt_tokens: 3000, completion_tokens: 9000 } })],
      compaction: [{ content: 'WRAP-UP: read math.js.', usage: { prompt_tokens: 100, completion_tokens: 20 } }],
    });
    server = await startScriptedServer((req) => script(req));
    const first = await cli(['run', OBJECTIVE, ...FAST, '--goal-id', 'chg', '--budget', '10k', '--validate', 'node test.js']);
    assert.equal(first.code, 3, `${first.stdout}\n${first.stderr}`);
    const sent = server.requests.length;
    assert.ok(readStatusLog(repo.dir).some((l) => l.endsWith('budget reached: wrap-up summary saved as the checkpoint: WRAP-UP: read math.js.')), 'the wrap-up summary is logged');

    const budget = await cli(['budget', '2m']);
    assert.equal(budget.code, 0, budget.stderr);
    assert.match(budget.stdout, /Budget of goal chg \(budget-limited\) set: [\d,]+ \/ 2,000,000 tok .*It was not resumed/);
    const edit = await cli(['edit', 'Make add() add, and document it in a README.']);
    assert.equal(edit.code, 0, edit.stderr);
    const replan = await cli(['replan']);
    assert.equal(replan.code, 0, replan.stderr);
    assert.match(replan.stdout, /re-plans first when it resumes/);
    const goal = readGoal(repo.dir);
    assert.equal(goal.status, 'budget-limited', 'nothing resumed it');
    assert.equal(goal.budget.tokenBudget, 2_000_000);
    assert.equal(goal.spec.objective, 'Make add() add, and document it in a README.');
    assert.equal(goal.previousObjective, OBJECTIVE);
    assert.equal(server.requests.length, sent, 'no model request');

    const badBudget = await cli(['budget', 'lots']);
    assert.equal(badBudget.code, 1);
    assert.match(badBudget.stderr, /Invalid value for the token budget argument \(got "lots"\)/);

    // The resume re-plans first, and the planner is told the new objective.
    // The plan reports more tokens than the budget holds, so the run stops right after it (wrap-up, exit 3).
    script = byRole({
      planner: [toolCall('submit_plan', { tasks: [task('Add a README')], validation_commands: [] }, { usage: { prompt_tokens: 2_100_000, completion_tokens: 10 } })],
      compaction: [{ content: 'WRAP-UP: re-planned.', usage: { prompt_tokens: 100, completion_tokens: 20 } }],
    });
    const resumed = await cli(['run', '--resume', ...FAST]);
    assert.equal(resumed.code, 3, `${resumed.stdout}\n${resumed.stderr}`);
    assert.deepEqual(readGoal(repo.dir).backlog.map((t) => t.title), ['Fix add in math.js', 'Add a README']);
    assert.ok(!fs.existsSync(path.join(repo.dir, '.goalpost', 'replan-requested')), 'the re-plan request was used up');
    assert.match(resumed.stdout, /Re-planning first/);
    const planner = server.requests.slice(sent).find((r) => r.role === 'planner');
    assert.ok(planner, `a planner request after the resume\n${resumed.stdout}\n${resumed.stderr}`);
    assert.match(requestText(planner), /document it in a README/);
  });
});
