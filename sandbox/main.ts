/* `npm start`: the local Jira sandbox with the CC8.1 app installed. */
import { DEPLOYMENT_GATE_MODULE_KEY } from '../src/forge/deployment-gate';
import { DEMO_USERS } from './demo/demo-users';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_RULE_CONFIG_BUILD, SANDBOX_BUILD_COMMAND } from './forge-ui';
import { faultPlanFromEnv, sandboxPort } from './server';
import { siteFromEnv, startSandbox, triggerIntervalFromEnv } from './start-sandbox';

const main = async () => {
  const site = siteFromEnv(process.env);
  const sandbox = await startSandbox({ port: sandboxPort(process.env), faults: faultPlanFromEnv(process.env), site });
  const users = Object.entries(DEMO_USERS)
    .filter(([, u]) => u.active)
    .map(([role, u]) => `  ${role.padEnd(12)} ${u.emailAddress}`)
    .join('\n');
  const about = {
    demo: ' (SANDBOX_SITE=bare for a fresh project, SANDBOX_SITE=jsm for a project with its own change fields)',
    bare: ' (project CHG with no CC8.1 fields, policy or rules: set it up on the CC8.1 admin page as Adam Admin)',
    jsm: ' (project CHG with its own change fields, built like JSM: map them on the CC8.1 admin page as Adam Admin, no new fields needed)',
  }[site];
  console.log(`Site: ${site}${about}`);
  console.log(`CC8.1 sandbox: ${sandbox.url}/  (Jira REST v3 at ${sandbox.url}/rest/api/3, installed rules at ${sandbox.url}/sandbox/rules)`);
  console.log(`CC8.1 admin page (Jira settings → Apps → CC8.1 Change Control): ${sandbox.url}/sandbox/admin, as Adam Admin (${DEMO_USERS.admin.emailAddress})`);
  console.log(`Sign in to the REST API with basic auth: any demo user's email, any token. Demo users:\n${users}`);
  console.log(`Example: curl -u ${DEMO_USERS.approver.emailAddress}:x ${sandbox.url}/rest/api/3/search/jql -X POST -H 'Content-Type: application/json' -d '{"jql":"project = CHG"}'`);
  const interval = triggerIntervalFromEnv(process.env);
  console.log(
    `Scheduled trigger posthoc-sweep: ${interval > 0 ? `every ${interval} ms (SANDBOX_TRIGGER_INTERVAL_MS)` : 'timer off'}; fire it now: curl -X POST ${sandbox.url}/sandbox/admin/triggers/posthoc-sweep`,
  );
  console.log(`Deployment gate (web trigger cc81-deployment-gate): POST ${sandbox.url}/x1/${DEPLOYMENT_GATE_MODULE_KEY}, with a pipeline token from the admin page's Deployment gate section (README: "The deployment gate")`);
  console.log(`Scheduled trigger self-test (daily: 24 sweep intervals); fire it now: curl -X POST ${sandbox.url}/sandbox/admin/triggers/self-test`);
  if (!existsSync(join(DEFAULT_RULE_CONFIG_BUILD, 'index.html'))) {
    console.log(`The rule config page (Configure on ${sandbox.url}/sandbox/rules) needs its sandbox build: ${SANDBOX_BUILD_COMMAND}`);
  }
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error: unknown) => {
  console.error(`CC8.1 sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
