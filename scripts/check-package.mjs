// Builds the VSIX offline with @vscode/vsce and checks it holds exactly what .vscodeignore allows:
// the bundles, prompts, media and the manifest files — no sources, tests or node_modules.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'goalpost-vsix-'));
const out = join(dir, 'goalpost.vsix');
try {
  // README's screenshots are relative links into media/ (packaged): no repository URL is needed to keep them.
  execFileSync('npx', ['vsce', 'package', '--no-dependencies', '--no-rewrite-relative-links', '--allow-missing-repository', '--out', out], { stdio: 'inherit' });
  // `vsce ls` lists exactly what `vsce package` puts under extension/ (no unzip needed).
  const files = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' })
    .split('\n').map((f) => f.trim()).filter((f) => f !== '' && !f.startsWith('npm warn'));
  const allowed = [
    /^package\.json$/, /^package\.nls(\.[a-z-]+)?\.json$/, /^l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/, /^readme\.md$/i, /^changelog\.md$/i, /^license(\.txt|\.md)?$/i,
    /^dist\/(extension|cli|webview)\.js$/, /^dist\/codicon\.(css|ttf)$/, /^media\//, /^prompts\/[a-z_]+\.md$/,
  ];
  const stray = files.filter((f) => !allowed.some((re) => re.test(f)));
  const required = ['package.json', 'package.nls.json', 'l10n/bundle.l10n.json', 'dist/extension.js', 'dist/cli.js', 'dist/webview.js', 'prompts/system_actor.md'];
  const missing = required.filter((r) => !files.includes(r));
  console.log(`VSIX: ${files.length} files`);
  if (stray.length > 0 || missing.length > 0) {
    if (stray.length > 0) console.error(`Files outside the allowlist: ${stray.join(', ')}`);
    if (missing.length > 0) console.error(`Missing from the VSIX: ${missing.join(', ')}`);
    process.exit(1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
