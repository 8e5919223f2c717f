/**
 * The `fields` and `update` of an edit, create or transition request, merged into field values
 * by field id (REST v3 input shapes) relative to the current values. `update` supports
 * `set` on any field and `add` / `remove` on array fields (labels), as Jira does.
 */
import { z } from 'zod';
import { fieldById, SandboxState } from '../state/sandbox-state';
import { notOnScreen } from '../workflow/screen-fields';

export const UpdateOperationSchema = z.record(z.string(), z.unknown()).refine((op) => Object.keys(op).length === 1, 'Each operation names exactly one verb');
export const UpdateSchema = z.record(z.string(), z.array(UpdateOperationSchema));
export type UpdateOperations = z.infer<typeof UpdateSchema>;

export type MergeResult = { ok: true; input: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

const applyOperations = (state: SandboxState, fieldId: string, current: unknown, operations: Record<string, unknown>[]): { value: unknown } | { error: string } => {
  const field = fieldById(state, fieldId);
  if (!field) return { error: notOnScreen(fieldId) };
  const isArray = field.schema.type === 'array';
  let value: unknown = isArray ? (Array.isArray(current) ? [...(current as unknown[])] : []) : current;
  for (const operation of operations) {
    const [verb, operand] = Object.entries(operation)[0]!;
    if (verb === 'set') {
      value = operand;
    } else if ((verb === 'add' || verb === 'remove') && isArray) {
      const list = Array.isArray(value) ? (value as unknown[]) : [];
      if (verb === 'add') value = list.includes(operand) ? list : [...list, operand];
      else value = list.filter((item) => item !== operand);
    } else {
      return { error: `The operation '${verb}' is not supported by the field '${fieldId}'.` };
    }
  }
  return { value };
};

export const mergeUpdate = (
  state: SandboxState,
  current: Record<string, unknown>,
  fields: Record<string, unknown> = {},
  update: UpdateOperations = {},
): MergeResult => {
  const input: Record<string, unknown> = { ...fields };
  const errors: Record<string, string> = {};
  for (const [fieldId, operations] of Object.entries(update)) {
    if (fieldId in fields) {
      errors[fieldId] = `Field '${fieldId}' cannot be set in both 'fields' and 'update'.`;
      continue;
    }
    const result = applyOperations(state, fieldId, current[fieldId] ?? null, operations);
    if ('error' in result) errors[fieldId] = result.error;
    else input[fieldId] = result.value;
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, input };
};
