// A realistic goal for the prompt-prefix benchmark: a small Node project, a 12-task plan, several actor
// steps per task (read, search, write, edit, run, finish), reviews that sometimes ask for changes, a
// blocker, a turn that forgets to submit, discovered work (add_tasks) and a completion audit that finds
// one more thing before it approves. Everything is scripted, so each run is identical.
import type { GoalSpec } from '../../src/engine/goal';
import type { TestRig } from '../../test/support/fakes/makeDeps';
import { call, reply, say, type ScriptStep } from '../../test/support/fakes/scriptedModel';

/** The goal as a user would write it in GOAL.md. */
export const REALISTIC_SPEC: GoalSpec = {
  objective: [
    'Add a small, dependency-free text-statistics library to this package: word count, sentence count,',
    'average word length, the most frequent words, a readability score and a Markdown report, each in its',
    'own module under src/, all exported from src/index.js, with unit tests for every public function.',
    '',
    'The library is used by the docs site build, so it must stay synchronous and work on Node 18 and later.',
  ].join('\n'),
  acceptanceCriteria: [
    'Every feature listed in the objective is exported from src/index.js.',
    'Each public function has at least two unit tests, including an empty-input case.',
    '`npm test` passes with no warnings.',
    'README.md documents every exported function with an example.',
  ],
  nonGoals: ['No command-line interface.', 'No natural-language processing beyond whitespace and punctuation rules.'],
  constraints: ['No new runtime dependencies.', 'Keep the public API synchronous.'],
  validationCommands: ['npm test'],
};

/** The project the goal starts from. */
export const REALISTIC_FILES: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'textstats', version: '0.1.0', main: 'src/index.js', scripts: { test: 'node --test test/' } }, null, 2)}\n`,
  'README.md': '# textstats\n\nSmall text statistics for the docs build.\n\n## API\n\n(to be written)\n',
  'src/index.js': "'use strict';\n\n// exports start\n// exports end\n",
  'src/tokenize.js': "'use strict';\n\nfunction words(text) {\n  return text.split(/\\s+/).filter(Boolean);\n}\n\nmodule.exports = { words };\n",
  'test/tokenize.test.js': "'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert');\nconst { words } = require('../src/tokenize');\n\ntest('words', () => assert.deepStrictEqual(words('a b'), ['a', 'b']));\n",
};

/** The 12 planned features, in order. */
export const FEATURES = [
  'wordCount', 'sentenceCount', 'averageWordLength', 'topWords', 'syllables', 'readability',
  'characterCount', 'paragraphCount', 'uniqueWords', 'readingTime', 'markdownReport', 'readmeApi',
];

function draft(feature: string, i: number): { title: string; details: string; acceptance: string } {
  return {
    title: `Add ${feature} in src/${feature}.js`,
    details: `Create src/${feature}.js exporting ${feature}(text), reuse words() from src/tokenize.js, export it from src/index.js and add test/${feature}.test.js. Step ${i + 1} of the plan.`,
    acceptance: `${feature}('') and ${feature} on a two-sentence sample give the documented results; npm test passes.`,
  };
}

function moduleSource(feature: string): string {
  return [
    "'use strict';",
    "const { words } = require('./tokenize');",
    '',
    `/** ${feature} of a text (see README). */`,
    `function ${feature}(text) {`,
    '  const list = words(String(text));',
    '  if (list.length === 0) return 0;',
    '  return list.length;',
    '}',
    '',
    `module.exports = { ${feature} };`,
    '',
  ].join('\n');
}

/** One attempt of the actor at a feature: read, search, write, edit, run the tests, finish. */
function workOn(feature: string, extra: ScriptStep[] = []): ScriptStep[] {
  return [
    reply(call('read_file', { path: 'src/index.js' })),
    reply(call('search_text', { query: 'require(', path: 'src' })),
    reply(call('write_file', { path: `src/${feature}.js`, content: moduleSource(feature) })),
    reply(call('edit_file', { path: 'src/index.js', old_text: '// exports end', new_text: `exports.${feature} = require('./${feature}').${feature};\n// exports end` })),
    reply(call('write_file', { path: `test/${feature}.test.js`, content: `'use strict';\nconst test = require('node:test');\nconst assert = require('node:assert');\nconst { ${feature} } = require('../src');\n\ntest('${feature} of empty text', () => assert.strictEqual(${feature}(''), 0));\n` })),
    ...extra,
    reply(call('run_command', { command: 'npm test' })),
    reply(call('finish_task', { summary: `Added src/${feature}.js with ${feature}(text), exported it from src/index.js and added test/${feature}.test.js; npm test passes (2 new tests).` })),
  ];
}

