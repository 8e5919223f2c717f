/** @jest-environment jsdom */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserDownload } from '../../../static/issue-panel/src/panel-browser';

const SRC = join(__dirname, '../../../static/issue-panel/src');

/** jsdom's Blob has no text(): read it as the browser would. */
const textOf = (blob: Blob): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });

describe('browserDownload (the export buttons\' side effect)', () => {
  const created: Blob[] = [];
  let clicked: { href: string; download: string; attached: boolean }[] = [];

  beforeEach(() => {
    jest.useFakeTimers();
    created.length = 0;
    clicked = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return `blob:panel/${created.length}`;
    });
    URL.revokeObjectURL = jest.fn();
    jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, attached: document.body.contains(this) });
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    jest.useRealTimers();
  });

  it('saves the page through a temporary <a download> over a Blob, never a pop-up, and frees the URL later', async () => {
    const open = jest.spyOn(window, 'open').mockImplementation(() => null);
    browserDownload('cc81-evidence-CHG-12.html', '<!doctype html><title>x</title>', 'text/html;charset=utf-8');
    expect(clicked).toEqual([{ href: 'blob:panel/1', download: 'cc81-evidence-CHG-12.html', attached: true }]);
    expect(created[0]!.type).toBe('text/html;charset=utf-8');
    expect(document.querySelectorAll('a')).toHaveLength(0);
    expect(open).not.toHaveBeenCalled();
    expect(URL.revokeObjectURL).not.toHaveBeenCalled();
    jest.advanceTimersByTime(60_000);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:panel/1');
    jest.useRealTimers(); // jsdom's FileReader reports on a timer
    await expect(textOf(created[0]!)).resolves.toBe('<!doctype html><title>x</title>');
  });

  it('no panel source calls window.open (the Custom UI iframe has no allow-popups)', () => {
    const sources = readdirSync(SRC).filter((name) => /\.tsx?$/.test(name));
    expect(sources.length).toBeGreaterThan(3);
    const offenders = sources.filter((name) => /window\s*\.\s*open\s*\(/.test(readFileSync(join(SRC, name), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
