#!/bin/bash
# The entrypoint of threatkg's stand-in for the official Neo4j image
# (scripts/docker/Dockerfile). It honours the part of the official image's
# contract that testcontainers-go's neo4j module and threatkg rely on:
#   NEO4J_AUTH        none, or neo4j/PASSWORD (the initial password)
#   NEO4J_<setting>   a setting of neo4j.conf: '_' is read as '.', '__' as '_'
#                     (NEO4J_server_memory_heap_max__size=1g)
#   ports             7687 (Bolt), 7474 (HTTP), 7473 (HTTPS, off by default)
#   logs              on the console (stdout), as the official image writes them
#   data              under /data, a volume
set -euo pipefail

home=${NEO4J_HOME:-/var/lib/neo4j}
conf_dir=$home/conf
mkdir -p "$conf_dir" /data /logs "$home/run" "$home/import"

declare -A settings=(
  [server.default_listen_address]=0.0.0.0
  [server.directories.data]=/data
  [server.directories.logs]=/logs
  [server.directories.run]=$home/run
  [server.directories.import]=$home/import
  [server.memory.heap.initial_size]=512m
  [server.memory.heap.max_size]=512m
  [server.memory.pagecache.size]=512m
  [server.https.enabled]=false
  [dbms.usage_report.enabled]=false
)
# The official image's own variables, which are not settings.
skip=" NEO4J_AUTH NEO4J_HOME NEO4J_CONF NEO4J_EDITION NEO4J_ACCEPT_LICENSE_AGREEMENT NEO4J_PLUGINS NEO4J_DEBUG NEO4J_SHA256 NEO4J_TARBALL "
while IFS='=' read -r name value; do
  [[ $name == NEO4J_* && $skip != *" $name "* ]] || continue
  key=${name#NEO4J_}
  key=${key//__/$'\x01'}
  key=${key//_/.}
  key=${key//$'\x01'/_}
  settings[$key]=$value
done < <(env)

auth=${NEO4J_AUTH:-neo4j/neo4j}
password=
case $auth in
  none) settings[dbms.security.auth_enabled]=false ;;
  neo4j/*) settings[dbms.security.auth_enabled]=true; password=${auth#neo4j/} ;;
  *) echo "NEO4J_AUTH must be none or neo4j/PASSWORD, not ${auth%%/*}/..." >&2; exit 1 ;;
esac

{
  echo "# written by threatkg's stand-in entrypoint from its defaults and the NEO4J_* variables"
  for key in "${!settings[@]}"; do echo "$key=${settings[$key]}"; done | sort
} >"$conf_dir/neo4j.conf"

heap_initial=${settings[server.memory.heap.initial_size]}
heap_max=${settings[server.memory.heap.max_size]}
java_flags=(-Xms"$heap_initial" -Xmx"$heap_max" -XX:+UseG1GC
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED
  -Dio.netty.tryReflectionSetAccessible=true -Djdk.nio.maxCachedBufferSize=1024
  -Dfile.encoding=UTF-8 -XX:+ExitOnOutOfMemoryError)

# The initial password, before the first start (the official image does
# the same with neo4j-admin); a data volume that has users keeps them.
if [[ -n $password && ! -d /data/databases/system ]]; then
  NEO4J_HOME=$home NEO4J_CONF=$conf_dir java -cp "$home/lib/*" org.neo4j.cli.AdminTool \
    dbms set-initial-password "$password" >/dev/null
fi

exec java "${java_flags[@]}" -cp "$home/lib/*" org.neo4j.server.CommunityEntryPoint \
  --home-dir="$home" --config-dir="$conf_dir" --console-mode
