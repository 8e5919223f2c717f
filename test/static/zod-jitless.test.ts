// Custom UI runs under a CSP without 'unsafe-eval': once the UI's first import has run, zod never touches `Function`.
import type * as Zod from 'zod';

type Counted = { calls: number };

/** Loads zod afresh (its eval probe is cached per module instance), runs `setup`, then parses with `Function` counted. */
const parseCountingFunction = (setup: () => void): Counted => {
  const counted: Counted = { calls: 0 };
  const realFunction = globalThis.Function;
  jest.isolateModules(() => {
    setup();
    const { z } = jest.requireActual<typeof Zod>('zod');
    const schema = z.object({ key: z.string(), n: z.number().int(), tags: z.array(z.string()) });
    globalThis.Function = new Proxy(realFunction, {
      construct(target, args) {
        counted.calls += 1;
        return Reflect.construct(target, args);
      },
      apply(target, self, args) {
        counted.calls += 1;
        return Reflect.apply(target, self, args);
      },
    });
    try {
      for (let i = 0; i < 3; i += 1) expect(schema.parse({ key: 'CC-1', n: i, tags: ['a'] })).toEqual({ key: 'CC-1', n: i, tags: ['a'] });
      expect(schema.safeParse({ key: 1 }).success).toBe(false);
    } finally {
      globalThis.Function = realFunction;
    }
  });
  return counted;
};

describe('static/shared/zod-jitless', () => {
  afterEach(() => {
    jest.requireActual<typeof Zod>('zod').z.config({ jitless: false });
  });

  it('without it, zod compiles its parser with Function (what the CSP forbids)', () => {
    const counted = parseCountingFunction(() => jest.requireActual<typeof Zod>('zod').z.config({ jitless: false }));
    expect(counted.calls).toBeGreaterThan(0);
  });

  it('with it, parsing never calls Function', () => {
    const counted = parseCountingFunction(() => jest.requireActual('../../static/shared/zod-jitless'));
    expect(counted.calls).toBe(0);
    expect(jest.requireActual<typeof Zod>('zod').z.config().jitless).toBe(true);
  });

  it('is the first import of every Custom UI entry', () => {
    const fs = jest.requireActual<typeof import('node:fs')>('node:fs');
    const path = jest.requireActual<typeof import('node:path')>('node:path');
    const staticDir = path.join(__dirname, '..', '..', 'static');
    const entries = fs.readdirSync(staticDir).filter((d) => fs.existsSync(path.join(staticDir, d, 'src', 'main.tsx')));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    for (const app of entries) {
      const firstImport = fs.readFileSync(path.join(staticDir, app, 'src', 'main.tsx'), 'utf8').match(/^import .*$/m)?.[0];
      expect({ app, firstImport }).toEqual({ app, firstImport: "import '../../shared/zod-jitless';" });
    }
  });
});
