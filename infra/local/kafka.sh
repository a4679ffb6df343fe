#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) without Docker.
# The Kafka tarball is unreachable here, so the broker classpath comes from Maven Central
# (see kafka/pom.xml). Usage: kafka.sh start|stop|status|reset|libs (libs: only fetch the jars,
# e.g. for the three-broker cluster of the fault test, infra/local/kafka-cluster.cjs)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
HOME_DIR="${KAFKA_HOME_DIR:-$REPO_ROOT/.local/kafka}"
LIBS="$HOME_DIR/libs"
DATA="$HOME_DIR/data"
PROPS="$HOME_DIR/server.properties"
PIDFILE="$HOME_DIR/kafka.pid"
LOG="$HOME_DIR/server.log"    # written by log4j2 (kafka/log4j2.yaml)
OUT="$HOME_DIR/kafka.out"     # JVM stdout/stderr: crashes before log4j is up land here
# Java expands the trailing * itself, so it must reach java unexpanded (always quote it).
JVM=(-cp "$LIBS/*" -Dlog4j2.configurationFile="$HERE/kafka/log4j2.yaml" -Dkafka.logs.dir="$HOME_DIR")

answers() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" 2>/dev/null; }

# Only trust the pid file if that pid is still our broker (pids get reused).
broker_pid() {
  local pid
  pid="$(cat "$PIDFILE" 2>/dev/null)" || return 1
  ps -p "$pid" -o args= 2>/dev/null | grep -q 'kafka\.Kafka' && echo "$pid"
}

fetch_libs() {
  # The stamp holds the pom's hash: an interrupted download or a version bump refetches.
  local want; want="$(sha256sum "$HERE/kafka/pom.xml" | cut -d' ' -f1)"
  [[ "$(cat "$LIBS/.pom.sha256" 2>/dev/null)" == "$want" ]] && return 0
  echo "downloading Kafka jars from Maven Central into $LIBS ..."
  rm -rf "$LIBS"
  # Output goes to a file: Debian's mvn 3.8 prints stray ANSI resets even with -B -q.
  mvn -B -q -f "$HERE/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS" >"$HOME_DIR/mvn.log" 2>&1 \
    || { cat "$HOME_DIR/mvn.log" >&2; exit 1; }
  echo "$want" > "$LIBS/.pom.sha256"
}

write_props() {
  # Regenerated on every start so KAFKA_PORT / KAFKA_CONTROLLER_PORT changes take effect.
  cat > "$PROPS" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
# A single node cannot satisfy the default replication factor of 3 (it would hang).
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
# Services create their topics explicitly, with partition counts from their configuration.
auto.create.topics.enable=false
num.partitions=1
# Tests: no 3 s wait before the first consumer group rebalance; fewer __consumer_offsets
# partitions so the group coordinator loads faster.
group.initial.rebalance.delay.ms=0
offsets.topic.num.partitions=10
PROPS
}

start() {
  if answers; then echo "kafka already answering on 127.0.0.1:$PORT"; return 0; fi
  if ! broker_pid >/dev/null; then
    fetch_libs
    write_props
    # KRaft refuses to start on an unformatted log dir; format once, keep the cluster id after.
    if [[ ! -f "$DATA/meta.properties" ]]; then
      local id; id="$(java "${JVM[@]}" kafka.tools.StorageTool random-uuid)"
      # No --standalone: it is rejected when controller.quorum.voters is set.
      java "${JVM[@]}" kafka.tools.StorageTool format -t "$id" -c "$PROPS" --ignore-formatted >/dev/null
      echo "formatted $DATA (cluster id $id)"
    fi
    # setsid: survive a caller that kills its whole process group (test runners, Ctrl-C).
    # </dev/null, >"$OUT": never hold the caller's pipes open. 9>&-: nor the lock taken below.
    setsid nohup java -Xms256m -Xmx512m "${JVM[@]}" kafka.Kafka "$PROPS" </dev/null >"$OUT" 2>&1 9>&- &
    echo $! > "$PIDFILE"
  fi
  # The broker opens the client port only once it is ready to serve, so TCP accept == ready.
  local pid deadline=$((SECONDS + 90)); pid="$(cat "$PIDFILE")"
  while ((SECONDS < deadline)); do
    if answers; then echo "kafka ready on 127.0.0.1:$PORT (pid $pid)"; return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "kafka exited during startup" >&2; fail_log; }
    sleep 0.5
  done
  echo "kafka not answering on 127.0.0.1:$PORT after 90 s; stopping it" >&2
  stop >&2
  fail_log
}

fail_log() {
  echo "--- last 50 lines of $LOG ---" >&2; tail -n 50 "$LOG" >&2 2>/dev/null || true
  echo "--- last 20 lines of $OUT ---" >&2; tail -n 20 "$OUT" >&2 2>/dev/null || true
  exit 1
}

stop() {
  local pid
  if ! pid="$(broker_pid)"; then
    rm -f "$PIDFILE"
    answers && echo "port $PORT answers but not a broker started by this script; not touching it" \
      || echo "kafka not running"
    return 0
  fi
  # SIGTERM = controlled shutdown (clean log close, no recovery on next start).
  kill -TERM "$pid"
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then echo "kafka did not stop in 30 s; SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$PIDFILE"
  echo "kafka stopped (pid $pid)"
}

status() {
  local pid; pid="$(broker_pid)" || pid=""
  if answers; then echo "kafka answering on 127.0.0.1:$PORT${pid:+ (pid $pid)}"; return 0; fi
  [[ -n "$pid" ]] && echo "kafka process $pid alive but not answering on $PORT" || echo "kafka not running"
  return 1
}

reset() {
  stop
  rm -rf "$DATA" "$PROPS"
  echo "kafka data deleted ($DATA); jars kept in $LIBS"
}

case "${1:-}" in
  # Serialised: parallel callers (e.g. several Nx targets) must not launch two brokers.
  start|stop|reset) mkdir -p "$HOME_DIR"; exec 9>"$HOME_DIR/.lock"; flock 9; "$1" ;;
  libs) mkdir -p "$HOME_DIR"; exec 9>"$HOME_DIR/.lock"; flock 9; fetch_libs; echo "$LIBS" ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status|reset|libs" >&2; exit 2 ;;
esac
