#!/usr/bin/env bash
# The supported Node.js majors, each from a fresh copy of this checkout: `npm ci`, then what the
# README promises on it. Node.js itself comes from the npm registry (the `node` package ships the
# official binary), pinned below, cached in ${NODE_MATRIX_CACHE:-$HOME/.cache/opik-aks-node}.
#
#   tools/node/matrix.sh            every major below
#   tools/node/matrix.sh 24         one major
#   tools/node/matrix.sh --bin 22   install that pinned Node.js if need be, print its bin directory
#   tools/node/matrix.sh --help
#
# full: npm ci, cdktf synth, npm test (the whole suite).
# quick: npm ci, cdktf synth, and the tests that load cdktf-cli and check the Node.js range
# (a Node.js the CLI cannot load shows there first; the rest of the suite is Node-agnostic
# TypeScript that the full majors run).
set -euo pipefail

# major=exact version:depth. Move a pin by editing it here; .nvmrc names the recommended major.
PINS=(22=22.23.3:full 24=24.21.0:quick 26=26.10.0:quick)

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${NODE_MATRIX_CACHE:-$HOME/.cache/opik-aks-node}"

wanted=()
print_bin=0
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    --bin) print_bin=1 ;;
    -*) echo "matrix.sh: unknown flag $arg (see --help)" >&2; exit 2 ;;
    *) wanted+=("$arg") ;;
  esac
done

pin_of() { local p; for p in "${PINS[@]}"; do [[ "${p%%=*}" == "$1" ]] && { echo "${p#*=}"; return 0; }; done; return 1; }
for major in "${wanted[@]}"; do pin_of "$major" >/dev/null || { echo "matrix.sh: no pinned Node.js $major (pinned: ${PINS[*]%%=*})" >&2; exit 2; }; done
[[ ${#wanted[@]} -gt 0 ]] || for p in "${PINS[@]}"; do wanted+=("${p%%=*}"); done

install_node() {
  local version=$1 dir="$CACHE/node-$1"
  if [[ ! -x "$dir/node_modules/node/bin/node" || "$("$dir/node_modules/node/bin/node" --version)" != "v$version" ]]; then
    rm -rf "$dir"; mkdir -p "$dir"
    # The `node` package's tarball carries the official binary; npm 11 notes that it skipped the
    # package's preinstall, which only re-links that binary for other platforms.
    npm install --prefix "$dir" --no-audit --no-fund --no-save "node@$version" >"$dir.log" 2>&1 || { cat "$dir.log" >&2; exit 1; }
  fi
  echo "$dir/node_modules/node/bin"
}

if [[ $print_bin == 1 ]]; then
  [[ ${#wanted[@]} -eq 1 ]] || { echo "matrix.sh: --bin takes one major" >&2; exit 2; }
  pin=$(pin_of "${wanted[0]}"); install_node "${pin%%:*}"
  exit 0
fi

failed=()
for major in "${wanted[@]}"; do
  pin=$(pin_of "$major"); version=${pin%%:*}; depth=${pin#*:}
  bin=$(install_node "$version")
  work=$(mktemp -d "${TMPDIR:-/tmp}/node-matrix-$major.XXXXXX")
  # The checkout as committed plus what is not committed yet, never node_modules or build output.
  (cd "$ROOT" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$work")
  echo "--- Node.js $version ($depth) in $work"
  started=$(date +%s)
  if (
    cd "$work"
    export PATH="$bin:$PATH"
    [[ "$(node --version)" == "v$version" ]]
    npm ci --no-audit --no-fund --prefer-offline >npm-ci.log 2>&1 || { tail -20 npm-ci.log; exit 1; }
    npx cdktf synth >synth.log 2>&1 || { tail -20 synth.log; exit 1; }
    echo "node $version: npm ci, cdktf synth: $(find cdktf.out/stacks -name cdk.tf.json | wc -l) stacks"
    if [[ "$depth" == full ]]; then
      npx jest --ci 2>&1 | tail -n 5
      exit "${PIPESTATUS[0]}"
    else
      npx jest --ci __tests__/terraform-over-pipes.test.ts __tests__/check-node.test.ts __tests__/cli.test.ts 2>&1 | tail -n 5
      exit "${PIPESTATUS[0]}"
    fi
  ); then
    echo "node $version: passed in $(( $(date +%s) - started ))s"
    rm -rf "$work"
  else
    echo "node $version: FAILED after $(( $(date +%s) - started ))s (kept $work)"
    failed+=("$version")
  fi
done
[[ ${#failed[@]} -eq 0 ]] || { echo "Node.js matrix failed on: ${failed[*]}" >&2; exit 1; }
