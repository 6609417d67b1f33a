/**
 * Building blocks of the rehearsal's stand-in charts: Helm template text generated from TypeScript
 * (our own code; no third-party chart text). Templates always reach values through `$` (the root),
 * so the same blocks work inside `range` and `with`.
 *
 * Indentation is fixed, not computed: every workload puts its containers at column 8 and its
 * volumes at column 8 (Deployment and StatefulSet nest the pod spec equally deep), so the
 * `nindent` numbers below are correct wherever a block is used.
 */

/** What every stand-in's Chart.yaml description starts with, so no output can pass for the real chart. */
export const STAND_IN_DESCRIPTION = 'REHEARSAL STAND-IN (not the real chart)';

/** One stand-in chart, before it is written to disk. */
export interface ChartSource {
  readonly name: string;
  readonly version: string;
  readonly appVersion?: string;
  /** Repository URL of the real chart. */
  readonly standsInFor: string;
  /** values.yaml, as an object. */
  readonly values: Record<string, unknown>;
  /** templates/<file> → text. */
  readonly templates: Readonly<Record<string, string>>;
  /** crds/<file> → text: Helm installs these before the templates, as real charts' CRDs. */
  readonly crds?: Readonly<Record<string, string>>;
}

/** The labels a workload selects its pods by; the name is unique per workload, so selectors never overlap. */
const selectorLabels = (name: string, pad: string) => `${pad}app.kubernetes.io/name: ${name}\n${pad}app.kubernetes.io/instance: {{ $.Release.Name }}`;

/** Object metadata: namespaced objects go to the release namespace, and every one says it is a stand-in. */
export function metadata(name: string, namespaced = true): string {
  return [
    'metadata:',
    `  name: ${name}`,
    ...(namespaced ? ['  namespace: {{ $.Release.Namespace }}'] : []),
    '  labels:',
    selectorLabels(name, '    '),
    '    app.kubernetes.io/managed-by: {{ $.Release.Service }}',
    '    rehearsal/stand-in: "true"',
  ].join('\n');
}

export interface EnvVar {
  readonly name: string;
  /** A template expression (without braces) for a literal value. */
  readonly value?: string;
  /** Template expressions (without braces) for a secretKeyRef. */
  readonly secret?: { readonly name: string; readonly key: string };
}

export interface ContainerSpec {
  readonly name: string;
  /** Template text of the image reference. */
  readonly image: string;
  /** @default sleep infinity: kwok never runs a container, and a real node would just idle. */
  readonly command?: readonly string[];
  readonly ports?: readonly { readonly name: string; readonly port: number | string }[];
  readonly env?: readonly EnvVar[];
  /** Values expression of an env list appended as is (oauth2-proxy's `extraEnv`, external-dns's `env`). */
  readonly extraEnv?: string;
  /** Values expression of an envFrom list. */
  readonly envFrom?: string;
  /** Values expression of a resources map. */
  readonly resources?: string;
  readonly mounts?: readonly { readonly name: string; readonly path: string; readonly readOnly?: boolean }[];
  /** Values expression of extra volumeMounts. */
  readonly extraMounts?: string;
  /** Raw `securityContext:` block at column 10; @default RESTRICTED_CONTAINER. */
  readonly securityContext?: string;
  /** Template condition (without braces): the container is rendered only when it holds. */
  readonly when?: string;
}

/**
 * Meets Pod Security `restricted` (and so `baseline`, which the Opik namespace enforces;
 * external-dns's namespace enforces `restricted`): a stand-in must never be the pod admission refuses.
 */
export const RESTRICTED_CONTAINER = ['          securityContext:', '            allowPrivilegeEscalation: false', '            capabilities:', '              drop: ["ALL"]'].join('\n');
const RESTRICTED_POD = [
  '      securityContext:',
  '        runAsNonRoot: true',
  '        runAsUser: 65532',
  '        runAsGroup: 65532',
  '        seccompProfile:',
  '          type: RuntimeDefault',
].join('\n');

const withList = (expr: string, key: string, column: number) =>
  [`${' '.repeat(column)}{{- with ${expr} }}`, `${' '.repeat(column)}${key}:`, `${' '.repeat(column + 2)}{{- toYaml . | nindent ${column + 2} }}`, `${' '.repeat(column)}{{- end }}`];

function envItem(e: EnvVar): string[] {
  const head = `            - name: ${e.name}`;
  if (e.secret) return [head, '              valueFrom:', '                secretKeyRef:', `                  name: {{ ${e.secret.name} }}`, `                  key: {{ ${e.secret.key} }}`];
  return [head, `              value: {{ ${e.value} | toString | quote }}`];
}

