/**
 * Stand-ins for the supporting charts: cert-manager, oauth2-proxy, external-dns and NVIDIA's device
 * plugin (GPU pools only), at the versions
 * the stacks pin (the constants are imported, so they cannot drift). Each renders what our stacks
 * rely on (cert-manager's CRDs for the issuers release; the proxy's Service the Ingress points at)
 * from the values keys we set, and accepts the others unread.
 */
import { CERT_MANAGER_CHART } from '../../../constructs/cert-manager/cert-manager';
import { MIRRORED_IMAGES } from '../../../constructs/container-registry/mirrored-images';
import { EXTERNAL_DNS_CHART } from '../../../constructs/external-dns/external-dns';
import { NVIDIA_DEVICE_PLUGIN_CHART } from '../../../constructs/nvidia-device-plugin/nvidia-device-plugin';
import { OAUTH2_PROXY_CHART } from '../../../constructs/oauth2-proxy/oauth2-proxy';
import { metadata, notes, service, STAND_IN_DESCRIPTION, workload, type ChartSource } from './common';

/**
 * A minimal CRD: one served and stored version `v1` that keeps every field, enough for the API
 * server to accept (and Helm to map) the kinds our issuers chart creates. Nothing validates them.
 */
function crd(plural: string, kind: string, scope: 'Cluster' | 'Namespaced'): string {
  return [
    'apiVersion: apiextensions.k8s.io/v1',
    'kind: CustomResourceDefinition',
    'metadata:',
    `  name: ${plural}.cert-manager.io`,
    '  annotations:',
    `    rehearsal/stand-in: ${JSON.stringify(STAND_IN_DESCRIPTION)}`,
    'spec:',
    '  group: cert-manager.io',
    `  scope: ${scope}`,
    '  names:',
    `    plural: ${plural}`,
    `    singular: ${kind.toLowerCase()}`,
    `    kind: ${kind}`,
    `    listKind: ${kind}List`,
    '  versions:',
    '    - name: v1',
    '      served: true',
    '      storage: true',
    '      schema:',
    '        openAPIV3Schema:',
    '          type: object',
    '          x-kubernetes-preserve-unknown-fields: true',
  ].join('\n') + '\n';
}

export function certManagerStandIn(): ChartSource {
  const { name, version, repository } = CERT_MANAGER_CHART;
  return {
    name,
    version,
    appVersion: version,
    standsInFor: repository,
    // The keys our stack sets; only the controller's image is read.
    values: {
      imageRegistry: 'quay.io',
      imageNamespace: 'jetstack',
      image: { tag: '' },
      crds: { enabled: false, keep: true },
      enableCertificateOwnerRef: false,
      startupapicheck: { enabled: true, image: { tag: '' } },
      webhook: { image: { tag: '' } },
      cainjector: { image: { tag: '' } },
      acmesolver: { image: { tag: '' } },
    },
    templates: {
      'deployment.yaml': workload({
        kind: 'Deployment',
        name: 'cert-manager',
        replicas: '1',
        containers: [
          {
            name: 'cert-manager-controller',
            image: '"{{ $.Values.imageRegistry }}/{{ $.Values.imageNamespace }}/cert-manager-controller:{{ $.Values.image.tag | default $.Chart.AppVersion }}"',
            ports: [{ name: 'http-metrics', port: 9402 }],
          },
        ],
      }),
      'NOTES.txt': notes(name, repository),
    },
    // In crds/, not behind `crds.enabled`: Helm installs them before anything else, which is all
    // the issuers release needs.
    crds: {
      'clusterissuers.yaml': crd('clusterissuers', 'ClusterIssuer', 'Cluster'),
      'issuers.yaml': crd('issuers', 'Issuer', 'Namespaced'),
      'certificates.yaml': crd('certificates', 'Certificate', 'Namespaced'),
    },
  };
}

