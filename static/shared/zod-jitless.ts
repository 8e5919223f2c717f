// Custom UI's CSP forbids eval and new Function: zod must never compile (or probe for) a JIT parser.
// Imported first by each app's main.tsx, so it runs before any module that builds or parses a schema.
import { z } from 'zod';

z.config({ jitless: true });
