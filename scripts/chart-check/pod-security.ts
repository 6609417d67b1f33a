/**
 * The Kubernetes Pod Security Standards (https://kubernetes.io/docs/concepts/security/pod-security-standards/),
 * `baseline` and `restricted`, as checks on a pod spec. The Opik namespace enforces `baseline`
 * (a violating pod is refused by the API server) and warns on `restricted`.
 */
import { containersOf, ref, type PodSpecAt } from './manifests';

export interface PodSecurityFinding {
  readonly level: 'baseline' | 'restricted';
  readonly where: string;
  readonly rule: string;
}

/** Capabilities `baseline` allows a container to add. */
const BASELINE_CAPABILITIES = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);
/** Volume types `restricted` allows. */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret', 'name']);
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

export function podSecurityFindings(pod: PodSpecAt): PodSecurityFinding[] {
  const findings: PodSecurityFinding[] = [];
  const owner = ref(pod.owner);
  const spec = pod.spec;
  const podCtx = spec.securityContext ?? {};
  const add = (level: PodSecurityFinding['level'], where: string, rule: string) => findings.push({ level, where, rule });

  // --- baseline ---
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) if (spec[field] === true) add('baseline', owner, `${field}: true (host namespaces)`);
  for (const v of spec.volumes ?? []) if (v.hostPath) add('baseline', owner, `volume ${v.name} is a hostPath`);
  for (const s of podCtx.sysctls ?? []) if (!SAFE_SYSCTLS.has(s.name)) add('baseline', owner, `unsafe sysctl ${s.name}`);
  if (podCtx.seccompProfile?.type === 'Unconfined') add('baseline', owner, 'seccompProfile Unconfined');
  if (!SELINUX_TYPES.has(podCtx.seLinuxOptions?.type ?? '')) add('baseline', owner, `SELinux type ${podCtx.seLinuxOptions.type}`);
  if (podCtx.appArmorProfile?.type === 'Unconfined') add('baseline', owner, 'AppArmor Unconfined');
  if (spec.securityContext?.windowsOptions?.hostProcess) add('baseline', owner, 'Windows hostProcess');

  // --- restricted, pod level ---
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type && !RESTRICTED_VOLUMES.has(type)) add('restricted', owner, `volume ${v.name} of type ${type}`);
  }
  if (podCtx.runAsUser === 0) add('restricted', owner, 'pod runAsUser 0');

  for (const c of containersOf(pod)) {
    const ctx = c.container.securityContext ?? {};
    const where = `${owner} ${c.kind === 'container' ? 'container' : c.kind} ${c.container.name}`;
    if (ctx.privileged === true) add('baseline', where, 'privileged: true');
    for (const cap of ctx.capabilities?.add ?? []) if (!BASELINE_CAPABILITIES.has(String(cap).replace(/^CAP_/, ''))) add('baseline', where, `adds capability ${cap}`);
    for (const p of c.container.ports ?? []) if (p.hostPort) add('baseline', where, `hostPort ${p.hostPort}`);
    if (ctx.procMount && ctx.procMount !== 'Default') add('baseline', where, `procMount ${ctx.procMount}`);
    if (ctx.seccompProfile?.type === 'Unconfined') add('baseline', where, 'seccompProfile Unconfined');
    if (!SELINUX_TYPES.has(ctx.seLinuxOptions?.type ?? '')) add('baseline', where, `SELinux type ${ctx.seLinuxOptions.type}`);
    if (ctx.appArmorProfile?.type === 'Unconfined') add('baseline', where, 'AppArmor Unconfined');

    if (ctx.allowPrivilegeEscalation !== false) add('restricted', where, 'allowPrivilegeEscalation is not false');
    if ((ctx.runAsNonRoot ?? podCtx.runAsNonRoot) !== true) add('restricted', where, 'runAsNonRoot is not true');
    if (ctx.runAsUser === 0) add('restricted', where, 'runAsUser 0');
    const seccomp = ctx.seccompProfile?.type ?? podCtx.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') add('restricted', where, 'seccompProfile is not RuntimeDefault or Localhost');
    const drop: string[] = ctx.capabilities?.drop ?? [];
    if (!drop.includes('ALL')) add('restricted', where, 'capabilities do not drop ALL');
    for (const cap of ctx.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') add('restricted', where, `adds capability ${cap}`);
  }
  return findings;
}
