// Loads the prompt templates from prompts/*.md and validates them before the engine ever uses one,
// so a broken installation fails at start with the file's name instead of mid-goal.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PROMPT_NAMES, PromptError, validateLibrary, type PromptLibrary, type PromptName } from '../engine/prompts';

/**
 * Where prompts/ may live, in order: next to the bundle (dist/../prompts), next to the tsc output
 * (out/src/adapters/../../../prompts), and the current directory (tests compiled to another outDir).
 */
export function defaultPromptDirs(): string[] {
  return [
    path.resolve(__dirname, '..', 'prompts'),
    path.resolve(__dirname, '..', '..', '..', 'prompts'),
    path.resolve(process.cwd(), 'prompts'),
  ];
}

/** The first candidate folder that holds the prompts, or null. */
export async function findPromptDir(candidates: string[] = defaultPromptDirs()): Promise<string | null> {
  for (const dir of candidates) {
    try {
      await fs.access(path.join(dir, 'system_actor.md'));
      return dir;
    } catch {
      // Not this one: try the next candidate.
    }
  }
  return null;
}

/** Line endings normalised and trailing blank lines dropped, so a Windows checkout renders the same bytes. */
export function normalizeTemplate(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\s+$/, '');
}

/** Reads and validates every prompt from `dir` (default: found next to the running code). */
export async function loadPromptLibrary(dir?: string): Promise<PromptLibrary> {
  const root = dir ?? (await findPromptDir());
  if (root === null) {
    throw new PromptError('*', null, `Goalpost's prompts folder was not found (looked in ${defaultPromptDirs().join(', ')}). The installation is incomplete: reinstall or rebuild Goalpost.`);
  }
  const entries = await Promise.all(
    PROMPT_NAMES.map(async (name): Promise<[PromptName, string]> => {
      const file = path.join(root, `${name}.md`);
      try {
        return [name, normalizeTemplate(await fs.readFile(file, 'utf8'))];
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const what = code === 'ENOENT' ? 'is missing' : `cannot be read (${(e as Error).message})`;
        throw new PromptError(name, null, `The prompt file ${file} ${what}. The installation is incomplete: reinstall or rebuild Goalpost.`);
      }
    }),
  );
  return validateLibrary(Object.fromEntries(entries));
}
