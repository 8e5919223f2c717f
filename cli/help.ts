/** `--help` texts: the command's and each subcommand's, with the exit codes. */
import { EXIT } from './cli-errors';

export const COMMANDS = ['population', 'sample', 'audit', 'evidence', 'review', 'reconcile', 'gate', 'policy'] as const;
export type Command = (typeof COMMANDS)[number];

const SOURCE = `Source (one of):
  --site URL            a Jira Cloud site (or the sandbox, e.g. http://127.0.0.1:8080), with
                        JIRA_EMAIL and JIRA_API_TOKEN from the environment
  --export FILE         an export file: the JSON of POST /rest/api/3/search/jql with
                        expand=changelog (one page or an array of pages); repeat for several files
Policy:
  --policy FILE         the field and status mapping: the app's stored policy record
                        ({version, policy, ...}) or a bare policy (required)
Evidence:
  --evidence-key KEY    the app's public evidence key (CC8.1 admin page, Evidence key), or a file
                        holding it; also CC81_EVIDENCE_KEY. Only records the app sealed with it
                        count; any other cc81.evidence content is reported as EVIDENCE_TAMPERED.
                        Without it, the records are taken as the issues show them (a warning)`;

const PERIOD = `Period:
  --from DATE           start (YYYY-MM-DD, UTC, inclusive; or an ISO time with a zone)
  --to DATE             end (YYYY-MM-DD: that whole day is included)
  --jql JQL             which tickets (required with --site; with --export, the JQL the export
                        was made with, recorded as given)
A ticket is in the period when it was created, or changed status, inside it.`;

const DEPLOYMENT_FILES = `Deployments (one or more; repeat each option for several files):
  --deployments FILE    a pipeline's deployment log: CSV with a header row, or JSON (an array, {"deployments":
                        [...]}, or JSON Lines). Columns: time (ISO 8601 with a zone), environment, sha,
                        actor, and optionally deployer_account_id, ref/branch, pr_title, message,
                        change_key. Keys come from change_key, else KEY-123 as written in ref, PR title
                        or message. A bad row refuses the file, naming its line
  --from-gate FILE      the recorded gate calls (JSON array of the gate's records, as stored); each
                        record's hash is checked`;

const COMMON = `Other:
  --output FILE         write to FILE (atomically) instead of stdout
  --progress            show the progress bar on stderr even when it is not a terminal
  -h, --help            this help`;

export const EXIT_CODES = `Exit codes:
  ${EXIT.ok}   success
  ${EXIT.findings}   --fail-on-findings and the audit found exceptions or unreadable tickets; cc81 reconcile
      found exceptions
  ${EXIT.usage}   usage error (unknown option, missing or bad argument)
  ${EXIT.input}   bad input: policy file, export file (malformed, truncated), JQL Jira rejected, ticket data
  ${EXIT.jira}   Jira: bad credentials (401), no permission, unreachable site, rate-limited, other HTTP errors
  ${EXIT.output}   output could not be written (nothing partial is left behind)
  ${EXIT.denied}   cc81 gate: the gate denied the deployment
  ${EXIT.gate}   cc81 gate: no decision (the gate refused the call, could not be reached, or answered something else)
  ${EXIT.internal}  unexpected error
  ${EXIT.interrupted} interrupted (Ctrl-C; 143 for SIGTERM): output in progress is removed`;

const TOP = `cc81: CC8.1 audit evidence from Jira (population, sample, audit, evidence packs, quarterly review)

Usage: cc81 <command> [options]

Commands:
  population   every change in the period, with a completeness record (SHA-256)
  sample       a seeded, documented, reproducible sample of the population
  audit        every finding of every ticket in the period (--format json|table)
  evidence     one evidence pack per sampled ticket (JSON and printable HTML), an index, the
               completeness record and the audit of the whole population
  review       the quarterly review (--quarter 2026Q3)
  reconcile    every deployment of a pipeline's log (or the gate's records) against the tickets:
               deployments no change covers, or that went out before approval, outside the window,
               or by an approver; changes implemented but never deployed
  gate         ask the deployment gate whether a deployment may go out (what a pipeline calls)
  policy       a starting policy from a site's own fields, statuses and option labels, with
               what it could not decide

Run \`cc81 <command> --help\` for a command's options.

${EXIT_CODES}
`;

