/**
 * The review of one stack's plan: what both renderers (markdown, text) read. Built by reviewPlan()
 * from `terraform show -json` of a saved plan; holds no raw attribute value that the plan marks
 * sensitive, only display text in which such values are masked.
 */

/** What Terraform would do to one resource instance. */
export type ReviewAction = 'create' | 'update' | 'replace' | 'delete' | 'forget' | 'no-op';

export interface Counts {
  readonly create: number;
  readonly update: number;
  /** delete+create in either order */
  readonly replace: number;
  readonly delete: number;
  /** managed resources left as they are (data sources, which are only read, are not counted) */
  readonly noOp: number;
  /** removed from state without being destroyed (`removed` blocks) */
  readonly forget: number;
  /** changes that come with a `moved` block (counted under their action as well) */
  readonly moved: number;
  /** changes that come with an `import` block (counted under their action as well) */
  readonly imported: number;
}

/** One changed attribute of an update or a replacement. */
export interface AttributeChange {
  /** Dotted path: `disk_size_gb`, `metadata.0.labels["app.kubernetes.io/name"]`, `values.0`. */
  readonly path: string;
  /** Display text: a JSON value, `(sensitive value)`, `(known after apply)` or `(none)`. */
  readonly before: string;
  readonly after: string;
  /** Either side is sensitive: before/after are masks, and no diff is given. */
  readonly sensitive: boolean;
  /** This attribute is one the provider can only change by replacing the resource. */
  readonly forcesReplacement: boolean;
  /** For multi-line strings (Helm values): a unified line diff instead of before/after. */
  readonly lineDiff?: string;
}

export interface DataBearing {
  /** The DATA_BEARING entry's label, e.g. "managed disk". */
  readonly kind: string;
  /** Why it holds data, from that entry. */
  readonly why: string;
}

export interface ResourceReview {
  readonly address: string;
  /** Set when a `moved` block brought this resource from another address. */
  readonly previousAddress?: string;
  readonly type: string;
  readonly action: ReviewAction;
  /** For replacements: which goes first. */
  readonly replaceOrder?: 'delete-then-create' | 'create-then-delete';
  /** Terraform's reason for a replace or delete, in words (from `action_reason`). */
  readonly reason?: string;
  /** The attributes that force a replacement, as dotted paths (`replace_paths`). */
  readonly forcedBy: readonly string[];
  /** The construct that owns it (`//.metadata.path` in the synthesized stack), when it is there. */
  readonly constructPath?: string;
  readonly dataBearing?: DataBearing;
  readonly imported: boolean;
  /** Changed attributes, for updates and replacements; empty otherwise. */
  readonly attributes: readonly AttributeChange[];
}

/** A data-bearing resource that would be deleted or replaced. */
export interface DataLoss {
  readonly address: string;
  readonly action: 'replace' | 'delete';
  readonly constructPath?: string;
  readonly dataBearing: DataBearing;
  readonly forcedBy: readonly string[];
  /** The flag that allows it: `--allow-replace <address>`. */
  readonly flag: string;
  /** Whether `allowReplace` named it. */
  readonly allowed: boolean;
  /** One sentence: what would happen, why it matters, and what allows it (or that it was allowed). */
  readonly explanation: string;
}

export interface Verdict {
  /** Refused when any data-bearing resource would be deleted or replaced without being allowed. */
  readonly refused: boolean;
  /** Every data-bearing delete or replace, allowed or not. */
  readonly dataLoss: readonly DataLoss[];
  /** One line for a summary. */
  readonly summary: string;
}

export interface StackReview {
  readonly stack: string;
  readonly terraformVersion?: string;
  /** Terraform stopped planning on an error: the plan is incomplete (the review says so). */
  readonly errored: boolean;
  readonly counts: Counts;
  /** Every resource that changes (creates, updates, replaces, deletes, forgets) or moves/imports, by address. */
  readonly changes: readonly ResourceReview[];
  readonly verdict: Verdict;
}

export interface ReviewInput {
  readonly stack: string;
  /** `terraform show -json <saved plan>` */
  readonly plan: any;
  /** The stack's synthesized cdk.tf.json, with its `//` metadata (not Testing.synth(), which strips it). */
  readonly synthesized: any;
  /** Addresses whose deletion or replacement is allowed (the `--allow-replace` flags). */
  readonly allowReplace: readonly string[];
}
