// The actor's file-changing tools: write_file, edit_file, delete_file.
import * as z from 'zod';
import { WorkspaceError } from '../ports';
import { defineTool } from './defineTool';
import { refuseProtected, type ToolCapabilities } from './capabilities';

function guard(caps: ToolCapabilities, path: string): void {
  const refusal = refuseProtected(caps, path);
  if (refusal) throw new WorkspaceError(refusal);
}

export const writeFileTool = defineTool({
  name: 'write_file',
  description: 'Create or overwrite a file with the given content. Prefer edit_file for changes to existing files.',
  schema: z.object({
    path: z.string().describe('File path relative to the workspace root.'),
    content: z.string().describe('The complete new content of the file.'),
  }),
  async run(args, caps: ToolCapabilities) {
    guard(caps, args.path);
    const before = await caps.workspace.readText(args.path);
    if (before === args.content) return { content: `${args.path} already has this content; nothing changed.` };
    await caps.workspace.writeFile(args.path, args.content);
    caps.onFileChanged(args.path);
    const lines = args.content.length === 0 ? 0 : args.content.split('\n').length;
    return { content: `${before === null ? 'Created' : 'Wrote'} ${args.path} (${lines} lines).` };
  },
});

export const editFileTool = defineTool({
  name: 'edit_file',
  description: 'Replace one exact occurrence of old_text with new_text in a file. old_text must match exactly once (include surrounding lines to make it unique).',
  schema: z.object({
    path: z.string().describe('File path relative to the workspace root.'),
    old_text: z.string().min(1).describe('Exact text to replace; must occur exactly once.'),
    new_text: z.string().describe('Replacement text.'),
  }),
  async run(args, caps: ToolCapabilities) {
    guard(caps, args.path);
    const text = await caps.workspace.readText(args.path);
    if (text === null) throw new WorkspaceError(`${args.path} does not exist. Use write_file to create it.`);
    const first = text.indexOf(args.old_text);
    if (first < 0) {
      throw new WorkspaceError(`old_text was not found in ${args.path}. Read the file again and copy the exact text, including whitespace.`);
    }
    if (text.indexOf(args.old_text, first + 1) >= 0) {
      throw new WorkspaceError(`old_text occurs more than once in ${args.path}. Include more surrounding lines so it matches exactly once.`);
    }
    if (args.old_text === args.new_text) return { content: 'old_text and new_text are identical; nothing changed.' };
    const next = text.slice(0, first) + args.new_text + text.slice(first + args.old_text.length);
    await caps.workspace.writeFile(args.path, next);
    caps.onFileChanged(args.path);
    const line = text.slice(0, first).split('\n').length;
    return { content: `Edited ${args.path} at line ${line}.` };
  },
});

export const deleteFileTool = defineTool({
  name: 'delete_file',
  description: 'Delete a file of the workspace.',
  schema: z.object({ path: z.string().describe('File path relative to the workspace root.') }),
  async run(args, caps: ToolCapabilities) {
    guard(caps, args.path);
    await caps.workspace.deleteFile(args.path);
    caps.onFileChanged(args.path);
    return { content: `Deleted ${args.path}.` };
  },
});