const HELP: Record<Command, string> = {
  population: `Usage: cc81 population (--site URL | --export FILE...) --policy FILE [--jql JQL] --from DATE --to DATE [--output FILE]

Every change in the period, as a completeness record (JSON): the JQL, the run time, the count, each
key with its last-updated time, and a SHA-256 over the sorted keys and their last-updated times.
Re-run it later and compare the hash: any ticket added, removed or changed in the period changes it.

${SOURCE}
${PERIOD}
${COMMON}

${EXIT_CODES}
`,
  sample: `Usage: cc81 sample (--site URL | --export FILE...) --policy FILE [--jql JQL] --from DATE --to DATE --size N --seed S [--population tickets|deployments --deployments FILE...] [--output FILE]

A reproducible sample (JSON) of the population: the same population and seed always give the same
keys. The record holds the method, the seed, the size and the population's hash.

  --size N              how many tickets (1 or more; the whole population when it is smaller)
  --seed S              a whole number from 0 to 4294967295 (e.g. one the auditor picks)
  --population deployments
                        sample the period's deployments instead of its tickets (same method, on the
                        deployments ordered by time, then id); the record lists each sampled deployment
                        with the change it is matched to and its findings, as cc81 reconcile reports them

${DEPLOYMENT_FILES}

${SOURCE}
${PERIOD}
${COMMON}

${EXIT_CODES}
`,
  audit: `Usage: cc81 audit (--site URL | --export FILE...) --policy FILE [--jql JQL] --from DATE --to DATE [--format json|table] [--fail-on-findings] [--output FILE]

Every finding of every ticket in the period (the app's auditChange), with the stable finding codes.

  --format json|table   table (default) or JSON
  --fail-on-findings    exit ${EXIT.findings} when there are exceptions or unreadable tickets

${SOURCE}
${PERIOD}
${COMMON}

${EXIT_CODES}
`,
  evidence: `Usage: cc81 evidence (--site URL | --export FILE...) --policy FILE [--jql JQL] --from DATE --to DATE --size N --seed S --out DIR

Draws the sample as \`cc81 sample\` does and writes DIR (which must not exist yet):
  index.html, index.json      the exceptions summary and one row per sampled ticket
  population.json             the completeness record
  sample.json                 the sample record
  audit.json                  every finding of every ticket in the population (as cc81 audit)
  tickets/KEY.json, KEY.html  each ticket's evidence: fields, every transition with actor and
                              time, segregation verdicts, findings (and its deployments, with
                              --deployments or --from-gate)
  reconcile.json              with deployments: every deployment reconciled (as cc81 reconcile)
DIR appears only once complete.

  --out DIR             the directory to create
  --size N, --seed S    as for \`cc81 sample\`

${DEPLOYMENT_FILES}

${SOURCE}
${PERIOD}
  --progress, -h, --help

${EXIT_CODES}
`,
  review: `Usage: cc81 review (--site URL | --export FILE...) --policy FILE [--jql JQL] --quarter 2026Q3 [--format json|table] [--output FILE]

The quarterly review of the changes in the quarter: counts by type, risk and state; the exceptions;
emergency changes with the median time to post-hoc approval and the late or missing ones;
segregation relaxations used.

  --quarter YEARQn      the quarter, e.g. 2026Q3 (July to September, UTC)
  --format json|table   table (default) or JSON
With --deployments or --from-gate: the quarter's deployments and the share covered by an approved change.

${DEPLOYMENT_FILES}
${SOURCE}
  --jql JQL             which tickets (required with --site)
${COMMON}

${EXIT_CODES}
`,
  reconcile: `Usage: cc81 reconcile (--deployments FILE... | --from-gate FILE...) (--site URL | --export FILE...) --policy FILE [--jql JQL] (--from DATE --to DATE | --quarter 2026Q3) [--format json|table] [--output FILE]

Every deployment in the period against the change tickets, from the production end. A deployment is
matched to tickets by key (a key it names that is a ticket read), else by commit SHA (the tickets of
the key-matched deployments of the same commit, e.g. the staging deployment that named the change),
else not at all: never by guess. Findings, each on exactly one deployment (its id: FILE:LINE,
FILE#ITEM or the gate's call id) or one ticket:
  DEPLOYMENT_WITHOUT_CHANGE   no ticket covers the deployment (detached)
  DEPLOYED_BEFORE_APPROVAL    the change had no standing approval when it went out
  DEPLOYED_OUTSIDE_WINDOW     outside the change's maintenance window
  DEPLOYER_IS_APPROVER        whoever deployed approved the change (needs deployer_account_id)
  DEPLOYED_AFTER_CHANGE       a material field changed after approval and before the deployment
  CHANGE_NEVER_DEPLOYED       (notice) implemented in the period, and no deployment names it
Deployments outside the period are not judged but still count for matching. The summary gives the
share of deployments covered by an approved change. Exits ${EXIT.findings} when there are exceptions.

  --quarter YEARQn      the period as a quarter, instead of --from and --to
  --format json|table   table (default: one line per finding, then the summary) or JSON

${DEPLOYMENT_FILES}
${SOURCE}
${PERIOD}
${COMMON}

${EXIT_CODES}
`,
  gate: `Usage: cc81 gate --url URL --environment ENV --sha SHA --deployer WHO [--change KEY] [--branch B] [--pr-title T] [--message M] [--deployer-account-id ID] [--format json|table]

Asks the CC8.1 deployment gate whether this deployment may go out: the same signed call a pipeline
makes (HMAC-SHA256 of timestamp, nonce and body with the pipeline's secret; a new random nonce each
call). Prints the decision, per change, with the reasons; the token is never printed.

  --url URL             the gate's web trigger URL (CC8.1 admin page, Pipelines); also CC81_GATE_URL
  --token TOKEN         the pipeline's token (cc81p_...); better: CC81_GATE_TOKEN in the environment,
                        which other users of the machine cannot see in the process list
  --environment ENV     where it deploys (e.g. production)
  --sha SHA             the commit deployed (7 to 64 hex digits)
  --deployer WHO        who or which service deploys
  --deployer-account-id ID
                        the deployer's Atlassian account id (then an approver may not deploy)
  --change KEY          the change ticket; else the gate reads keys from these:
  --branch B, --pr-title T, --message M
                        the branch, pull request title and commit message (KEY-123 as written)
  --format json|table   table (default) or the gate's answer as JSON
  -h, --help            this help

Exit codes:
  ${EXIT.ok}   allowed: deploy
  ${EXIT.usage}   usage error (missing or bad option, no token)
  ${EXIT.denied}   denied: do not deploy (the reasons are printed)
  ${EXIT.gate}   no decision: the gate refused the call (401 bad token or signature, 429 too many calls, ...),
      could not be reached, or answered something else. Do not deploy.
  ${EXIT.internal}  unexpected error
`,
  policy: `Usage: cc81 policy --site URL [--project KEY] [--output FILE]

A starting policy (JSON, for --policy) from what the site already has: each CC8.1 field mapped to the
one field whose name means it (the app's label, or a usual name such as "Change risk", "Approvers",
"Backout plan", "Change start date") and whose type can hold it, with its Jira type; each lifecycle
state to the status named like it; each option label the app does not know to the value it most
likely means ("Critical" → high, "Failed - rolled back" → failed-rolled-back). What it could not
decide is listed on stderr, one line per policy path, for you to edit. Nothing on the site changes.

  --site URL            the Jira Cloud site, with JIRA_EMAIL and JIRA_API_TOKEN from the environment
  --project KEY         the project of change tickets (its issue type named like "Change" is picked)
  --output FILE         write to FILE (atomically) instead of stdout
  -h, --help            this help

${EXIT_CODES}
`,
};

export const topHelp = (): string => TOP;
export const commandHelp = (command: Command): string => HELP[command];
export const isCommand = (value: string | undefined): value is Command => (COMMANDS as readonly string[]).includes(value ?? '');
