import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeGoalFile, GoalFileError, MAX_GOAL_FILE_BYTES, parseGoalFile, parseInlineObjective } from '../../../../src/engine/goalFile';
import { firstInvalidUtf8 } from '../../../../src/engine/utf8';

/** Goal files are read from disk by the adapters; the tests do the same so encodings are real. */
let dir = '';
function writeAndRead(name: string, content: string | Buffer, encoding: BufferEncoding = 'utf8'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return fs.readFileSync(file, encoding);
}

function throwsGoalFileError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof GoalFileError && pattern.test(e.message));
}

describe('engine/goalFile', () => {
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-goalfile-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes a file without sections as the objective, verbatim, and its leading # Title as the title only', () => {
    const text = writeAndRead('GOAL.md', '# Dark mode\n\nAdd a dark theme to the settings page.\nIt follows the OS preference.\n');
    assert.deepEqual(parseGoalFile(text), {
      title: 'Dark mode',
      objective: 'Add a dark theme to the settings page.\nIt follows the OS preference.',
      acceptanceCriteria: [],
      nonGoals: [],
      constraints: [],
      validationCommands: [],
    });
  });

  it('reads every known section and keeps the rest as the objective', () => {
    const text = writeAndRead(
      'GOAL.md',
      [
        '# Dark mode',
        '',
        'Add a dark theme to the settings page.',
        '',
        '## Acceptance criteria',
        '',
        '- A toggle in **Settings** switches the theme',
        '- [ ] The choice survives a reload (`localStorage`)',
        '',
        '## Non-goals',
        '',
        '* Redesigning the light theme',
        '',
        '## Constraints',
        '',
        '1. No new dependencies',
        '2. Keep bundle size under 200 KB',
        '',
        '## Validation',
        '',
        '```sh',
        'npm test',
        'npm run lint',
        '```',
        '',
      ].join('\n'),
    );
    const spec = parseGoalFile(text);
    assert.equal(spec.objective, 'Add a dark theme to the settings page.');
    assert.equal(spec.title, 'Dark mode');
    assert.deepEqual(spec.acceptanceCriteria, ['A toggle in **Settings** switches the theme', 'The choice survives a reload (`localStorage`)']);
    assert.deepEqual(spec.nonGoals, ['Redesigning the light theme']);
    assert.deepEqual(spec.constraints, ['No new dependencies', 'Keep bundle size under 200 KB']);
    assert.deepEqual(spec.validationCommands, ['npm test', 'npm run lint']);
  });

  it('reads each section on its own, leaving the others empty', () => {
    const base = 'Make the CSV export handle quoted commas correctly.\n\n';
    assert.deepEqual(parseGoalFile(`${base}## Acceptance criteria\n- quotes survive\n`).acceptanceCriteria, ['quotes survive']);
    const onlyNonGoals = parseGoalFile(`${base}## Non goals\n- Excel support\n`);
    assert.deepEqual(onlyNonGoals.nonGoals, ['Excel support']);
    assert.deepEqual(onlyNonGoals.acceptanceCriteria, []);
    assert.deepEqual(parseGoalFile(`${base}## Constraints\n- stdlib only\n`).constraints, ['stdlib only']);
    const onlyValidation = parseGoalFile(`${base}## Validation commands\n- \`pytest -q\`\n`);
    assert.deepEqual(onlyValidation.validationCommands, ['pytest -q']);
    assert.deepEqual(onlyValidation.constraints, []);
    assert.equal(onlyValidation.objective, 'Make the CSV export handle quoted commas correctly.');
  });

  it('recognises headings of any level and case, with a trailing colon', () => {
    const spec = parseGoalFile(
      'Speed up the search endpoint.\n\n# ACCEPTANCE CRITERIA:\n- p95 under 100 ms\n\n###### non-goals\n- caching\n\n### Constraints :\n- no schema change\n\n#### VALIDATION\nmake bench\n',
    );
    assert.deepEqual(spec.acceptanceCriteria, ['p95 under 100 ms']);
    assert.deepEqual(spec.nonGoals, ['caching']);
    assert.deepEqual(spec.constraints, ['no schema change']);
    assert.deepEqual(spec.validationCommands, ['make bench']);
    assert.equal(spec.objective, 'Speed up the search endpoint.');
  });

  it('also recognises setext headings', () => {
    const spec = parseGoalFile('Fix the flaky login test.\n\nAcceptance criteria\n-------------------\n\n- passes 100 runs in a row\n');
    assert.deepEqual(spec.acceptanceCriteria, ['passes 100 runs in a row']);
    assert.equal(spec.objective, 'Fix the flaky login test.');
  });

  it('turns plain paragraph lines into entries and joins nested list items', () => {
    const spec = parseGoalFile(
      'Refactor the billing module.\n\n## Acceptance criteria\nInvoices still add up\nTaxes rounded per line\n\n- Reports work\n  - monthly\n  - yearly\n- Emails unchanged\n',
    );
    assert.deepEqual(spec.acceptanceCriteria, ['Invoices still add up', 'Taxes rounded per line', 'Reports work; monthly; yearly', 'Emails unchanged']);
  });

  it('reads validation commands from fences, lists and plain lines, skipping blanks and # comments', () => {
    const spec = parseGoalFile(
      [
        'Port the parser to TypeScript.',
        '',
        '## Validation',
        '```bash',
        '# unit tests first',
        'npm test',
        '',
        '$ npm run typecheck',
        '```',
        '',
        '- `npm run lint`',
        '- npx tsc --noEmit',
        '',
        'node scripts/smoke.js',
        '`npm run e2e`',
        '',
      ].join('\n'),
    );
    assert.deepEqual(spec.validationCommands, ['npm test', 'npm run typecheck', 'npm run lint', 'npx tsc --noEmit', 'node scripts/smoke.js', 'npm run e2e']);
  });

  it('keeps unknown sections in the objective verbatim and in order', () => {
    const text = [
      '# Migrate to Postgres',
      '',
      'Move the app from SQLite to Postgres.',
      '',
      '## Background',
      '',
      'The SQLite file is 40 GB.',
      '',
      '## Acceptance criteria',
      '- all tests pass on Postgres',
      '',
      '## Notes',
      '',
      '```sql',
      'SELECT 1;',
      '```',
      '',
    ].join('\n');
    const spec = parseGoalFile(text);
    assert.equal(
      spec.objective,
      'Move the app from SQLite to Postgres.\n\n## Background\n\nThe SQLite file is 40 GB.\n\n## Notes\n\n```sql\nSELECT 1;\n```',
    );
    assert.deepEqual(spec.acceptanceCriteria, ['all tests pass on Postgres']);
  });

  it('uses the title as the objective when the file has nothing else, and keeps a later # heading in the objective', () => {
    const only = parseGoalFile('# Make npm test pass\n\n## Acceptance criteria\n- npm test exits 0\n');
    assert.equal(only.objective, 'Make npm test pass');
    assert.equal(only.title, 'Make npm test pass');
    const later = parseGoalFile('Fix the build.\n\n# Context\n\nIt broke yesterday.\n');
    assert.equal(later.title, undefined);
    assert.match(later.objective, /^Fix the build\.\n\n# Context/);
    assert.equal(parseInlineObjective('# not a title in an inline objective').objective, '# not a title in an inline objective');
  });

  it('keeps deeper sub-headings inside a known section as part of it', () => {
    const spec = parseGoalFile('Harden the upload endpoint.\n\n## Acceptance criteria\n### Security\n- rejects files over 10 MB\n## Rollout\nBehind a flag.\n');
    assert.deepEqual(spec.acceptanceCriteria, ['Security', 'rejects files over 10 MB']);
    assert.equal(spec.objective, 'Harden the upload endpoint.\n\n## Rollout\nBehind a flag.');
  });

  it('handles Windows line endings and a BOM', () => {
    const text = writeAndRead('GOAL.md', '\uFEFFAdd retries to the HTTP client.\r\n\r\n## Validation\r\n```\r\ngo test ./...\r\n```\r\n');
    const spec = parseGoalFile(text);
    assert.equal(spec.objective, 'Add retries to the HTTP client.');
    assert.deepEqual(spec.validationCommands, ['go test ./...']);
  });

  it('refuses an empty or whitespace-only file', () => {
    throwsGoalFileError(() => parseGoalFile(writeAndRead('empty.md', '')), /^Goal file is empty\./);
    throwsGoalFileError(() => parseGoalFile(writeAndRead('blank.md', '  \n\n\t \n')), /^Goal file is empty\./);
  });

  it('refuses a file with only known sections and no objective', () => {
    throwsGoalFileError(
      () => parseGoalFile('## Acceptance criteria\n- it works\n\n## Validation\n```\nnpm test\n```\n'),
      /^Goal file has no objective: .*Add a few sentences/,
    );
  });

  it('refuses a file larger than 256 KiB with its size in the message', () => {
    const big = writeAndRead('big.md', `Objective.\n\n${'x'.repeat(1_250_000)}\n`);
    throwsGoalFileError(() => parseGoalFile(big), /^Goal file is 1\.2 MB; the limit is 256 KiB\. Put the objective and its sections in a short file\.$/);
    const justOver = `${'a'.repeat(MAX_GOAL_FILE_BYTES)}b`;
    throwsGoalFileError(() => parseGoalFile(justOver), /^Goal file is 257 KiB; the limit is 256 KiB/);
    // Exactly at the limit is accepted; multi-byte characters count as bytes, not characters.
    assert.equal(parseGoalFile('a'.repeat(MAX_GOAL_FILE_BYTES)).objective.length, MAX_GOAL_FILE_BYTES);
    throwsGoalFileError(() => parseGoalFile('é'.repeat(MAX_GOAL_FILE_BYTES / 2 + 1)), /limit is 256 KiB/);
  });

  it('refuses binary content: random bytes decoded as latin1, with and without NUL bytes', () => {
    // A fixed pseudo-random sequence, so the test is the same on every run.
    let seed = 12345;
    const bytes = Buffer.alloc(8192);
    for (let i = 0; i < bytes.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      bytes[i] = seed >> 16 & 0xff;
    }
    const withNul = writeAndRead('blob.bin', bytes, 'latin1');
    assert.ok(withNul.includes('\u0000'));
    throwsGoalFileError(() => parseGoalFile(withNul), /looks binary/);
    const noNul = writeAndRead('blob2.bin', Buffer.from(bytes.filter((b) => b !== 0)), 'latin1');
    assert.ok(!noNul.includes('\u0000'));
    throwsGoalFileError(() => parseGoalFile(noNul), /looks binary/);
  });

  it('refuses text with a single NUL byte', () => {
    throwsGoalFileError(() => parseGoalFile('Add a dark theme to the settings page.\u0000\n'), /^Goal file looks binary/);
  });

  it('accepts ordinary non-ASCII prose', () => {
    const spec = parseGoalFile(writeAndRead('GOAL.md', 'Übersetze die Fehlermeldungen ins Deutsche — 日本語もお願いします。\n'));
    assert.match(spec.objective, /^Übersetze/);
  });

  describe('parseInlineObjective', () => {
    it('accepts a short one-liner', () => {
      assert.deepEqual(parseInlineObjective('fix the build'), {
        objective: 'fix the build',
        acceptanceCriteria: [],
        nonGoals: [],
        constraints: [],
        validationCommands: [],
      });
    });
    it('applies the same section rules', () => {
      const spec = parseInlineObjective('Fix the build\n\n## Validation\n- `make`\n');
      assert.equal(spec.objective, 'Fix the build');
      assert.deepEqual(spec.validationCommands, ['make']);
    });
    it('names the objective, not a file, in its errors', () => {
      throwsGoalFileError(() => parseInlineObjective('   '), /^Objective is empty\./);
      throwsGoalFileError(() => parseInlineObjective('## Constraints\n- none\n'), /^Objective has no text of its own: only the known sections/);
    });
  });
});

