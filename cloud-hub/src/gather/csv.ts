/**
 * A fast CSV record reader (RFC 4180: comma separated, CRLF or LF line ends,
 * fields optionally in double quotes, `""` escaping a quote, line breaks
 * allowed inside quotes). Lines without a quote take a fast path of plain
 * `indexOf` splitting, which is most lines of a numeric topic.
 */

/**
 * Calls `onRow` with the cells of every record of `text`, header included,
 * in order. Empty lines are skipped. The `cells` array is fresh per call.
 * An unterminated quote takes the rest of the text as its field (RFC 4180 §2.6
 * gives no rule for it; a truncated chunk should not lose its earlier rows).
 * @example forEachCsvRow('a,b\n1,"x,y"\n', (c) => console.log(c)) // ['a','b'] then ['1','x,y']
 */
export function forEachCsvRow(text: string, onRow: (cells: string[]) => void): void {
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let nextQuote = text.indexOf('"', pos);
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    if (nextQuote === -1 || nextQuote >= eol) {
      let end = eol;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      if (end > pos) {
        const cells: string[] = [];
        let s = pos;
        for (;;) {
          const c = text.indexOf(',', s);
          if (c === -1 || c >= end) {
            cells.push(text.slice(s, end));
            break;
          }
          cells.push(text.slice(s, c));
          s = c + 1;
        }
        onRow(cells);
      }
      pos = eol + 1;
    } else {
      pos = readQuotedRecord(text, pos, onRow);
      nextQuote = text.indexOf('"', pos);
    }
  }
}

/** Slow path: a record with at least one quote. Returns the position after it. */
function readQuotedRecord(text: string, start: number, onRow: (cells: string[]) => void): number {
  const n = text.length;
  const cells: string[] = [];
  let i = start;
  for (;;) {
    let field = '';
    if (text.charCodeAt(i) === 34) {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i);
          i = n;
          break;
        }
        field += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    }
    // Unquoted field, or stray characters after a closing quote.
    let j = i;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 44 || c === 10) break;
      j++;
    }
    let end = j;
    if (end > i && text.charCodeAt(end - 1) === 13 && (j === n || text.charCodeAt(j) === 10)) end--;
    field += text.slice(i, end);
    cells.push(field);
    if (j < n && text.charCodeAt(j) === 44) {
      i = j + 1;
      continue;
    }
    onRow(cells);
    return j + 1;
  }
}

/** A decoded CSV cell: number, boolean, string, or null when empty. */
export type Cell = number | boolean | string | null;

/**
 * Types one cell: numbers (incl. `NaN`, `inf`), `true`/`false`, else the text.
 * @example parseCell('-1') // -1
 */
export function parseCell(s: string): Cell {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 46 || c === 43) {
    const v = Number(s);
    if (!Number.isNaN(v)) return v;
    if (s === '-inf' || s === '-Infinity') return -Infinity;
    return s;
  }
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s === 'NaN' || s === 'nan') return NaN;
  if (s === 'inf' || s === 'Infinity') return Infinity;
  return s;
}

/** A cell as a number: booleans are 1/0, other non-numbers NaN. */
export function cellNumber(v: Cell): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}
