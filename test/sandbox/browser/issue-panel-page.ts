/** Opening a demo ticket in the sandbox's issue view and waiting for the app's issue panel (iframe) to render. */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { switchUser } from './sandbox-ui-scenario';

export interface OpenedPanel {
  section: Locator;
  frame: FrameLocator;
}

/** Thrown when the panel shows its error state: the resolver answered `{ ok:false }` or could not be reached. */
export class PanelNotAvailableError extends Error {}

export const openIssuePanel = async (page: Page, baseUrl: string, user: string, summary: string): Promise<OpenedPanel> => {
  if (!page.url().startsWith(baseUrl)) {
    await page.goto(`${baseUrl}/`);
    await page.locator('body[data-ready="true"]').waitFor();
    await switchUser(page, user);
  }
  const row = page.getByTestId('ticket-row').filter({ has: page.getByTestId('ticket-summary').getByText(summary, { exact: true }) });
  await row.getByRole('link').click();
  await page.getByTestId('issue-summary').getByText(summary, { exact: true }).waitFor();
  const section = page.getByTestId('issue-panel');
  const frame = page.frameLocator('[data-testid="issue-panel-frame"]');
  const panel = frame.locator('[data-testid="cc81-panel"][aria-busy="false"]');
  await panel.waitFor({ timeout: 15_000 });
  const error = frame.getByTestId('panel-error');
  if (await error.count()) {
    throw new PanelNotAvailableError(
      `The CC8.1 issue panel rendered its error state for "${summary}": ${(await error.textContent())?.trim()}. ` +
        'The sandbox routes /sandbox/forge/invoke to the app\'s panelResolver (src/forge/panel-resolver.ts); it must answer getPanel with { ok: true, data: PanelResponse }.',
    );
  }
  return { section, frame };
};
