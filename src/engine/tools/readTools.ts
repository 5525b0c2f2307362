// The three read-only tools every role has: list_files, read_file, search_text.
import * as z from 'zod';
import { defineTool } from './defineTool';
import type { ToolCapabilities } from './capabilities';

export const listFilesTool = defineTool({
  name: 'list_files',
  description: 'List files and folders under a path of the workspace, recursively (honours .gitignore). Use "." for the root.',
  schema: z.object({ path: z.string().describe('Folder relative to the workspace root, e.g. "." or "src".') }),
  async run(args, caps: ToolCapabilities) {
    const { entries, truncated } = await caps.workspace.listFiles(args.path);
    const lines = entries.map((e) => (e.type === 'dir' ? `${e.path}/` : e.path));
    if (lines.length === 0) lines.push('(empty)');
    if (truncated) lines.push('… (listing truncated: list a subfolder to see more)');
    return { content: lines.join('\n') };
  },
});

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Read a text file of the workspace, optionally a 1-based inclusive line range. Long files are returned in slices; ask for the next range.',
  schema: z.object({
    path: z.string().describe('File path relative to the workspace root.'),
    start_line: z.number().int().min(1).optional().describe('First line to read (1-based).'),
    end_line: z.number().int().min(1).optional().describe('Last line to read (inclusive).'),
  }),
  async run(args, caps: ToolCapabilities) {
    const slice = await caps.workspace.readFile(args.path, { startLine: args.start_line, endLine: args.end_line });
    const header = `${args.path} lines ${slice.startLine}-${slice.endLine} of ${slice.totalLines}`;
    const more = slice.truncated || slice.endLine < slice.totalLines
      ? `\n… (more: read_file with start_line ${slice.endLine + 1})`
      : '';
    return { content: `${header}\n${slice.text}${more}` };
  },
});

export const searchTextTool = defineTool({
  name: 'search_text',
  description: 'Search the workspace for a literal string (case-sensitive). Returns path:line: text for each match.',
  schema: z.object({
    query: z.string().min(1).describe('The literal text to find.'),
    path: z.string().optional().describe('Limit the search to this folder or file.'),
  }),
  async run(args, caps: ToolCapabilities) {
    const { matches, truncated } = await caps.workspace.searchText(args.query, args.path);
    if (matches.length === 0) return { content: `No match for ${JSON.stringify(args.query)}.` };
    const lines = matches.map((m) => `${m.path}:${m.line}: ${m.text}`);
    if (truncated) lines.push('… (more matches: narrow the path or the query)');
    return { content: lines.join('\n') };
  },
});
