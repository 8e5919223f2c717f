import { createPersonalDataTrigger, productionPersonalDataDeps } from './personal-data-report';

/** Production wiring: KVS, Atlassian's personal data reporting API, the real clock. */
export const personalDataReport = () => createPersonalDataTrigger(productionPersonalDataDeps())();
