import { createFailedExpressionTrigger } from './failed-expression-trigger';
import { kvsStore } from './kvs-store';

/** Production wiring: KVS, the real clock. */
export const failedExpressionTrigger = (event?: unknown) => createFailedExpressionTrigger({ store: kvsStore(), clock: () => new Date() })(event);
