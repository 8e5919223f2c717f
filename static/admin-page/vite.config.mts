// Builds this Custom UI app to static/admin-page/build (the manifest's resource path).
import { fileURLToPath } from 'node:url';
import { customUiConfig } from '../custom-ui-vite.mts';

export default customUiConfig(fileURLToPath(new URL('.', import.meta.url)));
