// The panel's only contact with Forge: its context, the theme, one resolver call per load, and who is exporting.
import { invoke, requestJira } from '@forge/bridge';
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

/** The viewer's name, asked of Jira as the viewer only when they export (`/myself`); null when Jira does not say. */
export const whoAmI = async (): Promise<string | null> => {
  try {
    const response = await requestJira('/rest/api/3/myself');
    if (!response.ok) return null;
    const me = (await response.json()) as { displayName?: unknown };
    return typeof me.displayName === 'string' && me.displayName.trim() ? me.displayName : null;
  } catch {
    return null;
  }
};
