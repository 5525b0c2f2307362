// The one format of every time a person reads: the panel (activity, commits, history, reviews), the commit
// list and the review comments in the editor, the CLI's progress, `status` and `history`, and the report.
// It used to be four (toLocaleTimeString, toLocaleString with and without options, UTC slices of the ISO
// string), so one event read differently in each place.
//
// Decision: local time, 24-hour, with seconds, in digits that read the same in every locale and in the
// webview, the extension host and a terminal alike: "14:05:09" for a time today, "2026-12-01 14:05:09" for
// any other day (the ISO year-month-day order sorts, and never mixes up day and month). Screens pass `now`
// and show the date only when it is not today; a page that is kept and read later (the report) passes no
// `now`, so it always carries the date. No words ("yesterday"), so nothing here needs translating.
//
// Machine-readable files keep ISO 8601 UTC (goal_status.log, `--json` events, the goal record): they are
// parsed (docs/events.md, the panel's activity tail), and this format is not meant to be.
//
// Pure and import-free, so the webview bundle, the engine, the CLI and the editor all share it.

/** ISO 8601 with a time: what every Goalpost record and log line carries. Other text is not a time to us. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

function localDate(d: Date): string {
  return `${String(d.getFullYear()).padStart(4, '0')}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/**
 * A time as a person reads it: local "HH:MM:SS" when it falls on the same local day as `now`, else
 * "YYYY-MM-DD HH:MM:SS"; without `now` always with the date. Text that is not an ISO 8601 time (a damaged
 * log line) is returned as it is, so nothing the reader could use is hidden; an invalid Date gives "".
 */
export function formatTime(at: string | Date, now?: Date): string {
  let d: Date;
  if (typeof at === 'string') {
    if (!ISO_TIME.test(at.trim())) return at;
    d = new Date(at.trim());
    if (Number.isNaN(d.getTime())) return at;
  } else {
    if (Number.isNaN(at.getTime())) return '';
    d = at;
  }
  const clock = `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  const day = localDate(d);
  return now && !Number.isNaN(now.getTime()) && localDate(now) === day ? clock : `${day} ${clock}`;
}
