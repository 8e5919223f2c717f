export * from './forge-context';
export * from './forge-ui-handler';
export * from './issue-panel-host';
export * from './admin-page-host';
