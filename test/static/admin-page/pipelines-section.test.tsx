/** @jest-environment jsdom */
// Issue 19: the admin page's "Deployment gate" section, over a fake bridge.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ADMIN_ERROR_CODES } from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { AdminPageApp } from '../../../static/admin-page/src/admin-page-app';
import { createAdminApi, type AdminKey } from '../../../static/admin-page/src/admin-model';
import { fakeInvoke, settle } from './fake-invoke';
import { EvidencePageApp } from '../../../static/admin-page/src/evidence-page';
import { createExportApi } from '../../../static/admin-page/src/export-model';
import { createPipelinesApi } from '../../../static/admin-page/src/pipelines-model';
import { PipelinesSection, type CopyText } from '../../../static/admin-page/src/pipelines-section';
import { adminState, fail, GATE_URL, ok, PIPELINE_IDS, pipelinesState, pipelineTokenOf, pipelineView, SCOPE, secretResult, webPipeline } from './fixtures';

const KEYS = RESOLVER_KEYS.admin;
const FORMAT = { timeZone: 'Europe/Berlin', locale: 'en-GB' };


const renderSection = async (answers: Partial<Record<AdminKey, unknown[]>>, copy: CopyText = jest.fn(async () => true)) => {
  const bridge = fakeInvoke(answers);
  render(<PipelinesSection api={createPipelinesApi(bridge.invoke)} format={FORMAT} copy={copy} />);
  await act(settle);
  return { ...bridge, copy };
};

const click = async (element: HTMLElement) => {
  await act(async () => {
    fireEvent.click(element);
    await settle();
  });
};
const typeName = (value: string) => fireEvent.change(screen.getByLabelText('Pipeline name'), { target: { value } });
const add = () => click(screen.getByRole('button', { name: 'Add pipeline' }));
const rows = () => screen.queryAllByTestId('pipeline-row');

/** A promise the test settles. */
const deferred = <T,>() => {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};

afterEach(cleanup);

