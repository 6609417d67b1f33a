/**
 * Points every Helm release that comes from a chart repository at one other repository, keeping
 * chart names and versions. Only the rehearsal uses it (its local repository of stand-in charts),
 * so the stacks themselves never change for a rehearsal. Releases of charts shipped with the
 * stack (a local path, no repository) are left alone.
 */
import { IAspect } from 'cdktf';
import { IConstruct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';

export class ChartRepositoryOverride implements IAspect {
  constructor(private readonly repository: string) {}

  visit(node: IConstruct): void {
    if (node instanceof Release && node.repositoryInput !== undefined) node.repository = this.repository;
  }
}
