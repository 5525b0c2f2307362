// Entry point the extension host loads as extensionTestsPath: it runs mocha over the compiled suite
// inside the real (Node 24) extension host and rejects when any test fails, which the workbench turns
// into a non-zero exit code for scripts/vscode-test/run.mjs.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { markLine } from './testLog';

/** Folder under out/test/vscode whose tests run; the runner picks it per suite (default `suite`). */
const TESTS_DIR_ENV = 'GOALPOST_VSCODE_TESTS_DIR';
/** When `fail`, a deliberately failing test is added, to prove a failure reaches the exit code. */
const SELF_TEST_ENV = 'GOALPOST_VSCODE_SELF_TEST';

/** Sends mocha's reporter output through testLog's marker, so the runner shows it (mocha keeps its own console.log). */
function markReporter(): () => void {
  const reporterLog = Mocha.reporters.Base.consoleLog;
  // One formatted string per call: the workbench would otherwise print the format and its arguments apart.
  Mocha.reporters.Base.consoleLog = (...data: unknown[]): void => reporterLog(markLine(...data));
  return () => {
    Mocha.reporters.Base.consoleLog = reporterLog;
  };
}

/** Every *.test.js under dir, sorted so the order is the same on every machine. */
export function findTestFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTestFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

/** Runs the suite chosen by the runner; rejects when a test fails (the workbench then exits with 1). */
export function run(): Promise<void> {
  const testsRoot = path.resolve(__dirname, process.env[TESTS_DIR_ENV] || 'suite');
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, forbidOnly: true, timeout: 30000 });
  const files = findTestFiles(testsRoot);
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files under ${testsRoot}: run npm run compile-tests`));
  for (const file of files) mocha.addFile(file);
  if (process.env[SELF_TEST_ENV] === 'fail') {
    const suite = Mocha.Suite.create(mocha.suite, 'harness self-test');
    suite.addTest(new Mocha.Test('fails on purpose, so the run must exit non-zero', () => {
      assert.fail(`deliberate failure requested by ${SELF_TEST_ENV}=fail`);
    }));
  }
  const restore = markReporter();
  return new Promise<void>((resolve, reject) => {
    try {
      mocha.run((failures) => {
        if (failures > 0) reject(new Error(`${failures} test(s) failed`));
        else resolve();
      });
    } catch (error) {
      reject(error);
    }
  }).finally(restore);
}
