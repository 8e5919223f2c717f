export { panelResolver } from './forge/panel-resolver';
export { adminResolver } from './forge/admin-resolver';
export { postHocSweep } from './forge/posthoc-sweep';
