export * from './forge-context';
export * from './forge-ui-handler';
export * from './issue-panel-host';
