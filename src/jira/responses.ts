import { z } from 'zod';
import { MalformedResponseError } from '../shared/app-error';
import type { JiraResponse } from './transport';

export const isOk = (status: number): boolean => status >= 200 && status < 300;

/** Reads a response body and parses it at the boundary; non-JSON or off-schema → MalformedResponseError. */
export const readJson = async <S extends z.ZodType>(response: JiraResponse, schema: S, source: string): Promise<z.output<S>> => {
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    // Boundary translation, not handling: the body was not JSON.
    throw new MalformedResponseError(source, [{ path: '(body)', problem: 'not valid JSON' }], { cause });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw MalformedResponseError.fromZod(source, parsed.error);
  return parsed.data;
};

const JiraErrorBodySchema = z.looseObject({ errorMessages: z.array(z.string()).default([]), errors: z.record(z.string(), z.string()).default({}) });

/** Jira's reasons from an error body (`{errorMessages, errors}`); none when the body has another shape. */
export const jiraErrorMessages = (body: unknown): string[] => {
  const parsed = JiraErrorBodySchema.safeParse(body);
  return parsed.success ? [...parsed.data.errorMessages, ...Object.entries(parsed.data.errors).map(([k, v]) => `${k}: ${v}`)] : [];
};
