/**
 * Where the shared test data lives: `../shared` beside the repository root
 * (CI clones the repo elsewhere with `shared/` next to it). Tests and
 * scripts resolve it from this file, never from an absolute path, and fail
 * loudly when it is missing — a missing data folder must not look like a pass.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of `<repo>/../shared` (this file is `<repo>/native/lib/shared-data.ts`). */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));

/** Path of `parts` under the shared folder; throws if it does not exist. */
export function sharedPath(...parts: string[]): string {
  const p = join(SHARED_DIR, ...parts);
  if (!existsSync(p)) {
    throw new Error(`shared test data missing: ${p} (expected the shared/ folder beside the repository root)`);
  }
  return p;
}
