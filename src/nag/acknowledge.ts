import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding through CDK's own validation API, so the
 * library needs no cdk-nag dependency. cdk-nag identifies a finding as
 * `Rule[Kind::value]`, with tokens rendered as `<LogicalId.Attr>` or `<Ref>`;
 * `finding` is rendered the same way, so the acknowledgement covers exactly
 * that permission and nothing broader.
 */
export function acknowledgeFinding(scope: IConstruct, rule: string, reason: string, finding?: { kind: string; value: string }): void {
  const id = finding ? `${rule}[${finding.kind}::${renderForNag(scope, finding.value)}]` : rule;
  Validations.of(scope).acknowledge({ id, reason });
}

/** Renders a (possibly tokenized) string as cdk-nag prints it in finding ids. */
export function renderForNag(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Ref' in o) return `<${o.Ref}>`;
    if ('Fn::GetAtt' in o) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if ('Fn::Join' in o) {
      const [sep, parts] = o['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(sep);
    }
  }
  return JSON.stringify(v);
}
