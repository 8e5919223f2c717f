// The Custom UI apps' shared contact with Forge's `view`: the context and the theme.
import { view } from '@forge/bridge';

/** `view.getContext()`, or null when the host does not answer (the app then uses the browser's zone). */
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