export function oauth2ProxyStandIn(): ChartSource {
  const { name, version, repository } = OAUTH2_PROXY_CHART;
  const secret = (variable: string, key: string) => ({ name: variable, secret: { name: '$.Values.config.existingSecret', key: JSON.stringify(key) } });
  return {
    name,
    version,
    appVersion: MIRRORED_IMAGES.oauth2Proxy.tag,
    standsInFor: repository,
    values: {
      replicaCount: 1,
      image: { registry: 'quay.io', repository: MIRRORED_IMAGES.oauth2Proxy.repository, tag: '' },
      config: { existingSecret: '', configFile: '', cookieName: '' },
      proxyVarsAsSecrets: true,
      extraEnv: [],
      service: { type: 'ClusterIP', portNumber: 80 },
      resources: {},
      ingress: { enabled: false },
      metrics: { enabled: false },
    },
    templates: {
      'deployment.yaml': workload({
        kind: 'Deployment',
        name: '{{ $.Release.Name }}',
        replicas: '{{ $.Values.replicaCount }}',
        containers: [
          {
            name: 'oauth2-proxy',
            image: '"{{ with $.Values.image.registry }}{{ . }}/{{ end }}{{ $.Values.image.repository }}:{{ $.Values.image.tag | default $.Chart.AppVersion }}"',
            ports: [{ name: 'http', port: 4180 }],
            // The client ID and secrets come from `config.existingSecret`, as the real chart passes them.
            env: [secret('OAUTH2_PROXY_CLIENT_ID', 'client-id'), secret('OAUTH2_PROXY_CLIENT_SECRET', 'client-secret'), secret('OAUTH2_PROXY_COOKIE_SECRET', 'cookie-secret')],
            extraEnv: '$.Values.extraEnv',
            resources: '$.Values.resources',
            mounts: [
              { name: 'config', path: '/etc/oauth2_proxy', readOnly: true },
              { name: 'credentials', path: '/etc/oauth2_proxy_credentials', readOnly: true },
            ],
          },
        ],
        volumes: [
          '      volumes:',
          '        - name: config',
          '          configMap:',
          '            name: {{ $.Release.Name }}',
          '        - name: credentials',
          '          secret:',
          '            secretName: {{ required "stand-in chart: config.existingSecret must name the credentials Secret" $.Values.config.existingSecret }}',
        ].join('\n'),
      }),
      'service.yaml': service('{{ $.Release.Name }}', '{{ $.Values.service.portNumber }}', 4180, '{{ $.Release.Name }}', '{{ $.Values.service.type }}'),
      // The config file holds no secret (ours says so), so a ConfigMap, as in the real chart.
      'configmap.yaml': ['---', 'apiVersion: v1', 'kind: ConfigMap', metadata('{{ $.Release.Name }}'), 'data:', '  oauth2_proxy.cfg: {{ $.Values.config.configFile | quote }}'].join('\n') + '\n',
      'NOTES.txt': notes(name, repository),
    },
  };
}

export function externalDnsStandIn(): ChartSource {
  const { name, version, repository } = EXTERNAL_DNS_CHART;
  const account = '{{ $.Values.serviceAccount.name | default $.Release.Name }}';
  return {
    name,
    version,
    appVersion: MIRRORED_IMAGES.externalDns.tag,
    standsInFor: repository,
    values: {
      image: { repository: `${MIRRORED_IMAGES.externalDns.registry}/${MIRRORED_IMAGES.externalDns.repository}`, tag: '' },
      serviceAccount: { create: true, name: '', annotations: {} },
      podLabels: {},
      env: [],
      extraVolumes: [],
      extraVolumeMounts: [],
      provider: { name: 'aws' },
      sources: ['service', 'ingress'],
      policy: 'upsert-only',
      registry: 'txt',
      txtOwnerId: '',
      domainFilters: [],
    },
    templates: {
      'serviceaccount.yaml': [
        '{{- if $.Values.serviceAccount.create }}',
        '---',
        'apiVersion: v1',
        'kind: ServiceAccount',
        metadata(account),
        '  {{- with $.Values.serviceAccount.annotations }}',
        '  annotations:',
        '    {{- toYaml . | nindent 4 }}',
        '  {{- end }}',
        '{{- end }}',
      ].join('\n') + '\n',
      'deployment.yaml': workload({
        kind: 'Deployment',
        name: 'external-dns',
        replicas: '1',
        serviceAccountName: account,
        podLabels: '$.Values.podLabels',
        containers: [
          {
            name: 'external-dns',
            image: '"{{ $.Values.image.repository }}:{{ $.Values.image.tag | default $.Chart.AppVersion }}"',
            ports: [{ name: 'http', port: 7979 }],
            extraEnv: '$.Values.env',
            extraMounts: '$.Values.extraVolumeMounts',
          },
        ],
        volumes: ['      {{- with $.Values.extraVolumes }}', '      volumes:', '        {{- toYaml . | nindent 8 }}', '      {{- end }}'].join('\n'),
      }),
      'NOTES.txt': notes(name, repository),
    },
  };
}

/**
 * The device plugin's DaemonSet on the nodes the affinity picks, tolerating what the values say;
 * the real one mounts the kubelet's device-plugin directory, which a stand-in has no use for.
 */
export function nvidiaDevicePluginStandIn(): ChartSource {
  const { name, version, repository } = NVIDIA_DEVICE_PLUGIN_CHART;
  return {
    name,
    version,
    appVersion: version,
    standsInFor: repository,
    values: {
      image: { repository: `${MIRRORED_IMAGES.nvidiaDevicePlugin.registry}/${MIRRORED_IMAGES.nvidiaDevicePlugin.repository}`, tag: '' },
      affinity: {},
      tolerations: [],
      resources: {},
    },
    templates: {
      'daemonset.yaml': workload({
        kind: 'DaemonSet',
        name: '{{ $.Release.Name }}',
        affinity: '$.Values.affinity',
        tolerations: '$.Values.tolerations',
        containers: [
          {
            name: 'nvidia-device-plugin-ctr',
            image: '"{{ $.Values.image.repository }}:{{ $.Values.image.tag | default (printf "v%s" $.Chart.AppVersion) }}"',
            resources: '$.Values.resources',
          },
        ],
      }),
      'NOTES.txt': notes(name, repository),
    },
  };
}
