// Goal ids: readable, sortable, unique enough per folder, valid as a git branch component.

/** `g-20261121-152451-k3x9` from a date and a random source (injected for tests). */
export function newGoalId(now: Date, random: () => number = Math.random): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  let suffix = '';
  for (let i = 0; i < 4; i++) suffix += alphabet[Math.floor(random() * alphabet.length)];
  return `g-${stamp}-${suffix}`;
}
