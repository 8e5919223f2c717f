// The evidence export's zip, read back with a real unzipper (unzip -Z / -p from Debian's unzip when
// present, else Python's zipfile): every file there, byte for byte, in its folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, zipFiles } from '../../../static/admin-page/src/zip-files';

const readZip = (bytes: Uint8Array): Record<string, string> => {
  const dir = mkdtempSync(join(tmpdir(), 'cc81-zip-'));
  const file = join(dir, 'evidence.zip');
  writeFileSync(file, bytes);
  const script = 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({n: z.read(n).decode("utf-8") for n in z.namelist()}))';
  return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' })) as Record<string, string>;
};

describe('zipFiles', () => {
  it('CRC-32 as zip computes it', () => {
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(new Uint8Array())).toBe(0);
  });

  it('an archive any unzipper reads: every file, UTF-8, in its folder, so the index links resolve', () => {
    const files = [
      { name: 'index.html', content: '<a href="tickets/CHG-1.html">CHG-1</a>' },
      { name: 'tickets/CHG-1.html', content: '<a href="../index.html">← index</a> Zoë’s change' },
      { name: 'population.json', content: '{"count":1}' },
    ];
    expect(readZip(zipFiles(files, new Date('2026-12-07T10:00:00Z')))).toEqual(Object.fromEntries(files.map((f) => [f.name, f.content])));
  });

  it('refuses a path that would leave the folder', () => {
    expect(() => zipFiles([{ name: '../evil.html', content: 'x' }], new Date())).toThrow(/not a relative path/);
    expect(() => zipFiles([{ name: '/abs.html', content: 'x' }], new Date())).toThrow(/not a relative path/);
  });
});
