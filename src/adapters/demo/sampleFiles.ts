// The sample workspace, embedded so it ships inside dist/cli.js and dist/extension.js (no files to find
// at run time). test/vscode/fixtures/workspace holds the same files for the in-editor tests; a unit test
// keeps the two identical.

/** The sample project as it starts: a tiny calculator with node:test tests (`npm test`). */
export const SAMPLE_FILES: Readonly<Record<string, string>> = Object.freeze({
  'README.md': '# sample-calc\n\nA tiny sample project the in-editor tests open as their workspace. `npm test` runs its checks.\n',
  'package.json': `${JSON.stringify({
    name: 'sample-calc',
    version: '1.0.0',
    private: true,
    description: 'A tiny sample workspace for Goalpost\'s in-editor tests.',
    main: 'src/calc.js',
    scripts: { test: 'node --test test/' },
    license: 'MIT',
  }, null, 2)}\n`,
  'src/calc.js': `'use strict';

function add(a, b) {
  return a + b;
}

function divide(a, b) {
  if (b === 0) throw new RangeError('division by zero');
  return a / b;
}

module.exports = { add, divide };
`,
  'test/calc.test.js': `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { add, divide } = require('../src/calc');

test('add sums two numbers', () => {
  assert.equal(add(2, 3), 5);
});

test('divide refuses zero', () => {
  assert.throws(() => divide(1, 0), RangeError);
});
`,
});

/** What the demo's scripted actor writes: the files after each of its two tasks. */
export const DEMO_EDITS = Object.freeze({
  calc: `'use strict';

function add(a, b) {
  return a + b;
}

function divide(a, b) {
  if (b === 0) throw new RangeError('division by zero');
  return a / b;
}

function multiply(a, b) {
  return a * b;
}

module.exports = { add, divide, multiply };
`,
  test: `'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { add, divide, multiply } = require('../src/calc');

test('add sums two numbers', () => {
  assert.equal(add(2, 3), 5);
});

test('divide refuses zero', () => {
  assert.throws(() => divide(1, 0), RangeError);
});

test('multiply multiplies two numbers', () => {
  assert.equal(multiply(3, 4), 12);
  assert.equal(multiply(-2, 0.5), -1);
});
`,
  readme: `# sample-calc

A tiny sample project the in-editor tests open as their workspace. \`npm test\` runs its checks.

## Functions (src/calc.js)

| function | returns |
| --- | --- |
| \`add(a, b)\` | the sum of \`a\` and \`b\` |
| \`divide(a, b)\` | \`a / b\`; throws a \`RangeError\` when \`b\` is 0 |
| \`multiply(a, b)\` | the product of \`a\` and \`b\` |
`,
});
