// The admin page's only contact with Forge: its context, the theme, and `invoke` of the admin resolver.
import { invoke } from '@forge/bridge';
import type { AdminInvoke } from './admin-model';
import { createExportApi, type ExportApi } from './export-model';
import { createPipelinesApi, type PipelinesApi } from './pipelines-model';

export { enableTheme, loadContext } from '../../shared/forge-view';

/** `invoke(key, payload)`; the model (createAdminApi) reads the answer and turns a rejection into UNREACHABLE. */
export const invokeAdmin: AdminInvoke = (key, payload) => invoke(key, payload ?? {});

/** The evidence export's resolvers (start, status, download) over the same `invoke`. */
export const exportApi: ExportApi = createExportApi(invokeAdmin);

/** The deployment gate's pipeline resolvers (list, create, rotate, revoke) over the same `invoke`. */
export const pipelinesApi: PipelinesApi = createPipelinesApi(invokeAdmin);
