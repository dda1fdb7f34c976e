/**
 * Helpers to acknowledge cdk-nag findings precisely (one finding, one reason) without importing
 * cdk-nag at deploy time: acknowledgements go through aws-cdk-lib's own `Validations` API.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Flattens a (possibly tokenized) ARN the way cdk-nag names it in `AwsSolutions-IAM5[Resource::...]`:
 * `Ref` → `<LogicalId>`, `Fn::GetAtt` → `<LogicalId.Attr>`, `Fn::Join` joined.
 * Resolve within the stack that holds the policy.
 */
export function nagResourceName(scope: IConstruct, value: string): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (o['Fn::Sub'] !== undefined) return flatten(o['Fn::Sub']);
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (o['Fn::ImportValue'] !== undefined) return flatten(o['Fn::ImportValue']);
    if (o.Ref !== undefined) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** Acknowledges one wildcard resource (AwsSolutions-IAM5) on `policyOrRole`, with the reason it is needed. */
export function acknowledgeWildcardResource(
  policyOrRole: IConstruct,
  resource: string,
  reason: string,
): void {
  Validations.of(policyOrRole).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagResourceName(policyOrRole, resource)}]`,
    reason,
  });
}