/** One list item of `containers` / `initContainers`, at column 8. */
export function container(c: ContainerSpec): string {
  const lines = [`        - name: ${c.name}`, `          image: ${c.image}`, `          command: ${JSON.stringify(c.command ?? ['sleep', 'infinity'])}`, c.securityContext ?? RESTRICTED_CONTAINER];
  if (c.ports?.length) lines.push('          ports:', ...c.ports.flatMap((p) => [`            - name: ${p.name}`, `              containerPort: ${p.port}`]));
  if (c.env?.length) {
    lines.push('          env:', ...c.env.flatMap(envItem));
    if (c.extraEnv) lines.push(`            {{- with ${c.extraEnv} }}`, '            {{- toYaml . | nindent 12 }}', '            {{- end }}');
  } else if (c.extraEnv) lines.push(...withList(c.extraEnv, 'env', 10));
  if (c.envFrom) lines.push(...withList(c.envFrom, 'envFrom', 10));
  if (c.resources) lines.push(...withList(c.resources, 'resources', 10));
  if (c.mounts?.length) {
    lines.push('          volumeMounts:', ...c.mounts.flatMap((m) => [`            - name: ${m.name}`, `              mountPath: ${m.path}`, ...(m.readOnly ? ['              readOnly: true'] : [])]));
    if (c.extraMounts) lines.push(`            {{- with ${c.extraMounts} }}`, '            {{- toYaml . | nindent 12 }}', '            {{- end }}');
  } else if (c.extraMounts) lines.push(...withList(c.extraMounts, 'volumeMounts', 10));
  return (c.when ? [`        {{- if ${c.when} }}`, ...lines, '        {{- end }}'] : lines).join('\n');
}

export interface WorkloadSpec {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  readonly name: string;
  /** Template text of the replica count; a DaemonSet has none (one pod per matching node). */
  readonly replicas?: string;
  readonly initContainers?: readonly ContainerSpec[];
  readonly containers: readonly ContainerSpec[];
  /** Raw `volumes:` block (key included, may be conditional), pod spec level (column 6). */
  readonly volumes?: string;
  /** Raw `volumeClaimTemplates:` block (StatefulSet spec level, column 2). */
  readonly claimTemplates?: string;
  readonly serviceAccountName?: string;
  /** Values expression of extra pod labels. */
  readonly podLabels?: string;
  /** Values expressions of the pod's affinity and tolerations, rendered as the values give them. */
  readonly affinity?: string;
  readonly tolerations?: string;
}

/** A Deployment, StatefulSet or DaemonSet whose pods kwok marks Ready, so `helm --wait` finishes as on a real cluster. */
export function workload(w: WorkloadSpec): string {
  const lines = [
    '---',
    'apiVersion: apps/v1',
    `kind: ${w.kind}`,
    metadata(w.name),
    'spec:',
    ...(w.replicas !== undefined ? [`  replicas: ${w.replicas}`] : []),
    // A StatefulSet names its pods' DNS through a governing Service; the name is enough for the API.
    ...(w.kind === 'StatefulSet' ? [`  serviceName: ${w.name}`] : []),
    // One disk, one writer: a Deployment on a ReadWriteOnce claim must stop the old pod first.
    ...(w.kind === 'Deployment' && w.volumes?.includes('persistentVolumeClaim') ? ['  strategy:', '    type: Recreate'] : []),
    '  selector:',
    '    matchLabels:',
    selectorLabels(w.name, '      '),
    '  template:',
    '    metadata:',
    '      labels:',
    selectorLabels(w.name, '        '),
    ...(w.podLabels ? [`        {{- with ${w.podLabels} }}`, '        {{- toYaml . | nindent 8 }}', '        {{- end }}'] : []),
    '    spec:',
    ...(w.serviceAccountName ? [`      serviceAccountName: ${w.serviceAccountName}`] : []),
    ...(w.affinity ? withList(w.affinity, 'affinity', 6) : []),
    ...(w.tolerations ? withList(w.tolerations, 'tolerations', 6) : []),
    RESTRICTED_POD,
    ...(w.initContainers?.length ? ['      initContainers:', ...w.initContainers.map(container)] : []),
    '      containers:',
    ...w.containers.map(container),
    ...(w.volumes ? [w.volumes] : []),
    ...(w.claimTemplates ? [w.claimTemplates] : []),
  ];
  return lines.join('\n') + '\n';
}

/** A ClusterIP Service in front of one workload's pods. */
export function service(name: string, port: string | number, targetPort: string | number, selects = name, type = 'ClusterIP'): string {
  return ['---', 'apiVersion: v1', 'kind: Service', metadata(name), 'spec:', `  type: ${type}`, '  selector:', selectorLabels(selects, '    '), '  ports:', '    - name: tcp', `      port: ${port}`, `      targetPort: ${targetPort}`].join('\n') + '\n';
}

/** `registry/repository:tag` from an image map with those keys, as the Bitnami-style charts build it. */
export const imageOf = (expr: string) => `"{{ ${expr}.registry }}/{{ ${expr}.repository }}:{{ ${expr}.tag }}"`;

/** Fails the render with a message that names the stand-in, when a value our stack must set is missing. */
export const required = (expr: string, why: string) => `required ${JSON.stringify(`stand-in chart: ${why}`)} ${expr}`;

/** Shown by `helm install` and stored with the release: what was installed is not the real chart. */
export const notes = (name: string, repository: string) =>
  `${STAND_IN_DESCRIPTION}: {{ .Chart.Name }} {{ .Chart.Version }} stands in for "${name}" from ${repository}.\n` +
  'It was generated by tools/rehearsal/stand-in-charts.ts for `npm run rehearse`; its containers only sleep.\n';
