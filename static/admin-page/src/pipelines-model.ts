// The "Deployment gate" section's logic (issue 19), kept out of React: the four pipeline resolvers
// (answers read with the contract's schemas), the name check (CreatePipelinePayloadSchema), the
// token's parts, and the copyable curl example that signs a gate call the way
// src/deployments/gate-signature.ts reads it. Pure TypeScript: no DOM, no bridge, no node:crypto
// (tested in test/static/admin-page, the example against signGateCall with bash and openssl).
import {
  ADMIN_ERROR_CODES,
  CreatePipelinePayloadSchema,
  PipelineSecretResultSchema,
  PipelinesStateSchema,
  type AdminError,
  type AdminResult,
  type FieldError,
  type PipelineSecretResult,
  type PipelinesState,
  type PipelineView,
} from '../../../src/shared/admin-contract';
import { RESOLVER_KEYS } from '../../../src/shared/resolver-keys';
import { gateCurlExample } from '../../../src/shared/gate-example';
import { resolverCall, type AdminInvoke } from './admin-model';

// ---- the resolvers

/** The pipeline resolvers, each answering an AdminResult; never rejects (a failed call is UNREACHABLE). */
export interface PipelinesApi {
  listPipelines: () => Promise<AdminResult<PipelinesState>>;
  createPipeline: (payload: { name: string }) => Promise<AdminResult<PipelineSecretResult>>;
  rotatePipelineSecret: (payload: { pipelineId: string }) => Promise<AdminResult<PipelineSecretResult>>;
  revokePipeline: (payload: { pipelineId: string }) => Promise<AdminResult<PipelinesState>>;
}

export const createPipelinesApi = (invoke: AdminInvoke): PipelinesApi => {
  const call = resolverCall(invoke);
  const keys = RESOLVER_KEYS.admin;
  return {
    listPipelines: () => call(keys.listPipelines, {}, PipelinesStateSchema, 'the pipelines'),
    createPipeline: (payload) => call(keys.createPipeline, payload, PipelineSecretResultSchema, 'the new pipeline'),
    rotatePipelineSecret: (payload) => call(keys.rotatePipelineSecret, payload, PipelineSecretResultSchema, 'the new secret'),
    revokePipeline: (payload) => call(keys.revokePipeline, payload, PipelinesStateSchema, 'the revocation'),
  };
};

// ---- the "Add pipeline" name

/** The dotted path of the name control (its DOM id is controlId(path): "cc81-pipeline-name"). */
export const PIPELINE_NAME_PATH = 'pipeline.name';

export type PipelineNameCheck = { ok: true; payload: { name: string } } | { ok: false; errors: FieldError[] };

/** The name checked with the contract's CreatePipelinePayloadSchema (what the resolver runs). */
export const validatePipelineName = (name: string): PipelineNameCheck => {
  const parsed = CreatePipelinePayloadSchema.safeParse({ name });
  if (parsed.success) return { ok: true, payload: { name: parsed.data.name } };
  return { ok: false, errors: parsed.error.issues.map((issue) => ({ path: PIPELINE_NAME_PATH, message: issue.message })) };
};

/** The server's field errors for a refused name: on the name control, and the rest in words. */
export const pipelineFieldErrors = (error: AdminError): { placed: FieldError[]; other: string[] } => {
  const all = error.code === ADMIN_ERROR_CODES.invalidPayload || error.code === ADMIN_ERROR_CODES.invalidPolicy ? (error.fieldErrors ?? []) : [];
  const isName = (path: string) => path === 'name' || path === PIPELINE_NAME_PATH || path.startsWith('name.');
  return {
    placed: all.filter((e) => isName(e.path)).map((e) => ({ path: PIPELINE_NAME_PATH, message: e.message })),
    other: all.filter((e) => !isName(e.path)).map((e) => `${e.path}: ${e.message}`),
  };
};

// ---- the token and the wire format (as src/deployments/gate-signature.ts spells it)

/** The CI secret the example and the hints name. */
export const TOKEN_VARIABLE = 'CC81_GATE_TOKEN';

/** The token's visible start as the list shows it: `cc81p_<id>_<hint>…` (the hint is the secret's first characters, with or without the resolver's "…"). */
export const tokenPreview = (pipeline: Pick<PipelineView, 'id' | 'secretHint'>): string => `cc81p_${pipeline.id}_${pipeline.secretHint.replace(/(…|\.\.\.)$/, '')}…`;

/** Quotes a value for a POSIX shell: single quotes, an embedded one closed, escaped and reopened. */
export const shellQuote = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

/** The README's curl example (src/shared/gate-example.ts) with this site's gate URL, or `$CC81_GATE_URL` without one. */
export const curlExample = (gateUrl: string | null): string => gateCurlExample(gateUrl ? shellQuote(gateUrl) : undefined);

/** Where the CI systems keep a masked secret, one line each. */
export const CI_SECRET_HINTS: readonly { ci: string; text: string }[] = [
  {
    ci: 'GitHub Actions',
    text: `Settings → Secrets and variables → Actions → New repository secret, named ${TOKEN_VARIABLE}; pass it to the step as env: ${TOKEN_VARIABLE}: \${{ secrets.${TOKEN_VARIABLE} }} (GitHub masks it in the logs). GIT_SHA can be \${{ github.sha }}.`,
  },
  {
    ci: 'GitLab CI/CD',
    text: `Settings → CI/CD → Variables → Add variable ${TOKEN_VARIABLE}, with “Mask variable” (and “Protect variable” to keep it to protected branches). GIT_SHA can be $CI_COMMIT_SHA.`,
  },
];

// ---- words

/** What the admin is told when a pipeline call is refused. */
export const pipelineRefusal = (what: string, error: AdminError): string =>
  error.code === ADMIN_ERROR_CODES.forbidden ? `${what}: only Jira admins manage the deployment gate's pipelines. ${error.message}` : `${what}: ${error.message}`;

/** The confirmation asked before a rotate or a revoke. */
export const confirmText = (action: 'rotate' | 'revoke', pipeline: Pick<PipelineView, 'name'>): { question: string; yes: string } =>
  action === 'rotate'
    ? {
        question: `Rotate the secret of “${pipeline.name}”? The old secret stops working at once: the pipeline is refused until you give it the new token.`,
        yes: 'Yes, rotate the secret',
      }
    : {
        question: `Revoke “${pipeline.name}”? The gate refuses its token from now on; its past gate calls keep its name. This cannot be undone (add a new pipeline instead).`,
        yes: 'Yes, revoke it',
      };
