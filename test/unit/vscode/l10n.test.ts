// Localisation (PRODUCT.md F14) cannot rot silently: every `%key%` of the manifest has its English text in
// package.nls.json, l10n/bundle.l10n.json is exactly what @vscode/l10n-dev extracts from the sources today
// (so a new l10n.t string without `npm run l10n` fails here), and the usual places of a user-facing literal
// in src/vscode and webview (a message, a prompt's title, an aria-label…) hold no bare string.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { getL10nJson, type l10nJsonFormat } from '@vscode/l10n-dev';

/** The repository root: the folder with package.nls.json (tests may run from a compiled copy). */
function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.nls.json')) && fs.existsSync(path.join(dir, 'src'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
}

const root = repoRoot();
const SOURCE_DIRS = ['src/vscode', 'webview'];

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function sources(): { file: string; text: string }[] {
  return SOURCE_DIRS.flatMap((d) => tsFiles(path.join(root, d))).map((file) => ({ file: path.relative(root, file), text: fs.readFileSync(file, 'utf8') }));
}

/** Every `%key%` placeholder in a manifest value, with where it is. */
function manifestKeys(value: unknown, at: string, out: { key: string; at: string }[] = []): { key: string; at: string }[] {
  if (typeof value === 'string') {
    const m = /^%(.+)%$/.exec(value);
    if (m) out.push({ key: m[1], at });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => manifestKeys(v, `${at}[${i}]`, out));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) manifestKeys(v, at ? `${at}.${k}` : k, out);
  }
  return out;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
}

describe('localisation', () => {
  it('resolves every %key% of package.json from package.nls.json, and keeps no unused key there', () => {
    const manifest = readJson('package.json') as { contributes: Record<string, unknown> };
    const nls = readJson('package.nls.json') as Record<string, unknown>;
    const used = manifestKeys(manifest, '');
    assert.ok(used.length > 50, `only ${used.length} %key% placeholders in package.json`);
    const missing = used.filter((u) => typeof nls[u.key] !== 'string' || nls[u.key] === '');
    assert.deepEqual(missing, [], 'placeholders without English text in package.nls.json');
    const unused = Object.keys(nls).filter((k) => !used.some((u) => u.key === k));
    assert.deepEqual(unused, [], 'package.nls.json keys no %key% uses');
  });

  it('leaves no user-visible text of the manifest as a literal', () => {
    const manifest = readJson('package.json') as { contributes: Record<string, unknown> };
    const literal: string[] = [];
    const visit = (value: unknown, at: string): void => {
      if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}[${i}]`));
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) {
          const where = `${at}.${k}`;
          const shown = ['title', 'category', 'name', 'description', 'markdownDescription'].includes(k) || (k === 'enumDescriptions' && Array.isArray(v));
          const values = k === 'enumDescriptions' && Array.isArray(v) ? v : [v];
          if (shown && values.every((x) => typeof x === 'string')) {
            for (const x of values as string[]) if (!/^%.+%$/.test(x)) literal.push(`${where}: ${x}`);
          } else visit(v, where);
        }
      }
    };
    visit(manifest.contributes, 'contributes');
    assert.deepEqual(literal, []);
  });

  it('has in l10n/bundle.l10n.json exactly the l10n.t strings of the sources (run `npm run l10n` after changing one)', async function () {
    // The extractor parses every file with tree-sitter (WASM): about 10 s on a loaded 2-core machine.
    this.timeout(120_000);
    const extracted = await getL10nJson(sources().map(({ text }) => ({ contents: text, extension: '.ts' })));
    const bundle = readJson('l10n/bundle.l10n.json') as l10nJsonFormat;
    const keys = Object.keys(extracted);
    assert.ok(keys.length > 150, `only ${keys.length} strings extracted: is the extractor looking at the sources?`);
    const missing = keys.filter((k) => !(k in bundle));
    assert.deepEqual(missing, [], 'l10n.t strings missing from l10n/bundle.l10n.json');
    const stale = Object.keys(bundle).filter((k) => !(k in extracted));
    assert.deepEqual(stale, [], 'strings in l10n/bundle.l10n.json that no source uses any more');
    // Two spellings of the same key (a placeholder renamed) are one string for a translator: none differ.
    for (const k of keys) assert.deepEqual(bundle[k], extracted[k], k);
  });

  it('finds a string that is missing from the bundle (the check above can fail)', async () => {
    const extracted = await getL10nJson([{ contents: "import * as vscode from 'vscode';\nvscode.l10n.t('A brand-new message {0}', 'x');\n", extension: '.ts' }]);
    assert.deepEqual(Object.keys(extracted), ['A brand-new message {0}']);
    const bundle = readJson('l10n/bundle.l10n.json') as l10nJsonFormat;
    assert.equal('A brand-new message {0}' in bundle, false);
  });

  it('leaves no bare literal where src/vscode and webview show text to people', () => {
    // A string literal right where a message, a prompt, a label or an aria-label is given: it must be l10n.t(…).
    const patterns: [string, RegExp][] = [
      ['a message', /\b(?:ui|app\.ui|this\.app\.ui)\.(?:info|warn|error|confirm)\(\s*['"`]/],
      ['a message', /\bui\.message\(\s*'(?:info|warning|error)',\s*['"`]/],
      ['a message', /\bshow(?:Information|Warning|Error)Message\(\s*['"`]/],
      ['a prompt or label', /\b(?:title|prompt|placeHolder|placeholder|tooltip|label|detail)\s*[:=]\s*['"`][A-Za-z]/],
      ['an aria-label', /'aria-label':\s*['"`]/],
      ['a button', /\b(?:commandButton|actionButton)\(\s*['"`]/],
      ['an error the user sees', /new EngineError\('[a-z-]+',\s*['"`]/],
      ['panel text', /\bel\('(?:h2|h3|h4|p|label|li|span)',\s*\{[^}]*\},\s*['"`][A-Z]/],
      ['panel text', /\bsetText\([^,]+,\s*['"`][A-Za-z]/],
    ];
    const allowed = (file: string, line: string): boolean =>
      // The API's errors and the command's result object are for the calling code (English, like the engine's).
      (file === path.join('src', 'vscode', 'extension.ts') && /new EngineError/.test(line))
      || /noUi\) throw new EngineError/.test(line)
      || /check: 'Arguments'/.test(line)
      // Backlog tasks the agent reads (BACKLOG.md, prompts) stay English.
      || (file.startsWith(path.join('src', 'vscode', 'review')) && /^\s*title: `Re(?:verted|view note)/.test(line))
      || /^\s*(?:\/\/|\*)/.test(line);
    const found: string[] = [];
    for (const { file, text } of sources()) {
      text.split('\n').forEach((line, i) => {
        for (const [what, re] of patterns) {
          if (re.test(line) && !allowed(file, line)) found.push(`${file}:${i + 1} (${what}): ${line.trim()}`);
        }
      });
    }
    assert.deepEqual(found, []);
  });
});