describe('the deployment gate section', () => {
  it('is busy while the pipelines load, then lists them: name, created by and when, secret hint and when set, last use', async () => {
    const answer = deferred<unknown>();
    const bridge = fakeInvoke({ [KEYS.listPipelines]: [() => answer.promise] });
    render(<PipelinesSection api={createPipelinesApi(bridge.invoke)} format={FORMAT} copy={jest.fn()} />);
    expect(screen.getByTestId('section-pipelines').getAttribute('aria-busy')).toBe('true');
    expect(screen.getByTestId('pipelines-loading')).toBeTruthy();
    await act(async () => {
      answer.resolve(ok(pipelinesState()));
      await settle();
    });
    expect(screen.getByTestId('section-pipelines').getAttribute('aria-busy')).toBe('false');
    expect(screen.getByRole('heading', { level: 2, name: 'Deployment gate' })).toBeTruthy();
    const [payments, web] = rows();
    expect(rows()).toHaveLength(2);
    // 09:00Z is 10:00 in Berlin (CET) in November.
    expect(within(payments!).getByRole('rowheader').textContent).toBe('payments-api deploy');
    expect(payments!.textContent).toMatch(/30 Nov 2026, 10:00.*by Adam Admin/);
    expect(payments!.textContent).toContain(`cc81p_${PIPELINE_IDS.payments}_a1b2…`);
    expect(payments!.textContent).toMatch(/set 30 Nov 2026, 10:00/);
    expect(payments!.textContent).toContain('Never');
    expect(web!.textContent).toContain('by unknown');
    expect(web!.textContent).toMatch(/1 Dec 2026, 08:30/);
    expect(web!.textContent).not.toContain('Never');
    expect(bridge.calls(KEYS.listPipelines)).toEqual([{}]);
  });

  it('shows the gate URL with a Copy button that says whether the copy worked', async () => {
    const copy = jest.fn<ReturnType<CopyText>, Parameters<CopyText>>().mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    await renderSection({ [KEYS.listPipelines]: [ok(pipelinesState())] }, copy);
    const field = screen.getByTestId('gate-url');
    expect((within(field).getByLabelText('The gate’s URL on this site') as HTMLInputElement).value).toBe(GATE_URL);
    expect((within(field).getByLabelText('The gate’s URL on this site') as HTMLInputElement).readOnly).toBe(true);
    await click(within(field).getByRole('button', { name: 'Copy the gate’s URL on this site' }));
    expect(copy.mock.calls[0]![0]).toBe(GATE_URL);
    expect(within(field).getByRole('status').textContent).toBe('Copied.');
    await click(within(field).getByRole('button', { name: /^Copy/ }));
    expect(within(field).getByRole('status').textContent).toMatch(/did not allow copying here.*Ctrl\+C/);
  });

  it('says when there is no pipeline yet, and when the gate URL cannot be read', async () => {
    await renderSection({ [KEYS.listPipelines]: [ok(pipelinesState([], null))] });
    expect(screen.getByTestId('pipelines-none').textContent).toMatch(/No pipeline can call the gate yet/);
    expect(screen.queryByTestId('pipelines')).toBeNull();
    expect(screen.getByTestId('gate-url-none').textContent).toContain('CC81_GATE_URL');
    expect(screen.queryByTestId('gate-url')).toBeNull();
  });

  it('shows why the list could not load, and Try again asks once more', async () => {
    const bridge = await renderSection({ [KEYS.listPipelines]: [fail(ADMIN_ERROR_CODES.forbidden, 'Only Jira admins can manage pipelines.'), ok(pipelinesState())] });
    const error = screen.getByTestId('pipelines-load-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('Only Jira admins can manage pipelines.');
    expect(screen.queryByRole('button', { name: 'Add pipeline' })).toBeNull();
    await click(within(error).getByRole('button', { name: 'Try again' }));
    expect(rows()).toHaveLength(2);
    expect(bridge.calls(KEYS.listPipelines)).toHaveLength(2);
  });

  it('checks the name before sending: the contract’s message at the field, nothing sent', async () => {
    const bridge = await renderSection({ [KEYS.listPipelines]: [ok(pipelinesState())] });
    typeName('   ');
    await add();
    const input = screen.getByLabelText('Pipeline name');
    expect(screen.getByTestId('error-pipeline.name').textContent).toContain('Name the pipeline');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain('cc81-pipeline-name-error');
    expect(document.activeElement).toBe(input);
    typeName('x'.repeat(81));
    expect(screen.queryByTestId('error-pipeline.name')).toBeNull();
    await add();
    expect(screen.getByTestId('error-pipeline.name').textContent).toContain('At most 80 characters');
    expect(bridge.calls(KEYS.createPipeline)).toEqual([]);
  });

  it("shows the server's field errors at the name, and its message", async () => {
    await renderSection({
      [KEYS.listPipelines]: [ok(pipelinesState())],
      [KEYS.createPipeline]: [fail(ADMIN_ERROR_CODES.invalidPayload, 'The pipeline was refused.', [{ path: 'name', message: 'A pipeline is already called “web deploy”' }])],
    });
    typeName('web deploy');
    await add();
    expect(screen.getByTestId('error-pipeline.name').textContent).toContain('A pipeline is already called “web deploy”');
    expect(screen.getByTestId('pipeline-error').textContent).toBe('The pipeline was not added: The pipeline was refused.');
    expect(screen.queryByTestId('pipeline-token')).toBeNull();
  });

  it('adds a pipeline: the token once, with its warning, the curl example and the CI hints; gone from the page once hidden', async () => {
    const created = pipelineView({ id: '00000000000000aa', name: 'billing deploy', secretHint: 'd00d', createdAt: '2026-12-01T18:00:00.000Z', secretSetAt: '2026-12-01T18:00:00.000Z' });
    const token = pipelineTokenOf(created.id, 'd00d');
    const bridge = await renderSection({
      [KEYS.listPipelines]: [ok(pipelinesState())],
      [KEYS.createPipeline]: [ok(secretResult(created, token, pipelinesState([pipelineView(), webPipeline(), created])))],
    });
    typeName('  billing deploy ');
    await add();
    expect(bridge.calls(KEYS.createPipeline)).toEqual([{ name: 'billing deploy' }]);
    const issued = screen.getByTestId('pipeline-token');
    expect(within(issued).getByRole('heading', { name: 'Token for “billing deploy”' })).toBe(document.activeElement);
    expect(issued.textContent).toContain('Copy it now: it is not shown again; the app keeps only a hash.');
    const tokenField = within(issued).getByLabelText('Token') as HTMLInputElement;
    expect([tokenField.value, tokenField.readOnly]).toEqual([token, true]);
    const example = (within(issued).getByLabelText(/^Example call/) as HTMLTextAreaElement).value;
    expect(example).toContain(`-X POST '${GATE_URL}'`);
    expect(example).toContain('Bearer $CC81_GATE_TOKEN');
    expect(example).not.toContain(token);
    expect(within(issued).getByTestId('ci-hints').textContent).toMatch(/GitHub Actions:.*secrets\.CC81_GATE_TOKEN.*GitLab CI\/CD:.*Mask variable/s);
    expect(rows().map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['payments-api deploy', 'web deploy', 'billing deploy']);
    expect((screen.getByLabelText('Pipeline name') as HTMLInputElement).value).toBe('');

    await click(within(issued).getByRole('button', { name: 'I have copied it: hide the token' }));
    expect(screen.queryByTestId('pipeline-token')).toBeNull();
    expect(document.body.innerHTML).not.toContain(token.slice(23));
    expect(rows()).toHaveLength(3);
  });

  it('rotates a secret only after the confirmation, with the pipeline id; Cancel sends nothing', async () => {
    const rotated = pipelineView({ secretHint: 'beef', secretSetAt: '2026-12-01T18:30:00.000Z' });
    const token = pipelineTokenOf(rotated.id, 'beef');
    const bridge = await renderSection({
      [KEYS.listPipelines]: [ok(pipelinesState())],
      [KEYS.rotatePipelineSecret]: [ok(secretResult(rotated, token, pipelinesState([rotated, webPipeline()])))],
    });
    await click(screen.getByRole('button', { name: 'Rotate secret of payments-api deploy' }));
    const confirm = screen.getByTestId('confirm-rotate');
    expect(confirm.textContent).toMatch(/Rotate the secret of “payments-api deploy”\? The old secret stops working at once/);
    expect(document.activeElement).toBe(confirm);
    await click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByTestId('confirm-rotate')).toBeNull();
    expect(bridge.calls(KEYS.rotatePipelineSecret)).toEqual([]);

    await click(screen.getByRole('button', { name: 'Rotate secret of payments-api deploy' }));
    await click(within(screen.getByTestId('confirm-rotate')).getByRole('button', { name: 'Yes, rotate the secret' }));
    expect(bridge.calls(KEYS.rotatePipelineSecret)).toEqual([{ pipelineId: PIPELINE_IDS.payments }]);
    expect(screen.queryByTestId('confirm-rotate')).toBeNull();
    const issued = screen.getByTestId('pipeline-token');
    expect(within(issued).getByRole('heading', { level: 3 }).textContent).toBe('New token for “payments-api deploy”');
    expect(issued.textContent).toMatch(/The old secret has stopped working/);
    expect((within(issued).getByLabelText('Token') as HTMLInputElement).value).toBe(token);
    expect(rows()[0]!.textContent).toContain(`cc81p_${PIPELINE_IDS.payments}_beef…`);
  });

  it('revokes after the confirmation: the row goes, and a shown token of that pipeline with it', async () => {
    const token = pipelineTokenOf(PIPELINE_IDS.web, '77');
    const bridge = await renderSection({
      [KEYS.listPipelines]: [ok(pipelinesState())],
      [KEYS.rotatePipelineSecret]: [ok(secretResult(webPipeline(), token, pipelinesState()))],
      [KEYS.revokePipeline]: [ok(pipelinesState([pipelineView()]))],
    });
    await click(screen.getByRole('button', { name: 'Rotate secret of web deploy' }));
    await click(screen.getByRole('button', { name: 'Yes, rotate the secret' }));
    expect(screen.getByTestId('pipeline-token')).toBeTruthy();

    await click(screen.getByRole('button', { name: 'Revoke web deploy' }));
    const confirm = screen.getByTestId('confirm-revoke');
    expect(confirm.textContent).toMatch(/Revoke “web deploy”\? The gate refuses its token from now on/);
    await click(within(confirm).getByRole('button', { name: 'Yes, revoke it' }));
    expect(bridge.calls(KEYS.revokePipeline)).toEqual([{ pipelineId: PIPELINE_IDS.web }]);
    expect(rows().map((r) => within(r).getByRole('rowheader').textContent)).toEqual(['payments-api deploy']);
    expect(screen.getByTestId('pipeline-revoked').textContent).toBe('Revoked “web deploy”: the gate refuses its token from now on.');
    expect(screen.queryByTestId('pipeline-token')).toBeNull();
    expect(document.body.innerHTML).not.toContain(token.slice(23));
  });

  it('disables every action while a call runs', async () => {
    const answer = deferred<unknown>();
    await renderSection({ [KEYS.listPipelines]: [ok(pipelinesState())], [KEYS.revokePipeline]: [() => answer.promise] });
    await click(screen.getByRole('button', { name: 'Revoke payments-api deploy' }));
    await click(screen.getByRole('button', { name: 'Yes, revoke it' }));
    const buttons = () => screen.getAllByRole('button').filter((b) => !/^Copy/.test(b.textContent ?? ''));
    expect(screen.getByRole('button', { name: 'Revoking…' })).toBeTruthy();
    expect(buttons().map((b) => [b.textContent, (b as HTMLButtonElement).disabled])).toEqual(buttons().map((b) => [b.textContent, true]));
    expect(screen.getByRole('button', { name: 'Revoke payments-api deploy' }).getAttribute('aria-busy')).toBe('true');
    await act(async () => {
      answer.resolve(ok(pipelinesState([webPipeline()])));
      await settle();
    });
    expect((screen.getByRole('button', { name: 'Add pipeline' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByRole('button', { name: 'Revoke web deploy' }) as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows a refused rotate or revoke, and keeps the list as it was', async () => {
    await renderSection({
      [KEYS.listPipelines]: [ok(pipelinesState())],
      [KEYS.rotatePipelineSecret]: [fail(ADMIN_ERROR_CODES.forbidden, 'You are not a Jira admin.')],
      [KEYS.revokePipeline]: [fail('PIPELINE_NOT_FOUND', 'No live pipeline fedcba9876543210.')],
    });
    await click(screen.getByRole('button', { name: 'Rotate secret of web deploy' }));
    await click(screen.getByRole('button', { name: 'Yes, rotate the secret' }));
    const error = screen.getByTestId('pipeline-error');
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toBe('The secret of “web deploy” was not rotated: only Jira admins manage the deployment gate\'s pipelines. You are not a Jira admin.');
    expect(screen.queryByTestId('pipeline-token')).toBeNull();
    await click(screen.getByRole('button', { name: 'Revoke web deploy' }));
    await click(screen.getByRole('button', { name: 'Yes, revoke it' }));
    expect(screen.getByTestId('pipeline-error').textContent).toBe('“web deploy” was not revoked: No live pipeline fedcba9876543210.');
    expect(rows()).toHaveLength(2);
  });
});

describe('where the section appears', () => {
  const adminDeps = (withPipelines: boolean) => {
    const bridge = fakeInvoke({ [KEYS.getAdminState]: [ok(adminState())], [KEYS.listPipelines]: [ok(pipelinesState())] });
    const deps = {
      api: createAdminApi(bridge.invoke),
      ...(withPipelines ? { pipelinesApi: createPipelinesApi(bridge.invoke) } : {}),
      loadContext: async () => ({ timezone: 'Europe/Berlin', locale: 'en-GB' }),
    };
    return { bridge, deps };
  };

  it('on the admin page, after the self-test, when the page has the pipeline resolvers', async () => {
    const { bridge, deps } = adminDeps(true);
    render(<AdminPageApp deps={deps} />);
    await screen.findByRole('heading', { level: 2, name: 'Deployment gate' });
    await act(settle);
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings.slice(headings.indexOf('Control self-test'))).toEqual(['Control self-test', 'Deployment gate']);
    expect(rows()).toHaveLength(2);
    expect(bridge.calls(KEYS.listPipelines)).toHaveLength(1);
  });

  it('not on the admin page without them, nor ever on the project’s evidence page', async () => {
    const { bridge, deps } = adminDeps(false);
    render(<AdminPageApp deps={deps} />);
    await screen.findByRole('heading', { level: 2, name: 'Control self-test' });
    expect(screen.queryByTestId('section-pipelines')).toBeNull();
    cleanup();

    const evidence = fakeInvoke({ [KEYS.getExportContext]: [ok({ licensed: true, scope: SCOPE, exportersGroup: null })], [KEYS.getEvidenceExport]: [ok({ job: null })], [KEYS.listPipelines]: [ok(pipelinesState())] });
    // The same deps main.tsx builds for both pages, pipelines included.
    const all = { api: createAdminApi(evidence.invoke), exportApi: createExportApi(evidence.invoke), pipelinesApi: createPipelinesApi(evidence.invoke), loadContext: async () => ({ timezone: 'Europe/Berlin' }) };
    render(<EvidencePageApp deps={all} />);
    await act(settle);
    expect(screen.getByRole('button', { name: 'Build evidence export' })).toBeTruthy();
    expect(screen.queryByTestId('section-pipelines')).toBeNull();
    expect(evidence.calls(KEYS.listPipelines)).toEqual([]);
    expect(bridge.calls(KEYS.listPipelines)).toEqual([]);
  });
});
