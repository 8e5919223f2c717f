/** The comment the deployment gate leaves on a ticket: what was asked, the answer and why (ADF). */
import type { DeploymentJudgement } from '../domain';
import type { GateRequest } from '../deployments/gate-signature';
import type { AdfNode } from '../jira/schemas';

const text = (value: string, strong = false): AdfNode => (strong ? { type: 'text', text: value, marks: [{ type: 'strong' }] } : { type: 'text', text: value }) as AdfNode;
const paragraph = (...content: AdfNode[]): AdfNode => ({ type: 'paragraph', content }) as AdfNode;
const bullets = (lines: string[]): AdfNode =>
  ({ type: 'bulletList', content: lines.map((line) => ({ type: 'listItem', content: [paragraph(text(line))] })) }) as AdfNode;

const HEADLINE: Record<DeploymentJudgement['path'], string> = {
  approved: 'CC8.1 deployment gate: allowed',
  emergency: 'CC8.1 deployment gate: allowed as an emergency (post-hoc approval owed)',
  refused: 'CC8.1 deployment gate: denied',
};

export const deploymentComment = (call: GateRequest, pipelineName: string, judgement: DeploymentJudgement, now: Date): AdfNode => {
  const what = `Deployment of ${call.sha.toLowerCase().slice(0, 12)} to ${call.environment} by ${call.deployer} (pipeline "${pipelineName}") at ${now.toISOString()}.`;
  const content: AdfNode[] = [paragraph(text(HEADLINE[judgement.path], true)), paragraph(text(what))];
  if (judgement.reasons.length) content.push(paragraph(text('Why it was denied:')), bullets(judgement.reasons.map((r) => r.message)));
  if (judgement.notices.length) content.push(bullets(judgement.notices.map((r) => r.message)));
  return { type: 'doc', version: 1, content } as AdfNode;
};
