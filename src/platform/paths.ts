import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/**
 * The project folder (where package.json says "cardflow"), found by walking up from this module:
 * the same answer whether the code runs from src/ through tsx or from the dist/ bundle.
 */
export function projectRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'cardflow') return (root = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the cardflow project folder above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const fromRoot = (...parts: string[]) => path.join(projectRoot(), ...parts);
