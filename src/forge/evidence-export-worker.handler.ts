import { createEvidenceExportWorker, productionExportDeps } from './evidence-export-worker';

/** Production wiring. */
export const evidenceExportWorker = (event: unknown) => createEvidenceExportWorker(productionExportDeps())(event);
