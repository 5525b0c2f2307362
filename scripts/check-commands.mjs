// Fails when package.json's contributed commands and the commands the extension registers disagree,
// so a command can neither be shown in the palette without a handler nor registered without a title.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
// Titles and categories are `%key%` placeholders resolved from package.nls.json (the English strings).
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8'));
const resolve = (value) => (typeof value === 'string' ? value.replace(/^%(.+)%$/, (_, key) => nls[key] ?? value) : value);
const contributed = new Set(manifest.contributes.commands.map((c) => c.command));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const registered = new Set();
const pattern = /\b(?:registerCommand|reg)\(\s*'(goalpost\.[A-Za-z]+)'/g;
for (const file of files('src/vscode')) {
  for (const m of readFileSync(file, 'utf8').matchAll(pattern)) registered.add(m[1]);
}

const missingHandlers = [...contributed].filter((c) => !registered.has(c));
const missingTitles = [...registered].filter((c) => !contributed.has(c));
const badCategory = manifest.contributes.commands.filter((c) => resolve(c.category) !== 'Goalpost').map((c) => c.command);
let ok = true;
if (missingHandlers.length) { ok = false; console.error(`Contributed but never registered: ${missingHandlers.join(', ')}`); }
if (missingTitles.length) { ok = false; console.error(`Registered but not contributed in package.json: ${missingTitles.join(', ')}`); }
if (badCategory.length) { ok = false; console.error(`Commands without the "Goalpost" category: ${badCategory.join(', ')}`); }
if (manifest.contributes.commands[0]?.command !== 'goalpost.setGoal') { ok = false; console.error('"Goalpost: Set Goal" must be the first command.'); }
console.log(`commands: ${contributed.size} contributed, ${registered.size} registered`);
process.exit(ok ? 0 : 1);
