#!/usr/bin/env bash
# Installs the offline IaC toolchain used by tests and CI:
#   - a Terraform-compatible CLI (terraform >= 1.5 on PATH, else OpenTofu built
#     from its Go module; TOOLCHAIN_CLI=tofu forces OpenTofu, =terraform forbids it)
#   - the Terraform providers listed in tools/toolchain/providers.txt, built with
#     `go` through the Go module proxy, laid out as a filesystem mirror for both
#     registry.terraform.io and registry.opentofu.org, plus a CLI config that uses
#     only that mirror (no direct installation => init works offline)
#   - Checkov (pinned) in a virtualenv
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
#   TOOLCHAIN_GO_P        go build -p (default: nproc)
#   TOOLCHAIN_GCFLAGS     extra -gcflags for provider builds; "all=-N -l" cut the cold azurerm
#                         compile on 2 cores from 768s to 608s (binary 225 MB -> 269 MB)
# Measured on 2 cores (cold cache): azurerm ~816s, helm ~174s, kubernetes ~164s, random ~15s,
# OpenTofu ~257s, Checkov ~52s; warm run < 1s. Cache ~11 GB (GOCACHE 6.8 GB, module cache 2.8 GB),
# ~13 GB once OpenTofu is built too.
# Checkov: pass --skip-download when offline (it otherwise tries to fetch guidelines online).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROVIDERS_FILE="$SCRIPT_DIR/providers.txt"
TOFU_MOD_DIR="$SCRIPT_DIR/opentofu"
CACHE="${TOOLCHAIN_CACHE_DIR:-$HOME/.cache/opik-aks-toolchain}"
ENV_FILE="$CACHE/toolchain.env"
CLI_CONFIG="$CACHE/terraform.rc"
MIRROR="$CACHE/mirror"

CHECKOV_VERSION="3.3.30"
TF_MIN_VERSION="1.5.0"
MIRROR_HOSTS=(registry.terraform.io registry.opentofu.org)
TOOLCHAIN_CLI="${TOOLCHAIN_CLI:-auto}"

log() { printf '[toolchain] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s; }

# A key over everything that defines the installed set; --print-env only
# answers for an install made with the same inputs.
config_key() {
  {
    cat "$PROVIDERS_FILE"
    cat "$TOFU_MOD_DIR/go.mod" 2>/dev/null || true
    echo "checkov=$CHECKOV_VERSION cli=$TOOLCHAIN_CLI"
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

build_tofu() {
  [[ -f "$TOFU_MOD_DIR/go.mod" ]] || die "missing $TOFU_MOD_DIR/go.mod"
  local tofu_version
  tofu_version="$(sed -n 's/^require github.com\/opentofu\/opentofu \(v[^ ]*\).*/\1/p; s/^[[:space:]]*github.com\/opentofu\/opentofu \(v[^ ]*\).*/\1/p' "$TOFU_MOD_DIR/go.mod" | head -n1)"
  [[ -n "$tofu_version" ]] || die "cannot read the OpenTofu version from $TOFU_MOD_DIR/go.mod"
  local dir="$CACHE/opentofu-${tofu_version#v}"
  local stamp="$dir/.stamp" want
  want="$(cat "$TOFU_MOD_DIR/go.mod" "$TOFU_MOD_DIR/go.sum" 2>/dev/null | sha256sum | cut -c1-16)"
  TOFU_BIN="$dir/tofu"
  if [[ -f "$stamp" && -x "$TOFU_BIN" && "$(cat "$stamp")" == "$want" ]]; then
    log "opentofu $tofu_version: cached"
    return 0
  fi
  go_env
  rm -rf "$dir"
  mkdir -p "$dir/src"
  cp "$TOFU_MOD_DIR/go.mod" "$dir/src/"
  [[ -f "$TOFU_MOD_DIR/go.sum" ]] && cp "$TOFU_MOD_DIR/go.sum" "$dir/src/"
  local t0 t1 t2
  t0=$(now)
  local blog="$dir/build.log"
  (cd "$dir/src" && go list -deps github.com/opentofu/opentofu/cmd/tofu >/dev/null) >"$blog" 2>&1 ||
    { tail -n 30 "$blog" >&2; die "opentofu $tofu_version: download failed (log: $blog)"; }
  t1=$(now)
  (
    cd "$dir/src"
    go build -p "$GO_P" -trimpath \
      -ldflags="-s -w -X github.com/opentofu/opentofu/version.dev=no" \
      -o "$TOFU_BIN.tmp" github.com/opentofu/opentofu/cmd/tofu
  ) >>"$blog" 2>&1 || { tail -n 30 "$blog" >&2; die "opentofu $tofu_version: build failed (log: $blog)"; }
  mv "$TOFU_BIN.tmp" "$TOFU_BIN"
  t2=$(now)
  rm -rf "$dir/src"
  echo "$want" >"$stamp"
  log "opentofu $tofu_version: built in $((t2 - t0))s (download $((t1 - t0))s, compile $((t2 - t1))s)"
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

# ------------------------------------------------------------------- env file
cat >"$ENV_FILE.tmp" <<EOF
# Generated by tools/toolchain/install.sh; source it.
export TOOLCHAIN_CACHE_DIR="$CACHE"
export TF_BIN="$TF_BIN"
export TERRAFORM_BINARY_NAME="$TF_BIN"
export TF_CLI_CONFIG_FILE="$CLI_CONFIG"
export TOOLCHAIN_PROVIDER_MIRROR="$MIRROR"
export CHECKOV_BIN="$CHECKOV_BIN"
export CHECKPOINT_DISABLE=1
unset TF_PLUGIN_CACHE_DIR
EOF
mv "$ENV_FILE.tmp" "$ENV_FILE"
config_key >"$CACHE/.installed"

log "done in $(($(now) - T_ALL))s; cache: $CACHE"
echo "$ENV_FILE"
