/**
 * Firmware version comparison and range matching for knowledge-base causes.
 *
 * Versions are semver-like (`MAJOR.MINOR.PATCH[-pre][+build]`); missing parts
 * count as 0 (`3.2` = `3.2.0`) and a leading `v` is ignored, because vehicle
 * metadata is not always strict. Ranges follow the npm/semver subset the
 * catalogue uses (semver.org §11 for precedence):
 *   `*`                 any version
 *   `4.7.0` / `=4.7.0`  exactly
 *   `<3.2.0` `<=` `>` `>=`  comparators; several separated by spaces must all hold
 *   `4.5.0 - 4.5.3`     inclusive hyphen range
 *   `a || b`            either
 * Pure functions; no I/O.
 */

/** A parsed version. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`1.0.0-rc.1` → `['rc', '1']`), empty for a release. */
  pre: string[];
}

const VERSION_RE = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Parses a version string; returns null when it is not one. */
export function parseVersion(text: string): Version | null {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return null;
  return {
    major: Number(m[1]),
    minor: m[2] === undefined ? 0 : Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    pre: m[4] === undefined ? [] : m[4].split('.'),
  };
}

function comparePre(a: string[], b: string[]): number {
  // A release ranks above any of its pre-releases (semver §11.3).
  if (a.length === 0 || b.length === 0) return (b.length === 0 ? 0 : 1) - (a.length === 0 ? 0 : 1);
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (xn !== yn) {
      return xn ? -1 : 1; // numeric identifiers rank lower (§11.4.3)
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** Orders two parsed versions: negative, 0 or positive. */
export function compareParsed(a: Version, b: Version): number {
  return Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch) || comparePre(a.pre, b.pre);
}

/**
 * Orders two version strings: -1, 0 or 1. Throws on an unparsable version.
 * @example compareVersions('3.10.0', '3.9.9') // 1
 */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa || !pb) throw new Error(`not a version: ${pa ? b : a}`);
  return compareParsed(pa, pb);
}

type Op = '<' | '<=' | '>' | '>=' | '=';
interface Comparator {
  op: Op;
  version: Version;
}
/** A parsed range: OR of AND-sets of comparators; an empty AND-set matches all. */
export type VersionRange = Comparator[][];

const COMPARATOR_RE = /^(<=|>=|<|>|=)?\s*(\S+)$/;

/** Parses a range string; returns null when malformed. */
export function parseRange(range: string): VersionRange | null {
  const text = range.trim();
  if (text === '') return null;
  const out: VersionRange = [];
  for (const alt of text.split('||')) {
    const part = alt.trim();
    if (part === '*' || part.toLowerCase() === 'x') {
      out.push([]);
      continue;
    }
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(part);
    if (hyphen) {
      const lo = parseVersion(hyphen[1] ?? '');
      const hi = parseVersion(hyphen[2] ?? '');
      if (!lo || !hi) return null;
      out.push([{ op: '>=', version: lo }, { op: '<=', version: hi }]);
      continue;
    }
    // Join "op version" written with a space (`>= 2.4.0`) before splitting.
    const tokens = part.replace(/(<=|>=|<|>|=)\s+/g, '$1').split(/\s+/);
    const set: Comparator[] = [];
    for (const tok of tokens) {
      const m = COMPARATOR_RE.exec(tok);
      const v = m ? parseVersion(m[2] ?? '') : null;
      if (!m || !v) return null;
      set.push({ op: (m[1] as Op | undefined) ?? '=', version: v });
    }
    if (set.length === 0) return null;
    out.push(set);
  }
  return out;
}

/** True when `range` parses. */
export function isValidRange(range: string): boolean {
  return parseRange(range) !== null;
}

function holds(c: Comparator, v: Version): boolean {
  const d = compareParsed(v, c.version);
  switch (c.op) {
    case '<': return d < 0;
    case '<=': return d <= 0;
    case '>': return d > 0;
    case '>=': return d >= 0;
    case '=': return d === 0;
  }
}

/**
 * True when `version` lies in `range`. An unparsable version only matches `*`;
 * an unparsable range matches nothing.
 * @example versionInRange('3.1.4', '<3.2.0') // true
 */
export function versionInRange(version: string, range: string): boolean {
  const r = parseRange(range);
  if (!r) return false;
  const v = parseVersion(version);
  if (!v) return r.some((set) => set.length === 0);
  return r.some((set) => set.every((c) => holds(c, v)));
}
