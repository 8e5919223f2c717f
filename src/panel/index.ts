export * from './build-panel-view';
export * from './evidence-export';
export * from './user-directory';
