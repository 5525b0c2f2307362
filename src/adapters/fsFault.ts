// File-system faults Goalpost cannot work around (issue 12): a read-only or full disk, no permission, a
// file where a folder should be. They are told to the user as what happened and what to do, never as
// "unexpected error"; the goal's last saved state stays as it was, so it can be resumed once fixed.

/** The error codes taken as a fault of the disk or its permissions rather than a bug. */
const FAULT_CODES = ['EROFS', 'ENOSPC', 'EDQUOT', 'EACCES', 'EPERM', 'ENOTDIR', 'EISDIR'] as const;

/** One of FAULT_CODES. */
export type FsFaultCode = (typeof FAULT_CODES)[number];

/** A recognised fault: its code and, when known, the path it happened on. */
export interface FsFault {
  code: FsFaultCode;
  path: string | null;
}

function isFaultCode(code: unknown): code is FsFaultCode {
  return typeof code === 'string' && (FAULT_CODES as readonly string[]).includes(code);
}

/**
 * The fault behind `e`: a Node errno error, or an error whose message carries one (the store wraps
 * them as "Could not access FILE: EROFS: …"); null for anything else.
 */
export function fsFaultOf(e: unknown): FsFault | null {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 4; cur = cur.cause, depth++) {
    const err = cur as NodeJS.ErrnoException;
    if (isFaultCode(err.code)) return { code: err.code, path: err.path ?? pathIn(err.message) };
    const m = /\b(EROFS|ENOSPC|EDQUOT|EACCES|EPERM|ENOTDIR|EISDIR)\b/.exec(err.message);
    if (m && isFaultCode(m[1])) return { code: m[1], path: pathIn(err.message) };
  }
  return null;
}

/** The quoted path of a Node error message (`open '/x/y'`), or the file of "Could not access FILE:". */
function pathIn(message: string): string | null {
  return /'([^']+)'/.exec(message)?.[1] ?? /Could not access (.+?): /.exec(message)?.[1] ?? null;
}

/** What happened, in words, for `fault`. */
export function describeFsFault(fault: FsFault): string {
  const where = fault.path ? ` ${fault.path}` : ' its files';
  switch (fault.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `the disk is full: Goalpost could not write${where} (${fault.code}). Free some space`;
    case 'EROFS':
      return `the file system is read-only: Goalpost could not write${where} (EROFS). Make the folder writable (or work in a writable copy)`;
    case 'EACCES':
    case 'EPERM':
      return `Goalpost is not allowed to write${where} (${fault.code}). Make .goalpost/ and the files Goalpost keeps (BACKLOG.md, goal_status.log) writable by this user (check chmod and chattr)`;
    case 'ENOTDIR':
    case 'EISDIR':
      return `a file or folder is in the way: Goalpost could not write${where} (${fault.code}: a file where a folder is expected, or a folder where a file is). Remove or rename it`;
  }
}