function approve(summary: string): ScriptStep[] {
  return [
    reply(call('read_file', { path: 'src/index.js' })),
    reply(call('submit_review', { verdict: 'approve', summary, notes: [] })),
  ];
}

function requestChanges(summary: string, path: string, line: number, message: string): ScriptStep[] {
  return [
    reply(call('read_file', { path })),
    reply(call('submit_review', { verdict: 'request_changes', summary, notes: [{ path, line, severity: 'error', message }] })),
  ];
}

/** Queues every role's answers for the whole goal; the run ends `achieved` if the engine behaves. */
export function scriptRealisticGoal(rig: TestRig): void {
  const { model, runner } = rig;
  runner.on('npm test', { exitCode: 0, output: '# tests 14\n# pass 14\n# fail 0\n' });
  model.script('planner',
    reply(call('list_files', { path: '.' })),
    reply(call('read_file', { path: 'package.json' })),
    reply(call('read_file', { path: 'src/tokenize.js' })),
    reply(call('submit_plan', { tasks: FEATURES.map(draft), validation_commands: [] })));

  const actor: ScriptStep[] = [];
  const reviewer: ScriptStep[] = [];
  FEATURES.forEach((feature, i) => {
    if (feature === 'averageWordLength') {
      // First attempt rejected by the reviewer; the second fixes it.
      actor.push(...workOn(feature));
      reviewer.push(...requestChanges('Empty input divides by zero.', `src/${feature}.js`, 8, 'averageWordLength("") must return 0, not NaN.'));
      actor.push(reply(call('read_file', { path: `src/${feature}.js` })),
        reply(call('edit_file', { path: `src/${feature}.js`, old_text: '  return list.length;', new_text: '  return list.join(\'\').length / list.length;' })),
        reply(call('run_command', { command: 'npm test' })),
        reply(call('finish_task', { summary: 'Returned 0 for empty input and divided by the word count otherwise; npm test passes.' })));
    } else if (feature === 'syllables') {
      // The turn ends without a submit once (the reminder goes back), then finishes.
      actor.push(...workOn(feature, [say('The syllable counter is written and tested.')]));
    } else if (feature === 'readability') {
      // A blocker first, then the attempt that works around it.
      actor.push(reply(call('read_file', { path: 'src/syllables.js' })),
        reply(call('report_blocker', { reason: 'The readability formula needs a syllable count per word, which syllables() does not expose yet.' })));
      actor.push(...workOn(feature));
    } else if (feature === 'uniqueWords') {
      // Discovered work: one follow-up task added mid-turn.
      actor.push(...workOn(feature, [reply(call('add_tasks', { tasks: [draft('normalizeCase', 12)] }))]));
    } else {
      actor.push(...workOn(feature));
    }
    reviewer.push(...approve(`Task ${i + 1} meets its acceptance notes; tests cover the empty case.`));
  });
  // The task added by add_tasks, then the audit's finding and its fix.
  actor.push(...workOn('normalizeCase'));
  reviewer.push(...approve('normalizeCase is covered.'));
  reviewer.push(...requestChanges('README does not document normalizeCase.', 'README.md', 7, 'Document normalizeCase(text) with an example in the API section.'));
  actor.push(reply(call('read_file', { path: 'README.md' })),
    reply(call('edit_file', { path: 'README.md', old_text: '(to be written)', new_text: 'normalizeCase(text): lower-cases a text. Example: normalizeCase("A") === "a".' })),
    reply(call('finish_task', { summary: 'Documented normalizeCase in README.md.' })));
  reviewer.push(...approve('README now documents normalizeCase.'));
  reviewer.push(...approve('Every criterion is met: all features exported and tested, README documents the API, npm test passes.'));
  model.script('actor', ...actor);
  model.script('reviewer', ...reviewer);
}
