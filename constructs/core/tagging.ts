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

/** A resource whose generated binding accepts `tags` (data sources and untaggable resources do not). */
function isTaggable(node: IConstruct): node is TerraformResource & { tags: Record<string, string> } {
  return node instanceof TerraformResource && 'tagsInput' in node;
}

export class TaggingAspect implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (isTaggable(node)) {
      node.tags = { ...this.tags };
    }
  }
}
