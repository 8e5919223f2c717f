export * from './forge-context';
export * from './forge-ui-handler';
