// `run` and `doctor` reach the model server the same way: one definition of the endpoint options, so a flag
// added or reworded for one is there for the other.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { buildProgram } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';

const ENDPOINT_FLAGS = ['--model', '--base-url', '--provider', '--api-version', '--request-idle-timeout'];

function program(): Command {
  const io: CliIo = { out: new PassThrough(), err: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd() };
  return buildProgram(io, () => undefined);
}

function optionsOf(name: string): Map<string, string> {
  const command = program().commands.find((c) => c.name() === name);
  assert.ok(command, `no ${name} command`);
  return new Map(command.options.map((o) => [o.long ?? o.flags, o.description]));
}

describe('the CLI endpoint options', () => {
  it('are declared for run and doctor alike, with the same help except what --model picks', () => {
    const run = optionsOf('run');
    const doctor = optionsOf('doctor');
    for (const flag of ENDPOINT_FLAGS) {
      assert.ok(run.has(flag), `run has ${flag}`);
      assert.ok(doctor.has(flag), `doctor has ${flag}`);
      if (flag !== '--model') assert.equal(doctor.get(flag), run.get(flag), flag);
    }
    assert.match(run.get('--model') ?? '', /actor role/);
    assert.match(doctor.get('--model') ?? '', /to check/);
  });

  it('are each declared once per command', () => {
    for (const name of ['run', 'doctor']) {
      const command = program().commands.find((c) => c.name() === name);
      const longs = (command?.options ?? []).map((o) => o.long);
      assert.equal(new Set(longs).size, longs.length, `${name}: ${longs.join(' ')}`);
    }
  });
});
