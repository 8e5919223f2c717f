export * from './compiled-rule';
export * from './compile-edge';
export { issueMember } from './field-access';
