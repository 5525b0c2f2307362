// One esbuild script, three bundles: the extension (node, vscode external), the CLI (node, with a
// shebang) and the webview (browser). A base config is specialised per target.
import * as esbuild from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { chmod } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const base = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
  // jsonc-parser's default entry is a UMD bundle whose dynamic requires esbuild cannot follow; its ESM
  // build bundles cleanly.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
};

const targets = [
  {
    ...base,
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...base,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...base,
    entryPoints: ['webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
  },
];

async function copyAssets() {
  await mkdir('dist', { recursive: true });
  await copyFile('node_modules/@vscode/codicons/dist/codicon.css', 'dist/codicon.css');
  await copyFile('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/codicon.ttf');
}

if (watch) {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  await copyAssets();
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
  await copyAssets();
  await chmod('dist/cli.js', 0o755);
}
