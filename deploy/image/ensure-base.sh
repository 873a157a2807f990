#!/usr/bin/env bash
# Makes the base of tokenpool's container image, where no container registry is reachable: a
# minimal Debian root file system (debootstrap --variant=minbase) with Debian's Java 17 runtime
# and what the release's scripts need, packed as a one-layer image in `docker save` form, which
# Jib takes as `tar://` base. Prints nothing else on stdout than its messages; the tar is at
# $TOKENPOOL_IMAGE_CACHE/base-<suite>-<key>.tar, with a symlink base-<suite>.tar to it.
#
# The tar is cached outside target/ (a clean build keeps it), under a key of the suite, the
# package list and the format of this script: only the first build, or a changed list, runs
# debootstrap (about 100 MB from Debian's mirror). Delete the cache to take Debian's newest
# security updates.
#
# Usage: deploy/image/ensure-base.sh [--help]
#   TOKENPOOL_IMAGE_CACHE   where the base tar is kept (default ~/.cache/tokenpool)
#   TOKENPOOL_DEBIAN_MIRROR Debian mirror for debootstrap and apt (default: the first Debian URI
#                           of this machine's apt sources)
# Needs root (debootstrap and chroot); installs debootstrap with apt where it is missing.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=../lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../lib.sh"
LOG_PREFIX=ensure-base LOG_TIMESTAMP=1
handle_help "$@"

SUITE=bookworm
# The JRE, and what bin/tokenpool and deploy/drain.sh call: bash, coreutils, flock (util-linux,
# in minbase), curl; ca-certificates for an identity provider's and the database's TLS.
PACKAGES=(openjdk-17-jre-headless curl ca-certificates)
# Raise when the tar's content or form changes for the same suite and packages.
FORMAT=2
# The image's user: a fixed uid the Kubernetes manifests name (runAsUser), no login shell.
APP_UID=10001

CACHE="${TOKENPOOL_IMAGE_CACHE:-$HOME/.cache/tokenpool}"
KEY="$(printf '%s\n' "$SUITE" "${PACKAGES[@]}" "format=$FORMAT" "uid=$APP_UID" | sha256sum | cut -c1-12)"
TAR="$CACHE/base-$SUITE-$KEY.tar"
LINK="$CACHE/base-$SUITE.tar"

if [[ -f "$TAR" ]]; then
  ln -sfn "$(basename "$TAR")" "$LINK"
  log "base image cached: $TAR"
  exit 0
fi

[[ $(id -u) -eq 0 ]] || die "debootstrap needs root (or build once as root, the tar is cached in $CACHE)"
if ! command -v debootstrap >/dev/null 2>&1; then
  log "installing debootstrap with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

# The mirror this machine's apt uses, so the base comes from the same place as its packages.
mirror="${TOKENPOOL_DEBIAN_MIRROR:-}"
if [[ -z "$mirror" ]]; then
  mirror="$({ cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null || true; } \
    | sed -n -e 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' \
      -e 's/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]\{1,\}\)\{0,1\}\([^[:space:]]*\/debian\)\/\{0,1\}[[:space:]].*/\2/p' \
    | head -n 1)"
fi
[[ -n "$mirror" ]] || die "no Debian mirror in /etc/apt/sources*; set TOKENPOOL_DEBIAN_MIRROR"

mkdir -p "$CACHE"
work="$(mktemp -d "$CACHE/.base-XXXXXX")"
root="$work/rootfs"
cleanup() {
  umount "$root/proc" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
log "debootstrap --variant=minbase $SUITE from $mirror (the first build only)"
debootstrap --variant=minbase "$SUITE" "$root" "$mirror" > "$work/debootstrap.log" 2>&1 \
  || die "debootstrap failed: $(tail -n 20 "$work/debootstrap.log")"

# The packages, with the suite's updates and security fixes (a JRE is patched there).
security="${mirror%/debian}/debian-security"
cat > "$root/etc/apt/sources.list" <<EOF
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
EOF
# ca-certificates-java runs java when it is configured, which reads /proc.
mount -t proc proc "$root/proc" 2>/dev/null || log "could not mount /proc in the chroot; trying without"
log "installing ${PACKAGES[*]} with apt in the chroot"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  bash -c "apt-get update -qq && apt-get upgrade -y -qq && apt-get install -y -qq --no-install-recommends ${PACKAGES[*]}" \
  > "$work/apt.log" 2>&1 || die "apt in the chroot failed: $(tail -n 20 "$work/apt.log")"
umount "$root/proc" 2>/dev/null || true
chroot "$root" groupadd --gid "$APP_UID" tokenpool
chroot "$root" useradd --uid "$APP_UID" --gid "$APP_UID" --no-create-home --home-dir /nonexistent \
  --shell /usr/sbin/nologin tokenpool
# The directories the image declares as volumes, the node's own (a runtime copies them into a
# fresh volume; Kubernetes mounts emptyDirs over them).
install -d -m 700 -o "$APP_UID" -g "$APP_UID" "$root/var/lib/tokenpool" \
  "$root/var/lib/tokenpool/data" "$root/var/lib/tokenpool/node"
# shellcheck disable=SC2016 # dpkg-query's own format, not the shell's
versions="$(chroot "$root" dpkg-query -W -f '${Package}=${Version}\n' "${PACKAGES[@]}" | tr '\n' ' ')"
# What the image never uses: apt's lists and caches, documentation, manual pages, locales.
rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
  "$root"/var/cache/debconf/*-old "$root"/var/log/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
  "$root"/usr/share/info/* "$root"/tmp/* "$root"/proc/*
find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
java_home="$(dirname "$(dirname "$(readlink -f "$root/usr/bin/java")")")"
java_home="${java_home#"$root"}"

# One layer in `docker save` form: manifest.json, the config, the layer (uncompressed: Jib
# compresses and caches it once). diff_ids is the layer's sha256.
image="$work/image"
mkdir -p "$image"
tar --numeric-owner --xattrs --sort=name -C "$root" -cf "$image/layer.tar" .
diff_id="sha256:$(sha256sum "$image/layer.tar" | cut -d' ' -f1)"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cat > "$image/config.json" <<EOF
{"architecture":"$(dpkg --print-architecture)","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"$created","created_by":"deploy/image/ensure-base.sh: debootstrap --variant=minbase $SUITE; $versions"}]}
EOF
printf '[{"Config":"config.json","RepoTags":["tokenpool-base:%s"],"Layers":["layer.tar"]}]\n' \
  "$SUITE" > "$image/manifest.json"
tar -C "$image" -cf "$TAR.partial" manifest.json config.json layer.tar
mv -f "$TAR.partial" "$TAR"
ln -sfn "$(basename "$TAR")" "$LINK"
# Older keys' tars are of no more use.
find "$CACHE" -maxdepth 1 -name "base-$SUITE-*.tar" ! -name "$(basename "$TAR")" -delete
log "base image made in $(( SECONDS - started )) s: $TAR ($(du -m "$TAR" | cut -f1) MB; $versions)"
