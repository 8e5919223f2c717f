/**
 * Reads Atlassian's Jira platform OpenAPI document from ../shared (never copied into the project)
 * and checks requests and JSON values against it, for the subset of JSON Schema the document uses
 * on the endpoints the app calls.
 */
import { existsSync, readFileSync } from 'fs';
import { resolve } from 'path';
import { z } from 'zod';

export const OPENAPI_PATH = resolve(__dirname, '..', '..', '..', 'shared', 'jira-openapi', 'jira-platform-v3.json');

const SchemaNodeSchema: z.ZodType<SchemaNode> = z.lazy(() =>
  z.object({
    $ref: z.string().optional(),
    allOf: z.array(SchemaNodeSchema).optional(),
    type: z.string().optional(),
    properties: z.record(z.string(), SchemaNodeSchema).optional(),
    additionalProperties: z.union([z.boolean(), SchemaNodeSchema]).optional(),
    required: z.array(z.string()).optional(),
    items: SchemaNodeSchema.optional(),
    maxItems: z.number().optional(),
    minItems: z.number().optional(),
    uniqueItems: z.boolean().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    format: z.string().optional(),
  }),
);
export interface SchemaNode {
  $ref?: string | undefined;
  allOf?: SchemaNode[] | undefined;
  type?: string | undefined;
  properties?: Record<string, SchemaNode> | undefined;
  additionalProperties?: boolean | SchemaNode | undefined;
  required?: string[] | undefined;
  items?: SchemaNode | undefined;
  maxItems?: number | undefined;
  minItems?: number | undefined;
  uniqueItems?: boolean | undefined;
  minimum?: number | undefined;
  maximum?: number | undefined;
  format?: string | undefined;
}

const ParameterSchema = z.object({ name: z.string(), in: z.string() });
const OperationSchema = z.object({
  operationId: z.string(),
  parameters: z.array(ParameterSchema).default([]),
  requestBody: z.object({ content: z.record(z.string(), z.object({ schema: SchemaNodeSchema.optional() })) }).optional(),
  responses: z.record(z.string(), z.object({ content: z.record(z.string(), z.object({ schema: SchemaNodeSchema.optional() })).optional() })),
});
const DocumentSchema = z.object({
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.object({ schemas: z.record(z.string(), SchemaNodeSchema) }),
});

let cached: z.infer<typeof DocumentSchema> | null = null;
/** The raw document; a clear error when ../shared is absent (CI always has it beside the repo). */
export const readOpenApiJson = (): unknown => {
  if (!existsSync(OPENAPI_PATH)) {
    throw new Error(`Atlassian's Jira OpenAPI document is absent at ${OPENAPI_PATH}. The contract tests read it from ../shared beside the repository (CI always has it); clone the project next to shared/ to run them.`);
  }
  return JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
};

export const openApi = () => (cached ??= DocumentSchema.parse(readOpenApiJson()));

export type Operation = z.infer<typeof OperationSchema> & { template: string };

/** The operation a concrete `METHOD /path` addresses, matching `{param}` segments. */
export const findOperation = (method: string, path: string): Operation | null => {
  for (const [template, ops] of Object.entries(openApi().paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(path)) continue;
    const op = ops[method.toLowerCase()];
    if (op) return { ...OperationSchema.parse(op), template };
  }
  return null;
};

export const componentSchema = (name: string): SchemaNode => {
  const schema = openApi().components.schemas[name];
  if (!schema) throw new Error(`No component schema ${name}`);
  return schema;
};

const deref = (node: SchemaNode): SchemaNode => {
  if (node.$ref) return deref(componentSchema(node.$ref.replace('#/components/schemas/', '')));
  if (node.allOf && node.allOf.length === 1 && node.allOf[0]) return deref(node.allOf[0]);
  return node;
};

export interface Deviation {
  path: string;
  problem: string;
}

/**
 * Checks `value` against `schema`: types, properties (with `additionalProperties: false`),
 * required, array bounds and uniqueness, integer range. `nullAllowed` lists property names the
 * document types as strings but real Jira sends as null (they are reported separately).
 */
export const checkAgainst = (schema: SchemaNode, value: unknown, path = '$', nullAllowed: ReadonlySet<string> = new Set()): Deviation[] => {
  const node = deref(schema);
  if (value === null || value === undefined) {
    const name = path.split('.').pop() ?? '';
    return value === null && !nullAllowed.has(name) && node.type ? [{ path, problem: `null where the document says ${node.type}` }] : [];
  }
  const out: Deviation[] = [];
  switch (node.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [{ path, problem: 'expected object' }];
      const entries = Object.entries(value);
      for (const req of node.required ?? []) if (!(req in value)) out.push({ path: `${path}.${req}`, problem: 'required property missing' });
      for (const [key, child] of entries) {
        const prop = node.properties?.[key];
        if (prop) out.push(...checkAgainst(prop, child, `${path}.${key}`, nullAllowed));
        else if (node.additionalProperties === false) out.push({ path: `${path}.${key}`, problem: 'property not in the document' });
        else if (typeof node.additionalProperties === 'object') out.push(...checkAgainst(node.additionalProperties, child, `${path}.${key}`, nullAllowed));
      }
      return out;
    }
    case 'array': {
      if (!Array.isArray(value)) return [{ path, problem: 'expected array' }];
      if (node.maxItems !== undefined && value.length > node.maxItems) out.push({ path, problem: `more than ${node.maxItems} items` });
      if (node.minItems !== undefined && value.length < node.minItems) out.push({ path, problem: `fewer than ${node.minItems} items` });
      if (node.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) out.push({ path, problem: 'items not unique' });
      value.forEach((item, i) => node.items && out.push(...checkAgainst(node.items, item, `${path}[${i}]`, nullAllowed)));
      return out;
    }
    case 'string':
      return typeof value === 'string' ? [] : [{ path, problem: 'expected string' }];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [{ path, problem: 'expected integer' }];
      if (node.minimum !== undefined && value < node.minimum) out.push({ path, problem: `below ${node.minimum}` });
      if (node.maximum !== undefined && value > node.maximum) out.push({ path, problem: `above ${node.maximum}` });
      return out;
    case 'boolean':
      return typeof value === 'boolean' ? [] : [{ path, problem: 'expected boolean' }];
    default:
      return [];
  }
};

/** The JSON schema of an operation's request body or 200 response. */
export const requestSchema = (op: Operation): SchemaNode | undefined => op.requestBody?.content['application/json']?.schema;
export const responseSchema = (op: Operation, status = '200'): SchemaNode | undefined => op.responses[status]?.content?.['application/json']?.schema;
