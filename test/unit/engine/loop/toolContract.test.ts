// The model-facing tool contract of F9 as the loop offers it, and malformed calls answered with readable
// errors while the goal carries on.
import * as assert from 'node:assert/strict';
import { call, rawCall, reply } from '../../../support/fakes/scriptedModel';
import { approve, finish, plan, startGoal, toolResults, writeAndFinish } from './loopKit';

const READ = ['list_files', 'read_file', 'search_text'];

describe('loop: tool contract', () => {
  it('offers each role exactly its tools', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor', ...writeAndFinish('g.js', 'g\n'));
    rig.model.otherwise('reviewer', approve());

    await controller.run();

    const names = (role: 'planner' | 'actor' | 'reviewer'): string[][] =>
      rig.model.requestsFor(role).map((r) => r.tools.map((t) => t.name).sort());
    for (const tools of names('planner')) assert.deepEqual(tools, [...READ, 'submit_plan'].sort());
    for (const tools of names('actor')) {
      assert.deepEqual(tools, [...READ, 'write_file', 'edit_file', 'delete_file', 'run_command', 'add_tasks', 'finish_task', 'report_blocker'].sort());
      assert.equal(tools.length, 10, 'PRODUCT.md F9 lists ten actor tools');
    }
    for (const tools of names('reviewer')) assert.deepEqual(tools, [...READ, 'submit_review'].sort());
    // Every tool carries a JSON Schema object closed to extra properties.
    for (const t of rig.model.requestsFor('actor')[0].tools) {
      assert.equal(t.parameters.type, 'object', t.name);
      assert.equal(t.parameters.additionalProperties, false, t.name);
      assert.ok(t.description.length > 10, t.name);
    }
    assert.deepEqual(Object.keys(rig.model.requestsFor('actor')[0].tools.find((t) => t.name === 'write_file')?.parameters.properties ?? {}).sort(), ['content', 'path']);
  });

  it('answers invalid JSON, invalid arguments and unknown tools with readable errors, and carries on', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor',
      reply(rawCall('write_file', '{"path": "g.js", "content": ')),
      reply(call('write_file', { path: 'g.js' })),
      reply(call('launch_rockets', { count: 3 })),
      reply(call('finish_task', { summary: '' })),
      ...writeAndFinish('g.js', 'g\n'));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    const results = toolResults(rig.model.requestsFor('actor')[5]);
    assert.match(results[0], /^The arguments of write_file were not valid JSON \(.+\)\. Send one JSON object matching the tool's parameters\.$/);
    assert.match(results[1], /^Invalid arguments for write_file:\n- content: .+\nFix these and call write_file again\.$/);
    assert.match(results[2], /^Unknown tool "launch_rockets"\. Available tools: list_files, read_file, search_text, write_file, edit_file, delete_file, run_command, add_tasks, finish_task, report_blocker\.$/);
    assert.match(results[3], /^Invalid arguments for finish_task:\n- summary: /, 'an invalid finish_task does not end the turn');
    assert.equal(rig.workspace.get('g.js'), 'g\n');
  });

  it('refuses to write the editor\'s settings of the folder (.vscode/settings.json configures the sandbox and other extensions)', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor',
      reply(call('write_file', { path: '.vscode/settings.json', content: '{"goalpost.sandbox": "off"}' })),
      reply(call('edit_file', { path: './.vscode/settings.json', old_text: '{', new_text: '{"x": 1,' })),
      finish());
    rig.model.otherwise('reviewer', approve());
    await controller.run();
    const results = toolResults(rig.model.requestsFor('actor')[2]);
    assert.match(results[0], /protected/i);
    assert.match(results[1], /protected/i);
    assert.equal(rig.workspace.get('.vscode/settings.json'), undefined);
  });

  it('refuses paths outside the workspace, under .git/ and the engine\'s own files', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor',
      reply(call('write_file', { path: '../escape.txt', content: 'x' })),
      reply(call('read_file', { path: '/etc/passwd' })),
      reply(call('write_file', { path: '.git/hooks/pre-commit', content: 'x' })),
      reply(call('write_file', { path: 'BACKLOG.md', content: 'mine now' })),
      reply(call('delete_file', { path: '.goalpost/backlog-base.journal' })),
      finish());
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    const results = toolResults(rig.model.requestsFor('actor')[5]);
    assert.match(results[0], /leaves the workspace/);
    assert.match(results[1], /is absolute/);
    assert.match(results[2], /\.git/);
    assert.match(results[3], /BACKLOG\.md is managed by Goalpost .*Use add_tasks/);
    assert.match(results[4], /managed by Goalpost/);
    assert.equal(rig.workspace.get('BACKLOG.md')?.includes('mine now'), false);
    assert.notEqual(rig.workspace.get('.goalpost/backlog-base.journal'), undefined);
    assert.equal(goal.status, 'achieved');
  });

  it('run_command returns {exit_code, output, truncated, duration_ms} and refuses denied commands', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Build']));
    rig.runner.on('npm run build', { exitCode: 2, output: 'error TS2304: Cannot find name x' });
    rig.model.script('actor',
      reply(call('run_command', { command: 'npm run build' })),
      reply(call('run_command', { command: 'git push origin main' })),
      reply(call('run_command', { command: 'sudo rm -rf /' })),
      finish());
    rig.model.otherwise('reviewer', approve());

    await controller.run();

    const results = toolResults(rig.model.requestsFor('actor')[3]);
    const first = JSON.parse(results[0]) as Record<string, unknown>;
    assert.equal(first.exit_code, 2);
    assert.equal(first.output, 'error TS2304: Cannot find name x');
    assert.equal(first.truncated, false);
    assert.equal(typeof first.duration_ms, 'number');
    assert.match(results[1], /^Command refused: /);
    assert.match(results[2], /^Command refused: /);
    assert.deepEqual(rig.runner.commands().filter((c) => c !== 'npm test'), ['npm run build'], 'denied commands never reach the runner');
  });

  it('add_tasks adds tasks (source actor) at once and does not end the turn', async () => {
    const { rig, controller } = await startGoal();
    rig.model.script('planner', plan(['Greet']));
    rig.model.script('actor',
      reply(call('add_tasks', { tasks: [{ title: 'Add farewell', details: 'Later.', acceptance: 'farewell works' }] })),
      ...writeAndFinish('g.js', 'g\n'),
      ...writeAndFinish('f.js', 'f\n'));
    rig.model.otherwise('reviewer', approve());

    const goal = await controller.run();

    assert.equal(goal.status, 'achieved');
    assert.deepEqual(goal.backlog.map((t) => [t.id, t.title, t.source, t.status]), [['t1', 'Greet', 'planner', 'done'], ['t2', 'Add farewell', 'actor', 'done']]);
    assert.ok(rig.statusLog.has('actor added 1 task: Add farewell'));
    assert.equal(toolResults(rig.model.requestsFor('actor')[1])[0], 'Added 1 task to the backlog.');
  });

  it('a planner that never calls submit_plan is retried, then the goal is unmet', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 2 } });
    rig.model.otherwise('planner', { kind: 'reply', content: 'Here is my plan: do it.', calls: [] });

    const goal = await controller.run();

    assert.equal(goal.status, 'unmet');
    assert.match(goal.reason ?? '', /^The planner did not submit a plan after 2 tries: the model answered in text every time and never called a tool, so it may not support tool calling\. Choose a model that does \(goalpost\.model \/ --model\)/);
    assert.equal(rig.model.requestsFor('planner').length, 4, 'two turns, each with one reminder');
  });

  it('a planner that calls tools but never submit_plan gets the plain reason, not the tool-calling advice', async () => {
    const { rig, controller } = await startGoal({ settings: { maxAttemptsPerTask: 2 } });
    for (let i = 0; i < 2; i++) {
      rig.model.script('planner', reply(call('list_files', { path: '.' })), { kind: 'reply', content: 'Done looking.', calls: [] }, { kind: 'reply', content: 'Still no plan.', calls: [] });
    }
    const goal = await controller.run();
    assert.equal(goal.status, 'unmet');
    assert.equal(goal.reason, 'The planner did not submit a plan after 2 tries.');
  });
});
