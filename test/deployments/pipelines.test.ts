import { createMemoryKvs } from '../../sandbox/forge-runtime/memory-kvs';
import { parsePipelineToken, pipelineToken, sameSecretText } from '../../src/deployments/gate-signature';
import {
  createPipeline,
  listPipelines,
  markPipelineUsed,
  PipelineIdTakenError,
  pipelineKey,
  PipelineNotFoundError,
  pipelineOfToken,
  revokePipeline,
  rotatePipelineSecret,
  type PipelineRandom,
} from '../../src/deployments/pipelines';

const T0 = new Date('2026-12-01T10:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

/** Random bytes from a script: each call takes the next string (repeated to the length asked). */
const scripted = (...values: string[]): PipelineRandom => {
  let i = 0;
  return { hex: (n) => values[i++ % values.length]!.repeat(2 * n).slice(0, 2 * n) };
};

describe('pipelines', () => {
  it('lists live pipelines oldest first, whatever their ids, and counts an unreadable record', async () => {
    const store = createMemoryKvs();
    await createPipeline(store, { name: 'second', by: null, now: later(1_000), random: scripted('a', '1') });
    await createPipeline(store, { name: 'first', by: null, now: T0, random: scripted('f', '2') });
    await store.set(pipelineKey('0'.repeat(16)), { v: 1, id: 'broken' });
    const { pipelines, unreadable } = await listPipelines(store);
    expect(pipelines.map((p) => p.name)).toEqual(['first', 'second']);
    expect(unreadable).toBe(1);
  });

  it('tries another id when one is taken, and gives up after three', async () => {
    const store = createMemoryKvs();
    await createPipeline(store, { name: 'a', by: null, now: T0, random: scripted('a', '1') });
    const next = await createPipeline(store, { name: 'b', by: null, now: T0, random: scripted('a', '1', 'b', '2') });
    expect(next.record.id).toBe('b'.repeat(16));
    // Three taken ids in a row; a fourth (free) is never tried.
    await expect(createPipeline(store, { name: 'c', by: null, now: T0, random: scripted('a', '1', 'b', '2', 'a', '3', 'c', '4') })).rejects.toThrow(PipelineIdTakenError);
  });

  it('keeps the new secret\'s first 4 characters as the hint after a rotation, and refuses to rotate or revoke a revoked pipeline', async () => {
    const store = createMemoryKvs();
    const { record } = await createPipeline(store, { name: 'a', by: null, now: T0, random: scripted('a', '1') });
    expect(record.secretHint).toBe('1111');
    const rotated = await rotatePipelineSecret(store, record.id, later(5), scripted('9e'));
    expect([rotated.record.secretHint, rotated.record.secretSetAt, parsePipelineToken(rotated.token)!.secret.slice(0, 4)]).toEqual(['9e9e', later(5).toISOString(), '9e9e']);
    await revokePipeline(store, record.id, later(6));
    await expect(rotatePipelineSecret(store, record.id, later(7))).rejects.toThrow(PipelineNotFoundError);
    await expect(revokePipeline(store, record.id, later(7))).rejects.toThrow(PipelineNotFoundError);
    await expect(rotatePipelineSecret(store, 'f'.repeat(16), later(7))).rejects.toThrow(PipelineNotFoundError);
  });

  it('finds the pipeline of its token only, trimming spaces around it', async () => {
    const store = createMemoryKvs();
    const { token, record } = await createPipeline(store, { name: 'a', by: null, now: T0 });
    expect((await pipelineOfToken(store, ` ${token}\n`))?.record.id).toBe(record.id);
    expect(await pipelineOfToken(store, pipelineToken(record.id, 'f'.repeat(64)))).toBeNull();
    expect(await pipelineOfToken(store, 'not a token')).toBeNull();
  });

  it('notes the last use at most once a minute', async () => {
    const store = createMemoryKvs();
    const { record } = await createPipeline(store, { name: 'a', by: null, now: T0 });
    const lastUsed = async () => (await listPipelines(store)).pipelines[0]!.lastUsedAt;
    await markPipelineUsed(store, record, T0);
    const noted = (await listPipelines(store)).pipelines[0]!;
    await markPipelineUsed(store, noted, later(59_999));
    expect(await lastUsed()).toBe(T0.toISOString());
    await markPipelineUsed(store, noted, later(60_000));
    expect(await lastUsed()).toBe(later(60_000).toISOString());
  });
});

describe('sameSecretText', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['', '', true],
  ])('%j vs %j: %s', (a, b, same) => expect(sameSecretText(a, b)).toBe(same));
});