describe('goal file: bytes that are not UTF-8 (F1.2)', () => {
  it('finds the first bad byte: a lone Latin-1 byte, a cut sequence, an overlong form, a surrogate', () => {
    assert.equal(firstInvalidUtf8(Buffer.from('plain ascii')), null);
    assert.equal(firstInvalidUtf8(Buffer.from('Café – naïve 😀')), null);
    assert.equal(firstInvalidUtf8(Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20])), 3);
    assert.equal(firstInvalidUtf8(Buffer.from([0x41, 0xe2, 0x82])), 1, 'a sequence cut by the end of the file');
    assert.equal(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0xaf])), 1, 'an overlong "/"');
    assert.equal(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80])), 0, 'a UTF-16 surrogate');
    assert.equal(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80])), 0, 'past U+10FFFF');
  });

  it('decodeGoalFile refuses with the offset and the byte, and decodes (BOM stripped) otherwise', () => {
    assert.throws(() => decodeGoalFile(Buffer.from([0x46, 0x69, 0x78, 0x20, 0xe9, 0x0a])), (e: unknown) => e instanceof GoalFileError && /not valid UTF-8: the byte at offset 4 \(0xE9\)/.test(e.message) && /Save the file as UTF-8/.test(e.message));
    assert.throws(() => decodeGoalFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff])), /looks binary, not text: the byte at offset 0 \(0x89\)/);
    assert.equal(decodeGoalFile(Buffer.from('\uFEFFFix the parser.\n')), 'Fix the parser.\n');
  });
});

describe('goal file: Protected paths (F10)', () => {
  it('reads globs one per line or list item, backticks dropped; absent section: no field', () => {
    const spec = parseGoalFile('Fix the parser.\n\n## Protected paths\n- `test/**`\n- *.snap\n\n```\npackage.json\n```\n');
    assert.deepEqual(spec.protectedPaths, ['test/**', '*.snap', 'package.json']);
    assert.equal(spec.objective, 'Fix the parser.');
    assert.equal(parseGoalFile('Fix the parser.\n').protectedPaths, undefined);
  });
});
