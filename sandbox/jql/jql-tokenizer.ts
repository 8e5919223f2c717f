/**
 * Splits a JQL query into tokens: words (unquoted values, field names and keywords), quoted
 * strings (escapes decoded), operators and punctuation. Reserved characters outside quotes are
 * refused as Jira refuses them.
 */
import { syntaxError } from './jql-errors';

export type TokenKind = 'word' | 'string' | 'operator' | '(' | ')' | ',' | '[' | ']' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The word, the decoded string, or the operator. */
  text: string;
  /** 0-based offset of the token's first character. */
  at: number;
  /** 0-based offset just past the token. */
  end: number;
}

const PUNCTUATION: Record<string, TokenKind> = { '(': '(', ')': ')', ',': ',', '[': '[', ']': ']' };
/** Characters Jira reserves: they end a word and must be quoted or escaped. */
const RESERVED_CHARS = new Set([...'{}|&*%^+?;#@$/\\`']);
const OPERATOR_START = new Set([...'=!<>~']);

const isWordChar = (c: string): boolean =>
  !/\s/.test(c) && !(c in PUNCTUATION) && !RESERVED_CHARS.has(c) && !OPERATOR_START.has(c) && c !== '"' && c !== "'";

const ESCAPES: Record<string, string> = { '"': '"', "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', ' ': ' ' };

const readString = (source: string, start: number): Token => {
  const quote = source[start]!;
  let text = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i]!;
    if (c === quote) return { kind: 'string', text, at: start, end: i + 1 };
    if (c === '\\') {
      const next = source[i + 1];
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(source.slice(i + 2, i + 6))) {
        text += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const decoded = next === undefined ? undefined : ESCAPES[next];
      if (decoded === undefined) throw syntaxError(source, i, `The escape sequence '\\${next ?? ''}' in the JQL query is illegal.`);
      text += decoded;
      i += 2;
      continue;
    }
    text += c;
    i += 1;
  }
  throw syntaxError(source, start, `The quoted string '${text}' has not been completed.`);
};

const readOperator = (source: string, start: number): Token => {
  const two = source.slice(start, start + 2);
  if (two === '!=' || two === '<=' || two === '>=' || two === '!~') return { kind: 'operator', text: two, at: start, end: start + 2 };
  const one = source[start]!;
  if (one === '!') throw syntaxError(source, start, "The character '!' must be followed by '=' or '~' to form an operator.");
  return { kind: 'operator', text: one, at: start, end: start + 1 };
};

export const tokenize = (source: string): Token[] => {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i += 1;
    } else if (c in PUNCTUATION) {
      tokens.push({ kind: PUNCTUATION[c]!, text: c, at: i, end: i + 1 });
      i += 1;
    } else if (c === '"' || c === "'") {
      const token = readString(source, i);
      tokens.push(token);
      i = token.end;
    } else if (OPERATOR_START.has(c)) {
      const token = readOperator(source, i);
      tokens.push(token);
      i = token.end;
    } else if (RESERVED_CHARS.has(c)) {
      const code = c.charCodeAt(0).toString(16).padStart(4, '0');
      throw syntaxError(source, i, `The character '${c}' is a reserved JQL character. You must enclose it in a string or use the escape '\\u${code}' instead.`);
    } else {
      let end = i;
      while (end < source.length && isWordChar(source[end]!)) end += 1;
      tokens.push({ kind: 'word', text: source.slice(i, end), at: i, end });
      i = end;
    }
  }
  tokens.push({ kind: 'eof', text: '', at: source.length, end: source.length });
  return tokens;
};
