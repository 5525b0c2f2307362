import { strict as assert } from 'node:assert';
import type { GoalSpec } from '../../../../src/engine/goal';
import { parseGoalFile } from '../../../../src/engine/goalFile';
import { GOAL_TEMPLATE, assessGoal } from '../../../../src/engine/goalQuality';

function spec(objective: string, acceptanceCriteria: string[] = []): GoalSpec {
  return { objective, acceptanceCriteria, nonGoals: [], constraints: [], validationCommands: [] };
}
const WITH_TESTS = { commands: ['npm test'], source: 'detected' as const };
const NO_TESTS = { commands: [], source: 'none' as const };
const GOOD = 'Add a dark theme to the settings page that follows the OS preference.';

function codes(s: GoalSpec, v: typeof WITH_TESTS | typeof NO_TESTS): string[] {
  return assessGoal(s, v).map((w) => w.code);
}

describe('engine/goalQuality', () => {
  it('has no warnings for a sentence with criteria and validation', () => {
    assert.deepEqual(assessGoal(spec(GOOD, ['toggle works']), WITH_TESTS), []);
  });

  it('warns when acceptance criteria are missing, saying which section to add', () => {
    const warnings = assessGoal(spec(GOOD), WITH_TESTS);
    assert.deepEqual(warnings.map((w) => w.code), ['no-acceptance-criteria']);
    assert.match(warnings[0].message, /Acceptance criteria/);
  });

  it('warns when no validation command was found, naming the section and the setting', () => {
    const warnings = assessGoal(spec(GOOD, ['toggle works']), NO_TESTS);
    assert.deepEqual(warnings.map((w) => w.code), ['no-validation']);
    assert.match(warnings[0].message, /## Validation/);
    assert.match(warnings[0].message, /goalpost\.validationCommands/);
  });

  it('warns about objectives vaguer than a sentence: too few words or too few characters', () => {
    assert.deepEqual(codes(spec('fix bugs', ['x']), WITH_TESTS), ['too-vague']);
    // Five words, long enough in characters: still too few words.
    assert.deepEqual(codes(spec('Internationalize everything throughout application comprehensively', ['x']), WITH_TESTS), ['too-vague']);
    // Six short words but under 30 characters.
    assert.deepEqual(codes(spec('make it go a bit now', ['x']), WITH_TESTS), ['too-vague']);
    // Six words and 30+ characters pass.
    assert.deepEqual(codes(spec('Make the login form validate emails', ['x']), WITH_TESTS), []);
  });

  it('does not count Markdown markers as words', () => {
    assert.deepEqual(codes(spec('# Fix\n\n- **a** - b - c - d', ['x']), WITH_TESTS), ['too-vague']);
    const message = assessGoal(spec('# fix bugs', ['x']), WITH_TESTS)[0].message;
    assert.match(message, /"fix bugs"/);
    assert.match(message, /Say what should change/);
  });

  it('reports all three for a bare one-liner', () => {
    assert.deepEqual(codes(spec('fix it'), NO_TESTS).sort(), ['no-acceptance-criteria', 'no-validation', 'too-vague']);
  });

  it('offers a template with every section and a hint each that parses cleanly', () => {
    for (const heading of ['## Acceptance criteria', '## Non-goals', '## Constraints', '## Validation']) {
      assert.ok(GOAL_TEMPLATE.includes(heading), heading);
    }
    const parsed = parseGoalFile(GOAL_TEMPLATE);
    assert.equal(parsed.acceptanceCriteria.length, 1);
    assert.equal(parsed.nonGoals.length, 1);
    assert.equal(parsed.constraints.length, 1);
    // The validation hint is a comment, so an unedited template never runs a placeholder command.
    assert.deepEqual(parsed.validationCommands, []);
    assert.ok(parsed.objective.length > 30);
  });
});
