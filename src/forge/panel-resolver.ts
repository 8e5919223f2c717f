import Resolver from '@forge/resolver';
import { RESOLVER_KEYS } from '../shared/resolver-keys';
import { notAvailable, type ResolverResult } from '../shared/resolver-result';

const resolver = new Resolver();

resolver.define(
  RESOLVER_KEYS.panel.getPanel,
  (): ResolverResult<never> =>
    notAvailable('The CC8.1 issue panel is not available in this version of the app.'),
);

export const panelResolver = resolver.getDefinitions();
