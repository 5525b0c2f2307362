// One place that guarantees servers, browsers and temp folders die with the runner: on a normal exit,
// on Ctrl+C / SIGTERM / SIGHUP, and on an uncaught error. Cleanups are synchronous because the
// 'exit' event allows nothing else; async code should still clean up itself on the happy path.
const cleanups = new Set();
let installed = false;

function runAll() {
  for (const cleanup of [...cleanups].reverse()) {
    cleanups.delete(cleanup);
    try {
      cleanup();
    } catch {
      // Best effort: one failing cleanup must not keep the others from running.
    }
  }
}

function install() {
  if (installed) return;
  installed = true;
  process.on('exit', runAll);
  for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(signal, () => {
      process.stderr.write(`[vscode-test] ${signal}: stopping servers and browsers\n`);
      runAll();
      process.exit(128 + number);
    });
  }
  const crash = (error) => {
    process.stderr.write(`[vscode-test] crashed: ${error?.stack ?? error}\n`);
    runAll();
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** Registers a synchronous cleanup to run if the process ends first; returns its unregister function. */
export function registerCleanup(cleanup) {
  install();
  cleanups.add(cleanup);
  return () => cleanups.delete(cleanup);
}
