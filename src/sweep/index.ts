export * from './candidate-jql';
export * from './comments';
export * from './posthoc-property';
export * from './sweep';
export * from './sweep-lease';
