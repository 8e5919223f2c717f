export { createPagesHandler, PAGE_PATHS, uiUsers } from './pages-handler';
export type { PagesHandler, PagesHandlerOptions, SandboxUiUser } from './pages-handler';
export { buildPageConfig } from './page-config';
export type { PageConfig, PageFieldConfig, PageScreenConfig } from './page-config';
export { escapeHtml, jsonForScript } from './html';
