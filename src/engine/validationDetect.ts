// Where a goal's validation commands come from (PRODUCT.md F1.4): the goal file, then the setting, then
// detection from the repository's own build files. The planner's proposal (source 'planner') is set
// later by the loop when all of these come up empty.
import type { Goal, GoalSpec } from './goal';
import type { Workspace } from './ports';

/** What resolveValidation needs: the parsed goal, the setting's commands and a way to read root files. */
export interface ResolveValidationInput {
  spec: GoalSpec;
  settingsCommands: string[];
  files: Pick<Workspace, 'readText'>;
}

/** The validation commands in force and their source, in the order goal file → settings → detection → none. */
export async function resolveValidation(input: ResolveValidationInput): Promise<Goal['validation']> {
  const fromFile = clean(input.spec.validationCommands);
  if (fromFile.length > 0) return { commands: fromFile, source: 'goal-file' };
  const fromSettings = clean(input.settingsCommands);
  if (fromSettings.length > 0) return { commands: fromSettings, source: 'settings' };
  const detected = await detectValidation(input.files);
  if (detected.length > 0) return { commands: detected, source: 'detected' };
  return { commands: [], source: 'none' };
}

function clean(commands: string[]): string[] {
  return commands.map((c) => c.trim()).filter((c) => c !== '');
}

/** One file at the folder root, or null when missing or unreadable (detection never throws). */
async function read(files: Pick<Workspace, 'readText'>, path: string): Promise<string | null> {
  try {
    return await files.readText(path);
  } catch {
    return null;
  }
}

/**
 * The test commands the repository's build files imply, all that apply, in this order: npm, pytest,
 * go, cargo, make.
 */
export async function detectValidation(files: Pick<Workspace, 'readText'>): Promise<string[]> {
  const commands: string[] = [];
  if (hasRealNpmTest(await read(files, 'package.json'))) commands.push('npm test');
  if (await usesPytest(files)) commands.push('pytest');
  if ((await read(files, 'go.mod')) !== null) commands.push('go test ./...');
  if ((await read(files, 'Cargo.toml')) !== null) commands.push('cargo test');
  for (const name of ['GNUmakefile', 'makefile', 'Makefile']) {
    // GNU make's own lookup order; the first file that exists is the one `make` reads.
    const text = await read(files, name);
    if (text === null) continue;
    if (hasMakeTestTarget(text)) commands.push('make test');
    break;
  }
  return commands;
}

/** True for a non-empty test script that is not `npm init`'s placeholder; a corrupt file counts as none. */
export function hasRealNpmTest(packageJson: string | null): boolean {
  if (packageJson === null) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(packageJson);
  } catch {
    return false;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const scripts = (parsed as { scripts?: unknown }).scripts;
  if (typeof scripts !== 'object' || scripts === null) return false;
  const test = (scripts as { test?: unknown }).test;
  if (typeof test !== 'string' || test.trim() === '') return false;
  return !/no test specified/i.test(test);
}

async function usesPytest(files: Pick<Workspace, 'readText'>): Promise<boolean> {
  for (const marker of ['pytest.ini', 'conftest.py', 'tests/conftest.py']) {
    if ((await read(files, marker)) !== null) return true;
  }
  for (const config of ['pyproject.toml', 'setup.cfg', 'tox.ini']) {
    const text = await read(files, config);
    if (text !== null && /pytest/i.test(text)) return true;
  }
  return false;
}

/** True when a Makefile defines a `test` target (alone or among others), not a `test :=` variable. */
export function hasMakeTestTarget(makefile: string): boolean {
  return /^(?:[^\s:#=]+[ \t]+)*test(?:[ \t]+[^\s:#=]+)*[ \t]*::?(?!=)/m.test(makefile);
}
