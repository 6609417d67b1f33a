/**
 * Plan review: turns Terraform plan JSON into a review a platform team reads before it applies,
 * and refuses plans that would lose data. The model is built once per stack and rendered twice.
 *
 *   import { reviewPlan, renderMarkdown, renderText } from './scripts/plan-review';
 *
 *   const review = reviewPlan({
 *     stack: 'data-disks-prod',
 *     plan,          // JSON.parse(`terraform show -json tfplan`) of a saved plan (`plan -out=tfplan`)
 *     synthesized,   // JSON.parse(cdktf.out/stacks/data-disks-prod/cdk.tf.json), with its "//" metadata
 *     allowReplace,  // addresses from `--allow-replace <address>` flags, e.g. ['azurerm_managed_disk.disk-mysql_08817DBF']
 *   });
 *   review.verdict.refused        // true: do not apply; review.verdict.dataLoss says what and which flag allows it
 *   renderMarkdown([review, ...], 'Plan for prod')   // a pull-request comment
 *   renderText([review, ...], { color: false })       // a terminal
 *
 * What a StackReview holds (model.ts):
 * - `counts`: create, update, replace (delete+create in either order), delete, noOp (managed
 *   resources only; data sources, which are only read, are not counted), plus forget, moved and
 *   imported;
 * - `changes`: every resource that is created, updated, replaced, deleted or forgotten, and every
 *   one moved (`moved` block) or imported without other changes, each with its construct path
 *   (from the synthesized `//.metadata.path`), the attributes that force a replacement
 *   (`replace_paths` as dotted paths), and for updates and replacements its changed attributes
 *   (before -> after; multi-line strings such as Helm `values` as a unified line diff; values the
 *   plan marks sensitive shown only as `(sensitive value)`, never their value or length);
 * - `dataBearing` on every resource that DATA_BEARING (data-bearing.ts) lists, wherever it appears;
 * - `verdict`: refused when a data-bearing resource would be deleted or replaced and its address is
 *   not in `allowReplace`, or when Terraform stopped planning on an error; `dataLoss` lists each
 *   such resource with why it holds data and the exact `--allow-replace <address>` flag.
 *
 * Plans that `terraform plan` itself refuses (a replacement of a resource with prevent_destroy)
 * produce no plan JSON: the CLI reports Terraform's error. The review is the guard for everything
 * else, including the change that removes a prevent_destroy.
 */
export { reviewPlan } from './review';
export { renderMarkdown } from './render-markdown';
export { renderText, type TextOptions } from './render-text';
export { DATA_BEARING, STATEFUL_HELM_RELEASES, type DataBearingRule } from './data-bearing';
export { allowFlag } from './verdict';
export { dottedPath } from './paths';
export type { AttributeChange, Counts, DataBearing, DataLoss, ResourceReview, ReviewAction, ReviewInput, StackReview, Verdict } from './model';
