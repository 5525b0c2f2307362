// The folder's `.vscode/settings.json` as the CLI's defaults (F8): the editor and CI share one
// configuration. The file is JSONC (comments, trailing commas), read with jsonc-parser, the parser VS
// Code itself uses. Every `goalpost.*` value is checked with the engine's zod schema; a bad one is an
// error naming the file and the key (exit 1, nothing written), because a CI run must not silently use
// a default the team did not choose. Flags win over the file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import * as z from 'zod';
import { EngineSettings } from '../engine/settings';
import { CliError } from './exitCodes';
import { contributes } from '../../package.json';

/** Where the folder's settings live, relative to the project root. */
export const SETTINGS_FILE = path.join('.vscode', 'settings.json');

/** `goalpost.*` keys the CLI reads that are not engine settings. */
const CLI_KEYS = {
  baseUrl: z.string().trim().refine((v) => v === '' || /^https?:\/\/\S+$/.test(v), 'expected an http:// or https:// URL (or empty)'),
} as const;

/**
 * Keys a run never takes from the folder's file: the agent can write it, and these loosen the sandbox, the
 * security boundary (the editor scopes them `machine`, so VS Code ignores a workspace value too). Use the flags.
 */
const USER_ONLY_KEYS: readonly string[] = ['sandbox', 'sandboxNetwork'];

/** What the file contributes: engine settings (raw, validated) and the endpoint. */
export interface FolderSettings {
  /** Validated engine setting values the file sets (only those it sets). */
  engine: Partial<EngineSettings>;
  /** goalpost.baseUrl, when set and not empty. */
  baseUrl?: string;
  /** The file read, or null when the folder has none. */
  file: string | null;
  /** `goalpost.*` keys no Goalpost version knows (typos): named once, ignored. */
  unknownKeys: string[];
  /** Keys the file sets that a run does not take from it (USER_ONLY_KEYS): named once, ignored. */
  ignoredKeys: string[];
}

/** Keys the extension contributes (package.json), so a key another part of Goalpost reads is not "unknown". */
function contributedKeys(): Set<string> {
  const config = contributes.configuration as { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[];
  return new Set((Array.isArray(config) ? config : [config]).flatMap((c) => Object.keys(c.properties)));
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
}

/** Reads `<root>/.vscode/settings.json`; an absent file gives empty settings. Throws CliError on bad content. */
export function readFolderSettings(root: string): FolderSettings {
  const file = path.join(root, SETTINGS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { engine: {}, file: null, unknownKeys: [], ignoredKeys: [] };
    throw new CliError(`Cannot read ${file}: ${(e as Error).message}`);
  }
  const errors: ParseError[] = [];
  const data: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length > 0) {
    const first = errors[0];
    throw new CliError(`${file} is not valid JSON with comments: ${printParseErrorCode(first.error)} at ${lineAndColumn(text, first.offset)}. Fix the file (the CLI reads its goalpost.* keys as defaults).`);
  }
  if (data === undefined) return { engine: {}, file, unknownKeys: [], ignoredKeys: [] };
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliError(`${file} must hold one JSON object of settings.`);
  }
  const shape = EngineSettings.shape;
  const known = contributedKeys();
  const engine: Record<string, unknown> = {};
  const problems: string[] = [];
  const unknownKeys: string[] = [];
  const ignoredKeys: string[] = [];
  let baseUrl: string | undefined;
  for (const [fullKey, value] of Object.entries(data as Record<string, unknown>)) {
    if (!fullKey.startsWith('goalpost.')) continue;
    const key = fullKey.slice('goalpost.'.length);
    if (USER_ONLY_KEYS.includes(key)) {
      ignoredKeys.push(fullKey);
      continue;
    }
    const schema = key in shape ? shape[key as keyof typeof shape] : key in CLI_KEYS ? CLI_KEYS[key as keyof typeof CLI_KEYS] : null;
    if (schema === null) {
      if (!known.has(fullKey)) unknownKeys.push(fullKey);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      problems.push(`${file}: ${fullKey} ${JSON.stringify(value)?.slice(0, 80)} is invalid: ${parsed.error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ')}.`);
      continue;
    }
    if (key === 'baseUrl') baseUrl = parsed.data === '' ? undefined : String(parsed.data);
    else engine[key] = parsed.data;
  }
  if (problems.length > 0) throw new CliError(`${problems.join('\n')}\nFix the value (flags override it for one run).`);
  return { engine: engine as Partial<EngineSettings>, ...(baseUrl !== undefined ? { baseUrl } : {}), file, unknownKeys, ignoredKeys };
}
