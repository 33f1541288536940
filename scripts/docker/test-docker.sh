#!/usr/bin/env bash
# make test-docker: threatkg's integration tests through testcontainers-go,
# the route users with Docker take (graph/graphtest, NEO4J_URI unset):
#   1. a Docker engine: the one that answers, else dockerd started here (and
#      stopped again at the end);
#   2. the image: THREATKG_NEO4J_IMAGE if set, else threatkg's stand-in
#      (scripts/docker/build.sh: no registry needed), built once and cached;
#   3. the tests (graph's, and cmd/threatkg's CMD_TESTS), with the two
#      settings testcontainers-go needs on a machine without a registry:
#      TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 (else it guesses the default
#      gateway) and TESTCONTAINERS_RYUK_DISABLED=true (its reaper is an
#      image; graphtest terminates its containers itself);
#   4. checks: the tests got their server from testcontainers (graphtest
#      reports it), and no container is left running.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
say() { echo "test-docker: $*" >&2; }
die() { say "$*"; exit 1; }

dockerd_pid=
log_dir=$(mktemp -d)
cleanup() {
  local code=$?
  if [[ -n $dockerd_pid ]]; then
    say "stopping the dockerd started here (pid $dockerd_pid)"
    kill "$dockerd_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
    pkill -f "containerd --config /var/run/docker/containerd/containerd.toml" 2>/dev/null || true
  fi
  rm -rf "$log_dir"
  exit "$code"
}
trap cleanup EXIT

if ! docker info >/dev/null 2>&1; then
  command -v dockerd >/dev/null || die "no Docker engine answers and dockerd is not installed (Debian: apt-get install docker.io)"
  [[ $(id -u) == 0 ]] || die "no Docker engine answers; start one (dockerd runs as root), then run make test-docker again"
  say "starting dockerd"
  dockerd >"$log_dir/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { tail -n 20 "$log_dir/dockerd.log" >&2; die "dockerd did not answer within 30 s"; }
fi

image=${THREATKG_NEO4J_IMAGE:-threatkg/neo4j-standin:5.26}
if [[ -z ${THREATKG_NEO4J_IMAGE:-} ]]; then
  scripts/docker/build.sh "$image"
fi

before=$(docker ps -aq --filter label=org.testcontainers=true | sort)
# Every integration test of graph (the client, schema, loads, resolution,
# rollups, faults, Browser), and of cmd/threatkg the end-to-end ones that
# load sources and query them: the whole of cmd/threatkg's would double the
# CI run, and it is the same client code on the same kind of server.
cmd_tests=${CMD_TESTS:-'^(TestCannedQueriesGolden|TestIndicatorsLoadAndLookUp|TestExportRoundTrip)$'}
run_tests() {
  env -u NEO4J_URI -u NEO4J_USERNAME -u NEO4J_PASSWORD -u NEO4J_DATABASE -u NEO4J_HTTP_URL \
    TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 TESTCONTAINERS_RYUK_DISABLED=true \
    THREATKG_NEO4J_IMAGE="$image" THREATKG_REQUIRE_NEO4J=1 THREATKG_REQUIRE_STIX_VALIDATOR=1 \
    ${GO:-go} test -count=1 -timeout 20m -v "$@" 2>&1 | tee -a "$log_dir/test.log"
  return "${PIPESTATUS[0]}"
}
say "go test ./graph/ and go test -run '$cmd_tests' ./cmd/threatkg/, through testcontainers ($image)"
started=$SECONDS
run_tests ./graph/ || die "the graph tests failed"
run_tests -run "$cmd_tests" ./cmd/threatkg/ || die "the cmd/threatkg tests failed"
grep -q "integration tests run against Neo4j 5\.[0-9.]* .* (testcontainers $image)" "$log_dir/test.log" ||
  die "the tests did not get their Neo4j from testcontainers ($image): no such line from TestServerIsNeo4j526"
containers=$(grep -c "^graphtest: Neo4j from testcontainers ($image)" "$log_dir/test.log" || true)
((containers == 2)) || die "$containers of the 2 packages got their Neo4j from testcontainers ($image)"
after=$(docker ps -aq --filter label=org.testcontainers=true | sort)
left=$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')
if [[ -n $left ]]; then
  docker rm -f $left >/dev/null 2>&1 || true
  die "the tests left containers behind: $(echo $left)"
fi
say "passed through testcontainers ($image) in $((SECONDS - started))s; no container left"
