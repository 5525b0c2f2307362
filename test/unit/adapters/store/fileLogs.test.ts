import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileStatusLog } from '../../../../src/adapters/fileStatusLog';
import { FileTranscript } from '../../../../src/adapters/fileTranscript';
import { parseStatusLine } from '../../../../src/engine/statusLine';

describe('FileStatusLog', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-log-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates the file and appends one line per event, in order', async () => {
    const file = path.join(dir, 'nested', 'goal_status.log');
    const log = new FileStatusLog(file);
    const at = new Date('2026-02-03T04:05:06.000Z');
    // Not awaited one by one: the order must still be the order of the calls.
    await Promise.all([
      log.append({ at, goalId: 'g1', phase: 'goal', message: 'started' }),
      log.append({ at, goalId: 'g1', phase: 'plan', message: 'planning\nwith two lines' }),
      log.append({ at, goalId: 'g1', phase: 'act', message: 'working on t1' }),
    ]);
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 4);
    assert.equal(lines[3], '');
    assert.deepEqual(lines.slice(0, 3).map((l) => parseStatusLine(l)?.message), ['started', 'planning\nwith two lines', 'working on t1']);
    assert.ok(lines[0].startsWith('2026-02-03T04:05:06.000Z  g1  goal'));
  });

  it('keeps appending to an existing file and reads back its tail', async () => {
    const file = path.join(dir, 'goal_status.log');
    fs.writeFileSync(file, 'a hand-written note\n');
    const log = new FileStatusLog(file);
    for (let i = 1; i <= 5; i++) await log.append({ at: new Date(i * 1000), goalId: 'g1', phase: 'iterate', message: `step ${i}` });
    assert.ok(fs.readFileSync(file, 'utf8').startsWith('a hand-written note\n'));
    assert.deepEqual((await log.tail(2)).map((e) => e.message), ['step 4', 'step 5']);
    assert.deepEqual(await new FileStatusLog(path.join(dir, 'missing.log')).tail(5), []);
  });
});

describe('FileTranscript', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'goalpost-transcript-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Assembled at run time so no key-shaped string is tracked in git.
  const FAKE_KEY = ['sk', 'abcdefghijklmnopqrstuvwxyz123456'].join('-');

  it('writes one JSON line per entry with every secret redacted', async () => {
    const file = path.join(dir, '.goalpost', 'transcripts', 'g1.jsonl');
    const secret = 'local-server-secret-xyz';
    const transcript = new FileTranscript(file, [secret]);
    await transcript.append({
      role: 'actor',
      request: [{ role: 'user', content: `use ${secret} please` }, { role: 'tool', content: `OPENAI_API_KEY=${FAKE_KEY}` }],
      headers: { authorization: 'Bearer abcdefghijklmnop1234', [secret]: 1 },
      error: new Error(`401 for key ${secret}`),
      at: new Date('2026-01-01T00:00:00.000Z'),
      usage: { inputTokens: 10 },
    });
    await transcript.append({ role: 'reviewer', response: 'fine' });
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!text.includes(secret));
    assert.ok(!text.includes('sk-abcdefghijklmnop'));
    assert.ok(!text.includes('abcdefghijklmnop1234'));
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 2);
    const first = lines[0] as { request: { content: string }[]; headers: Record<string, unknown>; error: { message: string }; at: string; usage: { inputTokens: number } };
    assert.equal(first.request[0].content, 'use [REDACTED] please');
    assert.equal(first.request[1].content, 'OPENAI_API_KEY=[REDACTED]');
    assert.equal(first.headers.authorization, 'Bearer [REDACTED]');
    assert.equal(first.headers['[REDACTED]'], 1);
    assert.equal(first.error.message, '401 for key [REDACTED]');
    assert.equal(first.at, '2026-01-01T00:00:00.000Z');
    assert.equal(first.usage.inputTokens, 10);
    assert.deepEqual(lines[1], { role: 'reviewer', response: 'fine' });
  });

  it('reads the secrets at every append, so a key set later is redacted too', async () => {
    const file = path.join(dir, 't.jsonl');
    let secrets: string[] = [];
    const transcript = new FileTranscript(file, () => secrets);
    await transcript.append({ m: 'key-added-later-000' });
    secrets = ['key-added-later-000'];
    await transcript.append({ m: 'key-added-later-000' });
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(lines, ['{"m":"key-added-later-000"}', '{"m":"[REDACTED]"}']);
  });

  it('survives a circular entry', async () => {
    const file = path.join(dir, 't.jsonl');
    const entry: Record<string, unknown> = { name: 'loop' };
    entry.self = entry;
    await new FileTranscript(file).append(entry);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), { name: 'loop', self: '[circular]' });
  });
});
