import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { compareIssueKeys } from '../../src/evidence/audit-ticket';
import { buildPopulation, PopulationInput } from '../../src/evidence/population.builder';
import { aBareTicket } from '../builders/audit-ticket.builder';
import { at } from '../builders/clock';

const PERIOD = { from: at(0), to: at(1000) };
const input = (tickets: PopulationInput['tickets']): PopulationInput => ({ tickets, period: PERIOD, jql: 'project = CHG', effectiveJql: null, source: { kind: 'site', site: 'https://x.atlassian.net' }, now: at(2000) });

describe('buildPopulation', () => {
  it('hashes the documented input: sorted keys, a tab, the ISO last-updated time, a newline', () => {
    const tickets = [aBareTicket('CHG-10', at(5), at(7)), aBareTicket('CHG-2', at(1), at(3)), aBareTicket('OPS-1', at(2), at(2))];
    const { record } = buildPopulation(input(tickets));
    const expected = createHash('sha256')
      .update(`CHG-2\t${at(3).toISOString()}\nCHG-10\t${at(7).toISOString()}\nOPS-1\t${at(2).toISOString()}\n`)
      .digest('hex');
    expect(record.hash.value).toBe(expected);
    expect(record.items.map((i) => i.key)).toEqual(['CHG-2', 'CHG-10', 'OPS-1']);
    expect(record).toMatchObject({ count: 3, jql: 'project = CHG', runAt: at(2000).toISOString(), outsidePeriod: 0 });
  });

  it.each([
    ['created inside', aBareTicket('CHG-1', at(10), at(10)), true],
    ['created before, moved inside', aBareTicket('CHG-1', at(-50), at(20), [at(20)]), true],
    ['created before, only moved before', aBareTicket('CHG-1', at(-50), at(-10), [at(-10)]), false],
    ['created at the end (exclusive)', aBareTicket('CHG-1', at(1000), at(1000)), false],
    ['created at the start (inclusive)', aBareTicket('CHG-1', at(0), at(0)), true],
  ])('membership: %s → %s', (_label, ticket, inside) => {
    const { record } = buildPopulation(input([ticket]));
    expect(record.count).toBe(inside ? 1 : 0);
    expect(record.outsidePeriod).toBe(inside ? 0 : 1);
  });

  const population = fc.uniqueArray(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 40 }).chain((numbers) =>
    fc.tuple(
      fc.constant(numbers.map((n) => aBareTicket(`CHG-${n}`, at(n % 900), at((n % 900) + 1)))),
      fc.nat({ max: numbers.length - 1 }),
      fc.integer({ min: 1, max: 10_000 }),
    ),
  );

  it('changes the hash when any ticket in the period changes, is added or removed', () => {
    fc.assert(
      fc.property(population, ([tickets, i, minutes]) => {
        const base = buildPopulation(input(tickets)).record.hash.value;
        const edited = tickets.map((t, k) => (k === i ? { ...t, updated: new Date(t.updated.getTime() + minutes * 60_000) } : t));
        const removed = tickets.filter((_, k) => k !== i);
        const added = [...tickets, aBareTicket('CHG-99999', at(5), at(6))];
        expect(buildPopulation(input(edited)).record.hash.value).not.toBe(base);
        expect(buildPopulation(input(removed)).record.hash.value).not.toBe(base);
        expect(buildPopulation(input(added)).record.hash.value).not.toBe(base);
      }),
    );
  });

  it('does not depend on the order the source returned tickets in, nor on tickets outside the period', () => {
    fc.assert(
      fc.property(population, ([tickets]) => {
        const base = buildPopulation(input(tickets)).record.hash.value;
        const outside = aBareTicket('CHG-77777', at(-100), at(-90));
        const shuffled = [...tickets].reverse();
        expect(buildPopulation(input([...shuffled, outside])).record.hash.value).toBe(base);
        expect(buildPopulation(input([...tickets, { ...outside, updated: at(-1) }])).record.hash.value).toBe(base);
      }),
    );
  });
});

describe('compareIssueKeys', () => {
  it('orders by project, then number', () => {
    expect(['CHG-10', 'OPS-2', 'CHG-9', 'CHG-100', 'ABC-5'].sort(compareIssueKeys)).toEqual(['ABC-5', 'CHG-9', 'CHG-10', 'CHG-100', 'OPS-2']);
  });
});
