#!/usr/bin/env bash
# Builds threatkg's stand-in Neo4j image (scripts/docker/Dockerfile) without
# any image registry:
#   1. the base image, once: a Debian root file system with Java 17, made by
#      debootstrap from the Debian mirror apt uses, imported as
#      threatkg/debian-java17:bookworm (about 45 s, 490 MB);
#   2. the stand-in, FROM the base, with the Neo4j jars 'make neo4j'
#      resolved from Maven Central and the entrypoint (a few seconds). It
#      is labelled with a digest of what went in, and rebuilt only when the
#      jars, the entrypoint or the Dockerfile change.
#
#   scripts/docker/build.sh [IMAGE]     (default threatkg/neo4j-standin:5.26)
#
# Settings (environment):
#   NEO4J_LOCAL_LIB   the jars (default: .neo4j/lib, as 'make neo4j' leaves them)
#   DEBIAN_MIRROR     the mirror debootstrap uses (default: the first URIs of
#                     /etc/apt/sources.list.d/debian.sources, else deb.debian.org)
# Needs: docker (an engine that answers), and for step 1 debootstrap, as root.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
image=${1:-threatkg/neo4j-standin:5.26}
base=threatkg/debian-java17:bookworm
lib=${NEO4J_LOCAL_LIB:-$repo/.neo4j/lib}
here=$repo/scripts/docker
say() { echo "docker-standin: $*" >&2; }
die() { say "$*"; exit 1; }

docker info >/dev/null 2>&1 || die "no Docker engine answers (start dockerd, or run 'make test-docker', which does)"
compgen -G "$lib/neo4j-*.jar" >/dev/null || die "no Neo4j jars in $lib: run 'make neo4j' (or 'make test-neo4j') first"

if ! docker image inspect "$base" >/dev/null 2>&1; then
  command -v debootstrap >/dev/null || die "debootstrap is not installed (Debian: apt-get install debootstrap)"
  mirror=${DEBIAN_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
  mirror=${mirror:-http://deb.debian.org/debian}
  rootfs=$(mktemp -d)
  trap 'rm -rf "$rootfs"' EXIT
  say "building the base image $base with debootstrap from $mirror (once)"
  started=$SECONDS
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,procps bookworm "$rootfs" "$mirror" >/dev/null ||
    die "debootstrap failed"
  tar -C "$rootfs" -c . | docker import - "$base" >/dev/null
  rm -rf "$rootfs"
  say "base image ready in $((SECONDS - started))s"
fi

# What the stand-in is made of: the jars (the Browser jar holds threatkg's
# assets, which change with the model), the entrypoint and the Dockerfile.
digest=$( (cd "$lib" && sha256sum -- *.jar; sha256sum "$here/entrypoint.sh" "$here/Dockerfile" | cut -c1-64) | sha256sum | cut -c1-16)
if [[ $(docker image inspect -f '{{index .Config.Labels "threatkg.digest"}}' "$image" 2>/dev/null || true) == "$digest" ]]; then
  say "$image is current (digest $digest)"
  exit 0
fi
ctx=$(mktemp -d)
trap 'rm -rf "$ctx" ${rootfs:+"$rootfs"}' EXIT
mkdir "$ctx/lib"
cp "$lib"/*.jar "$ctx/lib/"
cp "$here/entrypoint.sh" "$here/Dockerfile" "$ctx/"
started=$SECONDS
docker build -q --build-arg BASE="$base" --label threatkg.digest="$digest" -t "$image" "$ctx" >"$ctx/build.log" 2>&1 ||
  { cat "$ctx/build.log" >&2; die "docker build failed"; }
say "built $image (digest $digest) in $((SECONDS - started))s"
