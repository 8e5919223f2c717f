/**
 * The population of deployments in a period, with a completeness hash, and a seeded sample of it
 * drawn by the ticket sample's documented method (`drawPositions`): an auditor starting from
 * production ("take 25 deployments, show me each one's approved ticket"). Pure (node:crypto).
 */
import { createHash } from 'node:crypto';
import type { LoggedDeployment } from '../deployments/deployment-file';
import type { DeploymentSource } from '../deployments/reconcile-report';
import { inPeriod, type Period } from './period';
import { drawPositions } from './sample.builder';

export const DEPLOYMENT_POPULATION_FORMAT = 'cc81-deployment-population';
export const DEPLOYMENT_SAMPLE_FORMAT = 'cc81-deployment-sample';
export const DEPLOYMENT_MEMBERSHIP_RULE = 'deployed at or after `from` and before `to` (UTC)';
export const DEPLOYMENT_ORDER = 'by deployment time, then by id (UTF-16 code-unit order)';
export const DEPLOYMENT_HASH_INPUT =
  'one line per deployment in population order: id, time (ISO 8601 UTC, toISOString), environment, SHA (empty when none), deployer, separated by tabs, then a newline';
export const DEPLOYMENT_SAMPLE_METHOD =
  `Deployments in the period ordered ${DEPLOYMENT_ORDER}. A mulberry32 PRNG seeded with the seed (unsigned 32-bit) ` +
  'drives a partial Fisher-Yates shuffle of their positions: for i = 0 .. size-1, j = i + floor(r() * (n - i)), swap positions i and j. ' +
  'The first `size` positions are the sample, listed in population order. Size larger than the population takes the whole population. ' +
  'The same method as the ticket sample, on positions instead of issue keys.';

export interface DeploymentPopulationItem {
  id: string;
  at: string;
  environment: string;
  sha: string | null;
  deployer: string;
}

export interface DeploymentPopulationRecord {
  format: typeof DEPLOYMENT_POPULATION_FORMAT;
  formatVersion: 1;
  period: { from: string; to: string; membership: string };
  order: string;
  runAt: string;
  sources: DeploymentSource[];
  count: number;
  hash: { algorithm: 'sha256'; input: string; value: string };
  outsidePeriod: number;
  items: DeploymentPopulationItem[];
}

export interface DeploymentSampleRecord {
  format: typeof DEPLOYMENT_SAMPLE_FORMAT;
  formatVersion: 1;
  seed: number;
  requestedSize: number;
  size: number;
  populationCount: number;
  populationHash: string;
  method: string;
  ids: string[];
}

const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export const deploymentPopulationHash = (items: readonly DeploymentPopulationItem[]): string => {
  const hash = createHash('sha256');
  for (const d of items) hash.update(`${d.id}\t${d.at}\t${d.environment}\t${d.sha ?? ''}\t${d.deployer}\n`);
  return hash.digest('hex');
};

export const buildDeploymentPopulation = (deployments: readonly LoggedDeployment[], period: Period, sources: DeploymentSource[], now: Date): DeploymentPopulationRecord => {
  const inside = deployments.filter((d) => inPeriod(period, d.at)).sort((a, b) => a.at.getTime() - b.at.getTime() || compareIds(a.id, b.id));
  const items = inside.map((d) => ({ id: d.id, at: d.at.toISOString(), environment: d.environment, sha: d.sha, deployer: d.deployer }));
  return {
    format: DEPLOYMENT_POPULATION_FORMAT,
    formatVersion: 1,
    period: { from: period.from.toISOString(), to: period.to.toISOString(), membership: DEPLOYMENT_MEMBERSHIP_RULE },
    order: DEPLOYMENT_ORDER,
    runAt: now.toISOString(),
    sources,
    count: items.length,
    hash: { algorithm: 'sha256', input: DEPLOYMENT_HASH_INPUT, value: deploymentPopulationHash(items) },
    outsidePeriod: deployments.length - inside.length,
    items,
  };
};

/** The ids of the sample (pure function of the ordered population, the size and the seed). */
export const drawDeploymentSample = (orderedIds: readonly string[], size: number, seed: number): string[] => drawPositions(orderedIds.length, size, seed).map((i) => orderedIds[i]!);

export const buildDeploymentSample = (population: DeploymentPopulationRecord, size: number, seed: number): DeploymentSampleRecord => {
  const ids = drawDeploymentSample(
    population.items.map((i) => i.id),
    size,
    seed,
  );
  return {
    format: DEPLOYMENT_SAMPLE_FORMAT,
    formatVersion: 1,
    seed,
    requestedSize: size,
    size: ids.length,
    populationCount: population.count,
    populationHash: population.hash.value,
    method: DEPLOYMENT_SAMPLE_METHOD,
    ids,
  };
};
