#!/usr/bin/env bash
# Runs a local Neo4j Community server without Docker: the server's jars come
# from Maven Central (scripts/neo4j/pom.xml), Java 17 or 21 runs them.
#
#   scripts/neo4j-local.sh start    resolve jars, configure, start, wait for Bolt (idempotent)
#   scripts/neo4j-local.sh stop     stop the server (data is kept)
#   scripts/neo4j-local.sh status   exit 0 when running, 1 when not
#   scripts/neo4j-local.sh logs     show the server's log (TAIL=n for the last n lines)
#   scripts/neo4j-local.sh env      print the export lines for this server
#   scripts/neo4j-local.sh import DIR
#                                   stop the server, replace its neo4j database with the
#                                   CSV files in DIR (neo4j-admin database import full
#                                   @DIR/import.args, as `threatkg load --bulk` writes them),
#                                   start it again
#
# Settings (environment):
#   NEO4J_LOCAL_HOME   server home (default: .neo4j in the repository)
#   NEO4J_LOCAL_LIB    where the jars go (default: .neo4j/lib; shared by every home)
#   NEO4J_BOLT_PORT    Bolt port (default 7687)      NEO4J_HTTP_PORT  HTTP port (default 7474)
#   NEO4J_HEAP         JVM heap (default 2g)         NEO4J_PAGECACHE  page cache (default 2g)
#   NEO4J_START_TIMEOUT seconds to wait for Bolt (default 180)
#   JAVA               the java binary (default: $JAVA_HOME/bin/java, else java on PATH)
#   THREATKG_BIN       threatkg binary that makes the Browser style and tour (default: bin/threatkg)
#   NEO4J_BOLT_TLS     1: Bolt also accepts TLS, with a self-signed certificate made
#                      here (connect with neo4j+ssc:// or bolt+ssc://)
#   NEO4J_LOCAL_DOCKER 1: run the server as a Docker container instead (start, stop,
#                      status, logs, env): the image THREATKG_NEO4J_IMAGE (default
#                      neo4j:5.26-community), the same ports, password file, data
#                      folder and env file
# See docs/neo4j-local.md for what each step does and why.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
home=${NEO4J_LOCAL_HOME:-$repo/.neo4j}
lib=${NEO4J_LOCAL_LIB:-$repo/.neo4j/lib}
bolt_port=${NEO4J_BOLT_PORT:-7687}
http_port=${NEO4J_HTTP_PORT:-7474}
heap=${NEO4J_HEAP:-2g}
pagecache=${NEO4J_PAGECACHE:-2g}
start_timeout=${NEO4J_START_TIMEOUT:-180}
pom=$repo/scripts/neo4j/pom.xml
if [[ -n "${JAVA:-}" ]]; then java_bin=$JAVA
elif [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then java_bin=$JAVA_HOME/bin/java
else java_bin=java; fi

say() { printf 'neo4j-local: %s\n' "$*" >&2; }
die() { printf 'neo4j-local: error: %s\n' "$*" >&2; exit 1; }

pid_file=$home/run/threatkg-neo4j.pid

running_pid() {
  [[ -f $pid_file ]] || return 1
  local pid
  pid=$(<"$pid_file")
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: it must be our JVM, started for this home.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--home-dir=$home " || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

check_java() {
  command -v "$java_bin" >/dev/null 2>&1 || die "java not found; install Java 17 (Debian: apt-get install openjdk-17-jre-headless) or set JAVA"
  local v major
  v=$("$java_bin" -version 2>&1 | head -n1)
  major=$(sed -E 's/.*version "([0-9]+).*/\1/' <<<"$v")
  [[ $major == 17 || $major == 21 ]] || die "Neo4j 5.26 runs on Java 17 or 21, but $java_bin is: $v; set JAVA or JAVA_HOME to a Java 17 or 21"
}

resolve_jars() {
  local version marker
  version=$(sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$pom")
  marker=$lib/.complete-$(sha256sum "$pom" | cut -c1-16)
  if [[ -f $marker ]]; then return 0; fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found; install Maven (Debian: apt-get install maven) to fetch Neo4j $version from Maven Central"
  say "resolving Neo4j $version and Neo4j Browser from Maven Central into $lib (first time only)"
  local tmp=$lib.partial
  rm -rf "$tmp"
  # Maven 3.8 prints colour codes even with -q; strip them.
  mvn -B -q -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp" 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' >&2 \
    || die "mvn could not resolve the Neo4j jars (see above); check access to Maven Central"
  rm -rf "$lib"
  mv "$tmp" "$lib"
  touch "$marker"
  say "resolved $(find "$lib" -name '*.jar' | wc -l) jars, $(du -sh "$lib" | cut -f1)"
}

# install_browser_assets packs threatkg's Browser stylesheet and guide (made
# by `threatkg browser assets`) into the Neo4j Browser jar, so that the
# server serves them at /browser/threatkg/ on its own origin. The jar is
# rewritten through a temporary file and a rename: a server already running
# from the same lib/ keeps reading the file it opened.
browser_assets=0
install_browser_assets() {
  local bin=${THREATKG_BIN:-$repo/bin/threatkg} jar pristine assets sum
  jar=$(ls "$lib"/neo4j-browser-*.jar 2>/dev/null | head -n1 || true)
  [[ -n $jar ]] || return 0
  if [[ ! -x $bin ]]; then
    say "no $bin: threatkg's Browser style and tour are not installed (run 'make build' first)"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || { say "no python3: threatkg's Browser style and tour are not installed"; return 0; }
  assets=$home/browser-assets
  rm -rf "$assets"
  "$bin" browser assets --dir "$assets" || die "threatkg browser assets failed"
  sum=$(cat "$assets"/browser/threatkg/* | sha256sum | cut -c1-16)
  browser_assets=1
  [[ -f $lib/.browser-assets-$sum ]] && return 0
  pristine=$lib/.$(basename "$jar").orig
  [[ -f $pristine ]] || cp "$jar" "$pristine"
  python3 - "$pristine" "$jar" "$assets" <<'PY' || die "could not add threatkg's assets to $jar"
import os, sys, zipfile
pristine, jar, assets = sys.argv[1:]
tmp = jar + ".tmp"
with zipfile.ZipFile(pristine) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        if not item.filename.startswith("browser/threatkg/"):
            zout.writestr(item, zin.read(item.filename))
    for root, _, files in os.walk(os.path.join(assets, "browser", "threatkg")):
        for f in sorted(files):
            path = os.path.join(root, f)
            zout.write(path, os.path.relpath(path, assets))
os.replace(tmp, jar)
PY
  rm -f "$lib"/.browser-assets-*
  touch "$lib/.browser-assets-$sum"
}

write_conf() {
  mkdir -p "$home/conf" "$home/data" "$home/logs" "$home/run" "$home/import"
  # Written on every start, so a changed port or memory setting takes effect.
  # Strict validation is on by default: only Neo4j 5 setting names are allowed.
  cat >"$home/conf/neo4j.conf" <<EOF
# Written by scripts/neo4j-local.sh; edits are overwritten at the next start.
server.default_listen_address=127.0.0.1
server.bolt.listen_address=:$bolt_port
server.bolt.advertised_address=localhost:$bolt_port
server.http.listen_address=:$http_port
server.http.advertised_address=localhost:$http_port
server.https.enabled=false
server.directories.data=data
server.directories.logs=logs
server.directories.run=run
server.directories.import=import
server.memory.heap.initial_size=$heap
server.memory.heap.max_size=$heap
server.memory.pagecache.size=$pagecache
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
db.tx_log.rotation.retention_policy=100M size
EOF
  if [[ ${NEO4J_BOLT_TLS:-0} == 1 ]]; then
    local certs=$home/certificates/bolt
    if [[ ! -f $certs/public.crt ]]; then
      command -v openssl >/dev/null 2>&1 || die "NEO4J_BOLT_TLS=1 needs openssl to make a certificate"
      mkdir -p "$certs/trusted" "$certs/revoked"
      openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=localhost" \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$certs/private.key" -out "$certs/public.crt" >/dev/null 2>&1 || die "openssl could not make a certificate"
      chmod 600 "$certs/private.key"
    fi
    cat >>"$home/conf/neo4j.conf" <<EOF
# Bolt accepts TLS (self-signed certificate: use neo4j+ssc:// or bolt+ssc://) and plain connections.
dbms.ssl.policy.bolt.enabled=true
dbms.ssl.policy.bolt.base_directory=certificates/bolt
dbms.ssl.policy.bolt.private_key=private.key
dbms.ssl.policy.bolt.public_certificate=public.crt
dbms.ssl.policy.bolt.client_auth=NONE
server.bolt.tls_level=OPTIONAL
EOF
  fi
  if ((browser_assets)); then
    cat >>"$home/conf/neo4j.conf" <<EOF
# threatkg's style, applied when Browser connects; its tour is at
# :guide http://localhost:$http_port/browser/threatkg/guide.html
browser.post_connect_cmd=style http://localhost:$http_port/browser/threatkg/threatkg.grass
browser.remote_content_hostname_whitelist=localhost,guides.neo4j.com
EOF
  fi
}

ensure_password() {
  local pw_file=$home/password
  if [[ ! -s $pw_file ]]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 >"$pw_file")
  fi
  chmod 600 "$pw_file"
  # set-initial-password writes data/dbms/auth.ini, which the server reads
  # only at its first start, when it creates the system database.
  if [[ ! -d $home/data/databases/system ]]; then
    NEO4J_HOME=$home NEO4J_CONF=$home/conf "$java_bin" -cp "$lib/*" org.neo4j.cli.AdminTool \
      dbms set-initial-password "$(<"$pw_file")" >/dev/null \
      || die "could not set the initial password (neo4j-admin dbms set-initial-password failed)"
    chmod 600 "$home/data/dbms/auth.ini" 2>/dev/null || true
  fi
}

write_env() {
  local pw
  pw=$(<"$home/password")
  (umask 077; cat >"$home/env" <<EOF
export NEO4J_URI=neo4j://localhost:$bolt_port
export NEO4J_USERNAME=neo4j
export NEO4J_PASSWORD=$pw
export NEO4J_DATABASE=neo4j
export NEO4J_HTTP_URL=http://localhost:$http_port
EOF
  )
}

start() {
  local pid
  if pid=$(running_pid); then
    if port_open "$bolt_port"; then
      say "already running (pid $pid, bolt://localhost:$bolt_port); reusing it"
      write_env
      cat "$home/env"
      return 0
    fi
    say "pid $pid is starting; waiting for it"
  else
    check_java
    for p in "$bolt_port" "$http_port"; do
      port_open "$p" && die "port $p is already in use by another process; stop it, or set NEO4J_BOLT_PORT / NEO4J_HTTP_PORT"
    done
    resolve_jars
    install_browser_assets
    write_conf
    ensure_password
    local started_at=$SECONDS
    # The JVM flags are Neo4j 5's defaults for server.jvm.additional; the
    # launcher script (absent here) would add them from neo4j.conf.
    nohup "$java_bin" -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC \
      --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
      --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
      -Dio.netty.tryReflectionSetAccessible=true -Djdk.nio.maxCachedBufferSize=1024 \
      -Dfile.encoding=UTF-8 -XX:+ExitOnOutOfMemoryError \
      -cp "$lib/*" org.neo4j.server.CommunityEntryPoint \
      --home-dir="$home" --config-dir="$home/conf" --console-mode \
      >>"$home/logs/console.log" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pid_file"
    say "starting Neo4j (pid $pid, home $home)"
  fi
  local deadline=$((SECONDS + start_timeout))
  until port_open "$bolt_port" && curl -sf -o /dev/null "http://127.0.0.1:$http_port/"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pid_file"
      say "the server exited during start-up; last lines of $home/logs/console.log:"
      tail -n 30 "$home/logs/console.log" >&2
      die "Neo4j did not start (see the log above)"
    fi
    if ((SECONDS >= deadline)); then
      say "Bolt did not answer on port $bolt_port within ${start_timeout}s; last lines of $home/logs/console.log:"
      tail -n 30 "$home/logs/console.log" >&2
      die "Neo4j did not start in time; it may still be starting (make neo4j-logs), or raise NEO4J_START_TIMEOUT"
    fi
    sleep 0.5
  done
  [[ -n ${started_at:-} ]] && say "ready in $((SECONDS - started_at))s: bolt://localhost:$bolt_port, Browser http://localhost:$http_port/browser/"
  write_env
  cat "$home/env"
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$pid_file"
    say "not running"
    return 0
  fi
  kill -TERM "$pid"
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      say "still running after 60s; killing pid $pid"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.3
  done
  rm -f "$pid_file"
  say "stopped (pid $pid); data kept in $home/data"
}

# import_csv replaces the neo4j database with the files in $1 through the
# offline importer, which needs the server stopped (Community cannot stop a
# single database). The server is started again whatever the import did.
import_csv() {
  local dir=${1:-} rc=0
  [[ -n $dir && -f $dir/import.args ]] || die "usage: scripts/neo4j-local.sh import DIR, where DIR holds import.args (threatkg load --bulk writes it)"
  check_java
  resolve_jars
  [[ -f $home/conf/neo4j.conf ]] || write_conf
  stop
  say "importing $dir into the neo4j database (neo4j-admin database import full)"
  (cd "$dir" && NEO4J_HOME=$home NEO4J_CONF=$home/conf "$java_bin" -cp "$lib/*" org.neo4j.cli.AdminTool \
    database import full neo4j @import.args) >"$dir/import.log" 2>&1 || rc=$?
  if ((rc != 0)); then
    tail -n 20 "$dir/import.log" >&2
    # The importer leaves a half-written store, which the server cannot
    # open; without it, the server creates the database again, empty (the
    # import is only for an empty database).
    rm -rf "$home/data/databases/neo4j" "$home/data/transactions/neo4j"
    say "the import failed (exit $rc; the whole log is $dir/import.log); the neo4j database is empty again; starting the server"
  fi
  start >/dev/null
  ((rc == 0)) || exit 3
  grep -E '^(IMPORT DONE|  [0-9]+ (nodes|relationships|properties)|Peak memory)' "$dir/import.log" | sed 's/^ *//' | sed 's/^/neo4j-local: /' >&2 || true
}

# The Docker route (NEO4J_LOCAL_DOCKER=1): the official image, or any image
# with its contract (threatkg's stand-in, scripts/docker), published on
# 127.0.0.1 with the same ports, password file, data folder and env file.
image=${THREATKG_NEO4J_IMAGE:-neo4j:5.26-community}
container=threatkg-neo4j-$bolt_port
docker_running() { [[ $(docker inspect -f '{{.State.Running}}' "$container" 2>/dev/null) == true ]]; }
docker_start() {
  command -v docker >/dev/null && docker info >/dev/null 2>&1 || die "NEO4J_LOCAL_DOCKER=1, but no Docker engine answers; start Docker, or unset NEO4J_LOCAL_DOCKER for the Maven route"
  mkdir -p "$home/data"
  if docker_running; then
    say "already running (container $container, bolt://localhost:$bolt_port); reusing it"
  else
    for p in "$bolt_port" "$http_port"; do
      port_open "$p" && die "port $p is already in use by another process; stop it, or set NEO4J_BOLT_PORT / NEO4J_HTTP_PORT"
    done
    if ! docker image inspect "$image" >/dev/null 2>&1 && ! docker pull -q "$image" >/dev/null 2>&1; then
      die "cannot pull $image (no registry reachable?); build threatkg's stand-in with scripts/docker/build.sh and set THREATKG_NEO4J_IMAGE=threatkg/neo4j-standin:5.26, or use the Maven route (unset NEO4J_LOCAL_DOCKER)"
    fi
    local pw_file=$home/password
    [[ -s $pw_file ]] || (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 >"$pw_file")
    docker rm -f "$container" >/dev/null 2>&1 || true
    local started_at=$SECONDS
    docker run -d --name "$container" -p "127.0.0.1:$bolt_port:7687" -p "127.0.0.1:$http_port:7474" \
      -e NEO4J_AUTH="neo4j/$(<"$pw_file")" -e NEO4J_server_memory_heap_max__size="$heap" \
      -e NEO4J_server_memory_heap_initial__size="$heap" -e NEO4J_server_memory_pagecache_size="$pagecache" \
      -e NEO4J_server_bolt_advertised__address="localhost:$bolt_port" -e NEO4J_server_http_advertised__address="localhost:$http_port" \
      -v "$home/data:/data" "$image" >/dev/null || die "docker run $image failed"
    say "starting Neo4j in container $container ($image)"
    local deadline=$((SECONDS + start_timeout))
    until port_open "$bolt_port" && curl -sf -o /dev/null "http://127.0.0.1:$http_port/"; do
      docker_running || { docker logs --tail 30 "$container" >&2; die "the container exited during start-up (its log is above)"; }
      ((SECONDS < deadline)) || die "Bolt did not answer on port $bolt_port within ${start_timeout}s (docker logs $container)"
      sleep 0.5
    done
    say "ready in $((SECONDS - started_at))s: bolt://localhost:$bolt_port, Browser http://localhost:$http_port/browser/"
  fi
  write_env
  cat "$home/env"
}
if [[ ${NEO4J_LOCAL_DOCKER:-} == 1 ]]; then
  case "${1:-}" in
    start) docker_start ;;
    stop) docker rm -f "$container" >/dev/null 2>&1 && say "stopped container $container; data kept in $home/data" || say "not running" ;;
    status) if docker_running; then echo "running (container $container, bolt://localhost:$bolt_port)"; else echo "not running"; exit 1; fi ;;
    logs) if [[ -n ${TAIL:-} ]]; then docker logs --tail "$TAIL" "$container"; else docker logs "$container"; fi ;;
    env) [[ -f $home/env ]] || die "no $home/env yet; start the server with: NEO4J_LOCAL_DOCKER=1 make neo4j"; cat "$home/env" ;;
    *) die "NEO4J_LOCAL_DOCKER=1 supports start, stop, status, logs and env" ;;
  esac
  exit 0
fi

case "${1:-}" in
  start) start ;;
  import) import_csv "${2:-}" ;;
  stop) stop ;;
  status)
    if pid=$(running_pid); then echo "running (pid $pid, bolt://localhost:$bolt_port)"; else echo "not running"; exit 1; fi ;;
  logs)
    [[ -f $home/logs/console.log ]] || die "no log yet at $home/logs/console.log; start the server with: make neo4j"
    if [[ -n ${TAIL:-} ]]; then tail -n "$TAIL" "$home/logs/console.log"; else cat "$home/logs/console.log"; fi ;;
  env)
    [[ -f $home/env ]] || die "no $home/env yet; start the server with: make neo4j"
    cat "$home/env" ;;
  *)
    sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2 ;;
esac
