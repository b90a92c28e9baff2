/**
 * The population: exactly round(share × size) addresses do not exist, chosen by the seed, and
 * the directory agrees with that list.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { testSeed } from '../../../support/test-seed.ts';
import { Rng } from '../../../../kernel/random/rng.ts';
import { generatePopulation } from '../../../../sim/world/population.ts';

test('exactly the requested share is unknown, and the same seed picks the same addresses', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer(),
      (size, share, seed) => {
        const spec = { recipients: size, domains: ['gmail.com', 'googlemail.com'], unknownShare: share };
        const population = generatePopulation(spec, new Rng(seed));
        const unknown = population.recipients.filter((address) => population.mailboxes.status(address) === 'unknown');
        const again = generatePopulation(spec, new Rng(seed));
        const unknownAgain = again.recipients.filter((address) => again.mailboxes.status(address) === 'unknown');
        expect(unknown.length).toBe(Math.round(share * size));
        expect(population.unknownCount).toBe(unknown.length);
        expect(new Set(population.recipients).size).toBe(size);
        expect(unknownAgain).toEqual(unknown);
      },
    ),
    { seed: testSeed(), numRuns: 50 },
  );
});
