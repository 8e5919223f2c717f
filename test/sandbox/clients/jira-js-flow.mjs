// The sandbox driven by jira.js (pinned in package.json), a Jira Cloud client nobody here wrote, with
// its response validation set to throw: every response must match jira.js's own schemas. One full
// change: connect, read the site, create, read back, search, transition through the lifecycle,
// properties and comments. Prints one JSON line with what it saw; exits 1 on any error.
import { createCloudClient } from 'jira.js';

const [host] = process.argv.slice(2);
const as = (email) => createCloudClient({ host, auth: { type: 'basic', email, apiToken: 'any-token' }, onSchemaMismatch: 'throw' });
const rita = as('rita.requester@example.com');
const ada = as('ada.approver@example.com');
const adf = (text) => ({ type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] });

const seen = {};
try {
  const server = await rita.serverInfo.getServerInfo();
  seen.deploymentType = server.deploymentType;
  seen.me = (await rita.myself.getCurrentUser()).displayName;
  const fields = await rita.issueFields.getFields();
  const id = (name) => fields.find((f) => f.name === name).id;
  seen.project = (await rita.projects.getProject({ projectIdOrKey: 'CHG' })).key;
  seen.statuses = (await rita.workflowStatuses.getStatuses()).length;

  const created = await rita.issues.createIssue({
    fields: {
      project: { key: 'CHG' },
      issuetype: { name: 'Change' },
      summary: 'Rotate the TLS certificates (jira.js)',
      description: adf('They expire next month'),
      [id('Change type')]: { value: 'Normal' },
      [id('Risk rating')]: { value: 'Low' },
      [id('Target systems')]: ['edge-proxy'],
      [id('Implementer')]: { accountId: '5b10a2844c20165700ede22h' },
      [id('Approver')]: { accountId: '5b10a2844c20165700ede23i' },
      [id('Test plan')]: adf('Staging first'),
      [id('Rollback plan')]: adf('Redeploy the old bundle'),
    },
  });
  seen.key = created.key;
  const issue = await rita.issues.getIssue({ issueIdOrKey: created.key, expand: 'names,schema,renderedFields' });
  seen.reporter = issue.fields.reporter.displayName;
  seen.namesHasSummary = issue.names.summary === 'Summary';
  seen.status = issue.fields.status.name;

  const found = await rita.issueSearch.searchAndReconsileIssuesUsingJqlPost({ jql: `key = ${created.key}`, fields: ['summary', 'status'], expand: 'names' });
  seen.searchCount = found.issues.length;
  seen.searchNames = Object.keys(found.names ?? {}).sort();
  const paged = await rita.issueSearch.searchAndReconsileIssuesUsingJql({ jql: 'project = CHG', maxResults: 1, fields: ['summary'] });
  seen.pagedHasToken = Boolean(paged.nextPageToken);

  const move = async (client, name) => {
    const { transitions } = await client.issues.getTransitions({ issueIdOrKey: created.key });
    const t = transitions.find((x) => x.name === name);
    if (!t) throw new Error(`no transition ${name}: ${transitions.map((x) => x.name).join(', ')}`);
    await client.issues.doTransition({ issueIdOrKey: created.key, transition: { id: t.id } });
  };
  await move(rita, 'Submit for assessment');
  await move(ada, 'Approve');
  seen.afterApprove = (await rita.issues.getIssue({ issueIdOrKey: created.key, fields: ['status'] })).fields.status.name;
  try {
    await rita.issues.doTransition({ issueIdOrKey: created.key, transition: { id: '99999' } });
    seen.invalidTransition = 'accepted';
  } catch (error) {
    seen.invalidTransition = error.status ?? error.response?.status ?? error.constructor.name;
  }

  await rita.issueProperties.setIssueProperty({ issueIdOrKey: created.key, propertyKey: 'team.note', body: { by: 'jira.js' } });
  seen.propertyKeys = (await rita.issueProperties.getIssuePropertyKeys({ issueIdOrKey: created.key })).keys.map((k) => k.key).sort();
  seen.property = (await rita.issueProperties.getIssueProperty({ issueIdOrKey: created.key, propertyKey: 'team.note' })).value;
  await rita.issueComments.addComment({ issueIdOrKey: created.key, body: adf('Looks good') });
  seen.comments = (await rita.issueComments.getComments({ issueIdOrKey: created.key })).comments.length;
  await rita.issues.editIssue({ issueIdOrKey: created.key, fields: { summary: 'Rotate the TLS certificates (edited by jira.js)' } });
  seen.changelog = (await rita.issues.getChangeLogs({ issueIdOrKey: created.key })).values.length;
  process.stdout.write(`${JSON.stringify(seen)}\n`);
} catch (error) {
  process.stderr.write(`jira.js flow failed: ${error?.constructor?.name}: ${error?.message}\n${JSON.stringify(seen)}\n`);
  process.exit(1);
}
