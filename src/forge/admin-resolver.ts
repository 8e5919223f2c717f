import Resolver from '@forge/resolver';
import { RESOLVER_KEYS } from '../shared/resolver-keys';
import { notAvailable, type ResolverResult } from '../shared/resolver-result';

const resolver = new Resolver();

resolver.define(
  RESOLVER_KEYS.admin.getPolicy,
  (): ResolverResult<never> =>
    notAvailable('The CC8.1 policy settings are not available in this version of the app.'),
);

export const adminResolver = resolver.getDefinitions();
