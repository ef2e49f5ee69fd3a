import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Names that must be unique across an app: a plan name in an account and
 * region (the purchase's idempotency key), an endpoint name, a plan bound to
 * one endpoint. Claims live on the app's root, so two constructs anywhere in
 * the app that claim the same key are found at synth, before both are bought.
 */
const claimsByRoot = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records that `scope` holds `key`; returns the path of the construct that
 * held it first, when that is another construct.
 */
export function claim(scope: IConstruct, key: string): string | undefined {
  const root = scope.node.root;
  let claims = claimsByRoot.get(root);
  if (!claims) {
    claims = new Map();
    claimsByRoot.set(root, claims);
  }
  const holder = claims.get(key);
  if (holder !== undefined && holder !== scope.node.path) {
    return holder;
  }
  claims.set(key, scope.node.path);
  return undefined;
}

/**
 * The account and region a name must be unique in. An environment-agnostic
 * stack's is unknown at synth, so its names are only compared within itself.
 */
export function environmentKey(stack: Stack): string {
  return Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)
    ? `stack:${stack.node.path}`
    : `${stack.account}/${stack.region}`;
}
