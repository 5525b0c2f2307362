// The tool contract of PRODUCT.md F9: which tools each role has, and which one ends its turn.
import { listFilesTool, readFileTool, searchTextTool } from './readTools';
import { deleteFileTool, editFileTool, writeFileTool } from './writeTools';
import { runCommandTool } from './runCommand';
import { addTasksTool, finishTaskTool, reportBlockerTool, submitPlanTool, submitReviewTool } from './submitTools';
import type { ToolDefinition } from './defineTool';
import type { ToolCapabilities } from './capabilities';

/** A role's tools and the names that end its turn. */
export interface Toolset {
  tools: ToolDefinition<ToolCapabilities>[];
  terminal: string[];
  /** The tool named in the reminder when a turn ends without a terminal call. */
  reminderTool: string;
}

const readTools = [listFilesTool, readFileTool, searchTextTool] as ToolDefinition<ToolCapabilities>[];

export const plannerToolset: Toolset = {
  tools: [...readTools, submitPlanTool as ToolDefinition<ToolCapabilities>],
  terminal: ['submit_plan'],
  reminderTool: 'submit_plan',
};

export const actorToolset: Toolset = {
  tools: [
    ...readTools,
    writeFileTool,
    editFileTool,
    deleteFileTool,
    runCommandTool,
    addTasksTool,
    finishTaskTool,
    reportBlockerTool,
  ] as ToolDefinition<ToolCapabilities>[],
  terminal: ['finish_task', 'report_blocker'],
  reminderTool: 'finish_task (or report_blocker)',
};

export const reviewerToolset: Toolset = {
  tools: [...readTools, submitReviewTool as ToolDefinition<ToolCapabilities>],
  terminal: ['submit_review'],
  reminderTool: 'submit_review',
};
