// The panel's only contact with Forge: its context, the theme, and one resolver call per load.
import { invoke } from '@forge/bridge';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { readPanelResult, UNREACHABLE, type Loaded } from './panel-model';

export { enableTheme, loadContext } from '../../shared/forge-view';

/** One `invoke(getPanel)`; never rejects: a failed call becomes the UNREACHABLE error. */
export const loadPanel = async (): Promise<Loaded> => {
  try {
    return readPanelResult(await invoke(RESOLVER_KEYS.panel.getPanel));
  } catch {
    return { ok: false, error: UNREACHABLE };
  }
};
