// The file-backed GoalStore lives in store/ (a snapshot plus a journal of changes, see
// store/fileStore.ts); this module keeps the name the CLI, the extension and the tests import.
export { FileGoalStore, type FileGoalStoreOptions, type GoalHistory, type StoreWrites } from './store/fileStore';
