/** @jest-environment jsdom */
// Issue 18: the project's CC8.1 evidence page: the export alone, for the policy's exporters too.
import { act, cleanup, render, screen } from '@testing-library/react';
import { ADMIN_ERROR_CODES } from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { createAdminApi, isEvidencePage, EVIDENCE_PAGE_MODULE_KEY } from '../../../static/admin-page/src/admin-model';
import { EvidencePageApp } from '../../../static/admin-page/src/evidence-page';
import { createExportApi } from '../../../static/admin-page/src/export-model';
import { fail, ok, SCOPE } from './fixtures';

const K = RESOLVER_KEYS.admin;
const invokeWith = (answers: Record<string, unknown>) => jest.fn(async (key: string) => answers[key] ?? fail(ADMIN_ERROR_CODES.internal, `no answer for ${key}`));

afterEach(cleanup);

describe('the evidence page', () => {
  it('is chosen by the project page\'s module key', () => {
    expect(isEvidencePage({ moduleKey: EVIDENCE_PAGE_MODULE_KEY })).toBe(true);
    expect(isEvidencePage({ moduleKey: 'cc81-admin-page' })).toBe(false);
  });

  it('shows only the export, saying who may use it', async () => {
    const invoke = invokeWith({ [K.getExportContext]: ok({ licensed: true, scope: SCOPE, exportersGroup: 'compliance' }), [K.getEvidenceExport]: ok({ job: null }) });
    render(<EvidencePageApp deps={{ api: createAdminApi(invoke as never), exportApi: createExportApi(invoke as never), loadContext: async () => ({ timezone: 'Europe/Berlin' }) }} />);
    await act(async () => undefined);
    expect(screen.getByTestId('evidence-who').textContent).toMatch(/members of the group "compliance"/);
    expect(screen.getByRole('button', { name: 'Build evidence export' })).toBeTruthy();
    expect(screen.queryByTestId('save-policy')).toBeNull();
  });

  it('says why when the resolver refuses the caller', async () => {
    const invoke = invokeWith({ [K.getExportContext]: fail(ADMIN_ERROR_CODES.forbidden, 'Only Jira admins and members of the group "compliance" can build and download CC8.1 evidence exports.') });
    render(<EvidencePageApp deps={{ api: createAdminApi(invoke as never), exportApi: createExportApi(invoke as never), loadContext: async () => ({}) }} />);
    await act(async () => undefined);
    expect(screen.getByTestId('evidence-refused').textContent).toMatch(/members of the group "compliance"/);
  });
});
