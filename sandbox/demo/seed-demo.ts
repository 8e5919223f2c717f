import type { SandboxState } from '../state/sandbox-state';
import { DEMO_TICKETS, materialize } from './demo-tickets';
import { importChange } from './import-change';
import { tamperMirror } from './tamper-mirror';

/** Fills the sandbox with the demo tickets, placed relative to `now`. */
export const seedDemo = (state: SandboxState, now: Date): void => {
  DEMO_TICKETS.forEach((ticket, index) => {
    const { change, history } = materialize(ticket, index, now);
    const issue = importChange(state, change, history);
    if (ticket.tamper) tamperMirror(issue, ticket.tamper);
  });
};
