// The panel's only contact with Forge: its context, the theme, and one resolver call per load.
import { invoke, view } from '@forge/bridge';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { readPanelResult, UNREACHABLE, type Loaded } from './panel-model';

/** `view.getContext()`, or null when the host does not answer (the panel then uses the browser's zone). */
export const loadContext = async (): Promise<unknown> => {
  try {
    return await view.getContext();
  } catch {
    return null;
  }
};

/** Forge's theming (`data-color-mode` on <html>); the sandbox's shim has none, and CSS falls back to prefers-color-scheme. */
export const enableTheme = async (): Promise<void> => {
  const theme = (view as { theme?: { enable?: () => Promise<void> } }).theme;
  try {
    await theme?.enable?.();
  } catch {
    // theming is cosmetic
  }
};

/** One `invoke(getPanel)`; never rejects: a failed call becomes the UNREACHABLE error. */
export const loadPanel = async (): Promise<Loaded> => {
  try {
    return readPanelResult(await invoke(RESOLVER_KEYS.panel.getPanel));
  } catch {
    return { ok: false, error: UNREACHABLE };
  }
};
