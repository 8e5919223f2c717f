// Builds this Custom UI app for the local sandbox into static/admin-page/build-sandbox (never deployed).
import { fileURLToPath } from 'node:url';
import { sandboxConfig } from '../custom-ui-vite.mts';

export default sandboxConfig(fileURLToPath(new URL('.', import.meta.url)));
