import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium } from './browser';

const fakeBinary = (): string => {
  const path = join(mkdtempSync(join(tmpdir(), 'cc81-chromium-')), 'chromium');
  writeFileSync(path, '');
  return path;
};

describe('findChromium', () => {
  it('takes CC81_CHROMIUM first', async () => {
    const env = fakeBinary();
    await expect(findChromium({ CC81_CHROMIUM: env }, [fakeBinary()])).resolves.toEqual({ kind: 'env', path: env });
  });

  it('refuses a CC81_CHROMIUM that does not exist, naming it', async () => {
    await expect(findChromium({ CC81_CHROMIUM: '/nope/chromium' }, [])).rejects.toThrow('CC81_CHROMIUM is /nope/chromium');
  });

  it('takes the first system browser that exists', async () => {
    const system = fakeBinary();
    await expect(findChromium({}, ['/nope/chromium', system])).resolves.toEqual({ kind: 'system', path: system });
  });

  it('falls back to the chromium that the npm package ships', async () => {
    const found = await findChromium({}, ['/nope/chromium']);
    expect(found.kind).toBe('npm');
    expect(found.path).toMatch(/chromium$/);
  });
});
