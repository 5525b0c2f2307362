// Goalpost for a user whose VS Code is not in English, in a real workbench: the display language is a
// pseudo-locale (qps-ploc) whose bundles are made here from the English ones (every string wrapped in ⟦ ⟧,
// placeholders kept), so a string that reaches the screen untranslated stands out. VS Code switches only to
// a language with an installed language pack: the data folder gets the record VS Code writes when one is
// installed (languagepacks.json, with an empty core translation, so the workbench itself stays English and
// the harness's palette labels still work), and the server runs with --locale qps-ploc.
// Proves the three halves: the manifest (package.nls.qps-ploc.json: the palette shows the translated
// command), the host's vscode.l10n.t (an input box's title, a notification) and the webview's bundle (the
// panel's empty state).
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notifications, openWorkbench, runCommand } from '../../../scripts/vscode-test/ui.mjs';
import { keepFailureEvidence, panelFrame, repoRoot, shoot, until } from './panelDriver.mjs';
import { createWorkspace, removeWorkspace } from './workspace.mjs';

const LOCALE = 'qps-ploc';

/** The pseudo translation of an English string: wrapped, so it is recognisable; `{0}` placeholders stay. */
const pseudo = (text) => `⟦${text}⟧`;

/** An l10n bundle or package.nls file, every message pseudo-translated (comments dropped, as translators do). */
function pseudoBundle(file) {
  const source = JSON.parse(readFileSync(file, 'utf8'));
  return Object.fromEntries(Object.entries(source).map(([key, value]) => [key, pseudo(typeof value === 'string' ? value : value.message)]));
}

/** A copy of the built extension with the pseudo-locale bundles beside the English ones. */
function extensionWithPseudoLocale() {
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-l10n-ext-'));
  for (const entry of ['package.json', 'package.nls.json', 'dist', 'media', 'prompts', 'l10n']) {
    cpSync(join(repoRoot, entry), join(dir, entry), { recursive: true });
  }
  writeFileSync(join(dir, `package.nls.${LOCALE}.json`), JSON.stringify(pseudoBundle(join(repoRoot, 'package.nls.json'))));
  writeFileSync(join(dir, 'l10n', `bundle.l10n.${LOCALE}.json`), JSON.stringify(pseudoBundle(join(repoRoot, 'l10n', 'bundle.l10n.json'))));
  return dir;
}

/** A server data folder with a language pack for LOCALE registered, as VS Code records an installed one. */
function dataDirWithLanguagePack() {
  const dir = mkdtempSync(join(tmpdir(), 'goalpost-l10n-data-'));
  const core = join(dir, 'langpack', 'main.i18n.json');
  mkdirSync(join(dir, 'langpack'), { recursive: true });
  // No core translations: VS Code's own strings fall back to English.
  writeFileSync(core, JSON.stringify({ version: '1.0.0', contents: {} }));
  const record = JSON.stringify({
    [LOCALE]: {
      hash: 'goalposttest1',
      extensions: [{ extensionIdentifier: { id: 'goalpost-test.pseudo-language-pack' }, version: '0.0.1' }],
      translations: { vscode: core },
      label: 'Pseudo',
    },
  });
  for (const sub of ['user', 'server']) {
    mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, sub, 'languagepacks.json'), record);
  }
  return dir;
}

describe('Goalpost in a non-English VS Code', function () {
  this.timeout(240_000);
  let folder;
  let extension;
  let dataDir;
  let wb;

  before(async () => {
    folder = createWorkspace({ 'workbench.startupEditor': 'none' });
    extension = extensionWithPseudoLocale();
    dataDir = dataDirWithLanguagePack();
    wb = await openWorkbench({ folder, extensionDevelopmentPath: extension, dataDir, serverArgs: ['--locale', LOCALE] });
  });

  afterEach(async function () {
    await keepFailureEvidence(this.currentTest, wb?.page, wb?.server);
  });

  after(async () => {
    await wb?.close();
    for (const dir of [extension, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    if (folder) removeWorkspace(folder);
  });

  it('shows the translated command titles, panel, input box and notification', async () => {
    const { page } = wb;
    // The manifest: the palette knows the command by its translated category and title.
    // The first command on a cold workbench, while the extension activates: a loaded machine takes longer.
    await runCommand(page, `${pseudo('Goalpost')}: ${pseudo('Show Panel')}`, { timeout: 60_000 });
    // The webview: its strings come from the bundle the host passed it.
    const frame = await panelFrame(page, { timeout: 60_000 });
    const heading = frame.locator('.empty h2');
    await until('the translated empty state', async () => (await heading.innerText().catch(() => '')) === pseudo('Pursue a coding goal'));
    assert.equal(await frame.locator(`vscode-button[aria-label="${pseudo('Set API Key')}"]`).count(), 1, 'the translated Set API Key button');
    await shoot(page, 'panel-pseudo-locale');

    // The host's vscode.l10n.t, in a notification: Open Log in a folder without a goal_status.log yet.
    await runCommand(page, `${pseudo('Goalpost')}: ${pseudo('Open Log')}`);
    const folderName = folder.split('/').pop();
    const expected = pseudo(`Goalpost: {0} does not exist yet in {1}; it appears once a goal runs.`).replace('{0}', 'goal_status.log').replace('{1}', folderName);
    await until('the translated notification', async () => (await notifications(page)).some((m) => m.includes(expected)), { timeout: 30_000 });

    // ... and in an input box: Set API Key's title and prompt.
    await page.keyboard.press('Escape');
    await runCommand(page, `${pseudo('Goalpost')}: ${pseudo('Set API Key')}`);
    const widget = page.locator('.quick-input-widget');
    await until('the translated input box', async () => (await widget.locator('.quick-input-title', { hasText: pseudo('Goalpost: OpenAI API key') }).count()) > 0);
    await page.keyboard.press('Escape');
  });
});
