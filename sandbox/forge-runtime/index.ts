export * from './forge-payloads';
export * from './forge-runtime';
export * from './memory-kvs';
export * from './router-transport';
export * from './stored-policy';
export * from './forge-events';
