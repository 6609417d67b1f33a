/**
 * What the AKS metrics add-on scrapes beyond its defaults. It scrapes pods annotated
 * `prometheus.io/scrape: "true"` only in namespaces matched by `podannotationnamespaceregex` in
 * kube-system's `ama-metrics-settings-configmap`, which does not exist until someone creates it
 * (learn.microsoft.com/azure/azure-monitor/containers/prometheus-metrics-scrape-configuration).
 * cert-manager's chart annotates its controller pod (metrics on :9402) when no ServiceMonitor is
 * used, so allowing its namespace is all the certificate-expiry alert needs. Only the settings set
 * here are written; the add-on keeps its defaults for every other section.
 */
import { Construct } from 'constructs';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';

export interface PrometheusScrapeSettingsProps {
  /** Namespaces whose annotated pods are scraped. */
  readonly annotatedPodNamespaces: readonly string[];
}

/** The add-on reads exactly this name in kube-system. */
export const SCRAPE_SETTINGS_CONFIG_MAP = 'ama-metrics-settings-configmap';

export class PrometheusScrapeSettings extends Construct {
  readonly configMap: ConfigMapV1;

  constructor(scope: Construct, id: string, props: PrometheusScrapeSettingsProps) {
    super(scope, id);
    const namespaces = [...props.annotatedPodNamespaces].sort();
    if (namespaces.length === 0) throw new Error('PrometheusScrapeSettings: annotatedPodNamespaces must name at least one namespace');
    this.configMap = new ConfigMapV1(this, 'Resource', {
      metadata: { name: SCRAPE_SETTINGS_CONFIG_MAP, namespace: 'kube-system' },
      data: {
        'schema-version': 'v1',
        'config-version': 'ver1',
        'pod-annotation-based-scraping': `podannotationnamespaceregex = "^(${namespaces.join('|')})$"`,
      },
    });
  }
}
