import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function newest(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = 0;
  for (const entry of readdirSync(p)) n = Math.max(n, newest(path.join(p, entry)));
  return n;
}

/** Whether `output` exists and is at least as new as every file under `inputs`. */
export function isFresh(output, inputs) {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((i) => newest(i) <= built);
}
