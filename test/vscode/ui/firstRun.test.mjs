// First run in a real VS Code (F11, F13), driven like a newcomer with no key: the panel's empty state
// offers the three ways on; a local-server preset fills the address, Test Connection answers in the
// panel, "Use This Server" (by keyboard) connects; then the offline demo runs from one click to
// achieved, labelled DEMO, with the live view showing the tool calls, their targets and the commands,
// and real commits on a goalpost/demo-… branch. Screenshots in dark and High Contrast themes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench, runCommand } from '../../../scripts/vscode-test/ui.mjs';
import { goalJson, removeWorkspace, writeSettings } from './workspace.mjs';
import { panelFrame, repoRoot, shoot, statusBarText, until, waitForTheme } from './panelDriver.mjs';

const require = createRequire(import.meta.url);
const DARK = 'Default Dark Modern';

function git(dir, ...args) {
  return execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();
}

describe('first run without a key, and the offline demo, in a real VS Code', function () {
  this.timeout(300_000);
  let dir;
  let wb;
  let frame;

  before(async () => {
    // The sample exactly as the demo creates it (the compiled adapter), with the test's settings ignored by git.
    const { createSampleWorkspace } = require(join(repoRoot, 'out', 'src', 'adapters', 'demo', 'sampleWorkspace.js'));
    dir = join(realpathSync(mkdtempSync(join(tmpdir(), 'goalpost-ui-first-'))), 'sample');
    await createSampleWorkspace(dir);
    writeFileSync(join(dir, '.git', 'info', 'exclude'), '.vscode/\n');
    writeSettings(dir, { 'workbench.colorTheme': DARK, 'workbench.startupEditor': 'none', 'goalpost.iterationDelayMs': 200 });
    wb = await openWorkbench({ folder: dir, viewport: { width: 1300, height: 1100 } });
    await runCommand(wb.page, 'Goalpost: Show Panel');
    frame = await panelFrame(wb.page, { timeout: 60_000 });
  });

  after(async () => {
    await wb?.close();
    if (dir) removeWorkspace(join(dir, '..'));
  });

  it('offers the three ways on: an OpenAI key, a local server with presets, and the labelled demo', async () => {
    const ways = await until('the three ways on', async () => {
      const shown = await frame.evaluate(() => [...document.querySelectorAll('.empty .way')].filter((w) => w.offsetParent !== null).map((w) => w.getAttribute('data-way')));
      return shown.length === 3 ? shown : null;
    }, { timeout: 30_000 });
    assert.deepEqual(ways, ['key', 'local', 'demo']);
    assert.equal(await frame.locator('.way.key vscode-button[aria-label="Set API Key"]').count(), 1);
    assert.deepEqual(await frame.locator('.way.local .preset').allInnerTexts(), ['Ollama', 'LM Studio', 'vLLM', 'llama.cpp']);
    assert.match(await frame.locator('.way.demo').innerText(), /DEMO[\s\S]*No model, no network, no tokens/);
    assert.equal(await frame.locator('.connected').isVisible(), false, 'no Set Goal before a model is connected');
    await shoot(wb.page, 'first-run-three-ways-dark');
  });

  it('fills a preset, shows the connection check in the panel, and connects by keyboard', async () => {
    await frame.locator('.preset[data-preset="lmstudio"]').click();
    const input = frame.locator('input.url');
    assert.equal(await input.inputValue(), 'http://localhost:1234/v1');
    await frame.locator('.way.local vscode-button[aria-label="Test Connection"]').click();
    // Whatever answers (the check, or its absence in this build), its lines are rendered in the panel.
    const lines = await until('the connection check lines', async () => {
      const items = await frame.locator('.connection .line').allInnerTexts();
      return items.length > 0 ? items : null;
    }, { timeout: 60_000 });
    assert.ok(lines.every((l) => /\S+: \S/.test(l)), lines.join('\n'));
    // Keyboard: type another address and press Enter to use it.
    await input.fill('http://localhost:11434/v1');
    await input.press('Enter');
    const line = await until('the connected state naming the server', async () => {
      if (!(await frame.locator('.connected').isVisible())) return null;
      return frame.locator('.model-line').innerText();
    }, { timeout: 30_000 });
    assert.match(line, /local server at http:\/\/localhost:11434\/v1/);
    assert.equal(await frame.locator('.connected vscode-button[aria-label="Set Goal"]').count(), 1);
  });

  it('plays the demo from one click to achieved, live and labelled DEMO, with real commits on a demo branch', async () => {
    const { page } = wb;
    // How long the demo takes is bench/demoDuration.ts's figure; here it only has to end achieved.
    await frame.locator('vscode-button[aria-label="Play the Offline Demo"]').click();
    frame = await panelFrame(page);
    const lines = new Set();
    let sawDemoBadge = false;
    let sawDemoStatus = false;
    let shotLive = false;
    const goal = await until('the demo goal achieved', async () => {
      const snap = await frame.evaluate(() => ({
        state: document.querySelector('.goal .badge')?.textContent ?? null,
        demo: document.querySelector('.goal .demo-label') !== null && document.querySelector('.goal .demo-label')?.offsetParent !== null,
        live: document.querySelector('.goal .live')?.hidden === false ? document.querySelector('.goal .live-line')?.textContent ?? '' : '',
      })).catch(() => null);
      if (!snap) {
        frame = await panelFrame(page).catch(() => frame);
        return null;
      }
      if (snap.live) lines.add(snap.live);
      sawDemoBadge ||= snap.demo;
      if (!sawDemoStatus) sawDemoStatus = /Goalpost: DEMO/.test(await statusBarText(page));
      if (!shotLive && /write_file/.test(snap.live)) {
        shotLive = true;
        await shoot(page, 'demo-live-dark');
      }
      return snap.state === 'achieved' ? goalJson(dir) : null;
    }, { timeout: 150_000, interval: 60 });
    assert.ok(sawDemoBadge, 'the panel labels the goal DEMO');
    assert.ok(sawDemoStatus, 'the status bar labels the goal DEMO');
    const seen = [...lines];
    assert.ok(seen.some((l) => /^Actor(: | is answering… \(after )write_file src\/calc\.js\)?$/.test(l)), `a tool call and its target were shown live:\n${seen.join('\n')}`);
    assert.ok(seen.some((l) => /npm test/.test(l)), `a running command was shown live:\n${seen.join('\n')}`);

    assert.equal(goal.status, 'achieved');
    assert.match(goal.id, /^demo-/);
    const branch = git(dir, 'rev-parse', '--abbrev-ref', 'HEAD');
    assert.equal(branch, `goalpost/${goal.id}`);
    assert.equal(git(dir, 'rev-list', '--count', 'main..HEAD'), '2', 'one commit per task on the demo branch');
    await shoot(page, 'demo-achieved-dark');
  });

  it('keeps the budget gauge\'s track and fill apart in High Contrast', async () => {
    for (const [theme, kind, name] of [['Default High Contrast', 'hc-black', 'demo-achieved-hc-dark'], ['Default High Contrast Light', 'hc-light', 'demo-achieved-hc-light']]) {
      writeSettings(dir, { 'workbench.colorTheme': theme, 'workbench.startupEditor': 'none' });
      await waitForTheme(wb.page, kind);
      frame = await panelFrame(wb.page);
      const colours = await until(`the gauge in ${theme}`, () => frame.evaluate(() => {
        const gauge = document.querySelector('.goal .gauge');
        const fill = document.querySelector('.goal .gauge .fill');
        if (!gauge || !fill) return null;
        return { track: getComputedStyle(gauge).backgroundColor, fill: getComputedStyle(fill).backgroundColor, border: getComputedStyle(gauge).borderTopColor };
      }), { timeout: 20_000 });
      assert.notEqual(colours.fill, colours.track, `${theme}: fill and track differ (${JSON.stringify(colours)})`);
      await shoot(wb.page, name);
    }
  });
});
