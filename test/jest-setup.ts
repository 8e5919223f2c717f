import fc from 'fast-check';
import { fcSeed, runs } from './support/fc-seed';

// Every test must run at least one assertion (issue 13): a test that asserts nothing cannot fail.
beforeEach(() => {
  expect.hasAssertions();
});

// Every property test runs on one seed: fixed by default, CC81_FC_SEED=random|<n> for the nightly job.
// Its runs (fast-check's default 100) scale with CC81_FC_RUNS_SCALE, as `seeded` scales explicit ones.
fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: fcSeed(), numRuns: runs(100) });
