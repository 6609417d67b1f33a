/**
 * The one place tags are applied: an aspect that stamps the same tags on every taggable
 * resource of a stack at synth time, so no construct can forget them and none repeats them.
 */
import { IAspect, TerraformResource } from 'cdktf';
import { IConstruct } from 'constructs';

export interface PlatformTagsInput {
  readonly environment: string;
  readonly workload: string;
  /** Extra tags from the environment file. */
  readonly extra: Readonly<Record<string, string>>;
}

/** The tags every resource carries; the fixed keys win over extra tags of the same name. */
export function platformTags(input: PlatformTagsInput): Record<string, string> {
  const tags: Record<string, string> = {
    ...input.extra,
    environment: input.environment,
    workload: input.workload,
    'managed-by': 'cdktf',
  };
  // Sorted keys keep the synthesized JSON byte-identical however the file orders its tags.
  return Object.fromEntries(Object.entries(tags).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * An Azure resource whose binding accepts a `tags` map. Data sources and untaggable resources
 * have no `tagsInput`; Entra objects (azuread) have `tags` too, but as a list of strings and
 * outside Azure Resource Manager, so they are left alone.
 */
function isTaggable(node: IConstruct): node is TerraformResource & { tags: Record<string, string> } {
  return node instanceof TerraformResource && node.terraformResourceType.startsWith('azurerm_') && 'tagsInput' in node;
}

export class TaggingAspect implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (isTaggable(node)) {
      node.tags = { ...this.tags };
    }
  }
}
