/**
 * Splits the UTF-8 bytes of a `search/jql` export (one page `{issues: [...]}` or an array of pages)
 * into the JSON text of each issue, without decoding or materialising the whole document: each
 * issue is then parsed on its own and can be dropped once mapped, so a 100 MB export never sits in
 * memory as one string or one object graph. Structural characters are ASCII, and UTF-8 never uses
 * bytes below 0x80 inside a multi-byte character, so scanning bytes is exact. Everything outside
 * the issues is checked to be well-formed JSON too; a truncated file ends in the middle of a value
 * and is reported with its byte offset.
 */
export class ExportScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COMMA = 44;
const COLON = 58;

const isSpace = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

const TRUNCATED_STRING = -2;
const TRUNCATED_CONTAINER = -1;

/**
 * Just past the object or array that opens at `from`; negative when the bytes end first (inside a
 * string: TRUNCATED_STRING). The hot loop (every byte of every issue), kept apart so it optimises
 * on its own: a backslash in a string escapes the byte after it.
 */
const containerEnd = (bytes: Uint8Array, from: number): number => {
  const n = bytes.length;
  let depth = 0;
  let i = from;
  while (i < n) {
    const d = bytes[i]!;
    if (d === QUOTE) {
      i += 1;
      for (;;) {
        if (i >= n) return TRUNCATED_STRING;
        const e = bytes[i]!;
        if (e === QUOTE) break;
        i += e === BACKSLASH ? 2 : 1;
      }
    } else if (d === OPEN_BRACE || d === OPEN_BRACKET) depth += 1;
    else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
    i += 1;
  }
  return TRUNCATED_CONTAINER;
};

export interface IssueSlice {
  page: number;
  index: number;
  json: string;
}

export function* issueSlices(bytes: Buffer): Generator<IssueSlice> {
  const n = bytes.length;
  const at = (i: number): number => (i < n ? bytes[i]! : -1);
  const decode = (from: number, to: number) => bytes.toString('utf8', from, to);
  const view = new Uint8Array(bytes.buffer, bytes.byteOffset, n); // a plain typed array for the hot loop
  let pos = 0;

  const end = (what: string): never => {
    throw new ExportScanError(`unexpected end of file inside ${what}; the file looks truncated`, pos);
  };
  const skipSpace = () => {
    while (pos < n && isSpace(bytes[pos]!)) pos += 1;
  };
  const expect = (code: number, what: string) => {
    skipSpace();
    if (pos >= n) end(what);
    if (bytes[pos] !== code) throw new ExportScanError(`expected '${String.fromCharCode(code)}' (${what})`, pos);
    pos += 1;
  };
  /** From an opening quote to just past the closing one (a backslash escapes the byte after it). */
  const skipString = () => {
    let i = pos + 1;
    while (i < n) {
      const c = bytes[i]!;
      if (c === QUOTE) {
        pos = i + 1;
        return;
      }
      i += c === BACKSLASH ? 2 : 1;
    }
    pos = n;
    end('a string');
  };
  /** Skips one value; returns where it started. Containers are checked by JSON.parse later or here. */
  const skipValue = (what: string): number => {
    skipSpace();
    if (pos >= n) end(what);
    const start = pos;
    const c = at(pos);
    if (c === QUOTE) {
      skipString();
      return start;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const after = containerEnd(view, pos);
      if (after < 0) {
        pos = n;
        end(after === TRUNCATED_STRING ? 'a string' : what);
      }
      pos = after;
      return start;
    }
    while (pos < n) {
      const d = at(pos);
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) break;
      pos += 1;
    }
    if (pos >= n) end(what);
    return start;
  };
  const checked = (start: number, what: string): string => {
    const slice = decode(start, pos);
    try {
      JSON.parse(slice);
    } catch {
      throw new ExportScanError(`${what} is not valid JSON`, start);
    }
    return slice;
  };
  /** `,` → true (more), the closer → false. */
  const next = (closer: number, what: string): boolean => {
    skipSpace();
    if (pos >= n) end(what);
    const c = at(pos);
    pos += 1;
    if (c === COMMA) return true;
    if (c === closer) return false;
    throw new ExportScanError(`expected ',' or '${String.fromCharCode(closer)}' in ${what}`, pos - 1);
  };
  const empty = (closer: number): boolean => {
    skipSpace();
    if (at(pos) === closer) {
      pos += 1;
      return true;
    }
    return false;
  };

  function* page(pageIndex: number): Generator<IssueSlice> {
    expect(OPEN_BRACE, `page ${pageIndex}`);
    let sawIssues = false;
    if (empty(CLOSE_BRACE)) throw new ExportScanError(`page ${pageIndex} has no issues`, pos);
    do {
      skipSpace();
      if (at(pos) !== QUOTE) throw new ExportScanError(`expected a property name in page ${pageIndex}`, pos);
      const keyStart = pos;
      skipString();
      const key = JSON.parse(decode(keyStart, pos)) as string;
      expect(COLON, `page ${pageIndex}`);
      if (key !== 'issues') {
        checked(skipValue(`page ${pageIndex}`), `page ${pageIndex}.${key}`);
        continue;
      }
      sawIssues = true;
      expect(OPEN_BRACKET, `the issues of page ${pageIndex}`);
      if (empty(CLOSE_BRACKET)) continue;
      let index = 0;
      do {
        const start = skipValue(`issue ${index} of page ${pageIndex}`);
        yield { page: pageIndex, index, json: decode(start, pos) };
        index += 1;
      } while (next(CLOSE_BRACKET, `the issues of page ${pageIndex}`));
    } while (next(CLOSE_BRACE, `page ${pageIndex}`));
    if (!sawIssues) throw new ExportScanError(`page ${pageIndex} has no "issues" array`, pos);
  }

  skipSpace();
  if (pos >= n) end('the document');
  if (at(pos) === OPEN_BRACKET) {
    pos += 1;
    if (empty(CLOSE_BRACKET)) throw new ExportScanError('the file is an empty array of pages', pos);
    let pageIndex = 0;
    do {
      yield* page(pageIndex);
      pageIndex += 1;
    } while (next(CLOSE_BRACKET, 'the array of pages'));
  } else {
    yield* page(0);
  }
  skipSpace();
  if (pos < n) throw new ExportScanError('unexpected content after the export', pos);
}
