export * from './cc81-workflow';
export * from './expression-issue';
export * from './installed-rules';
export * from './rule-evaluation';
export * from './screen-fields';
export * from './workflow-engine';
export type * from './workflow-port';
