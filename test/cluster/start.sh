#!/usr/bin/env bash
# Start a throw-away etcd + kube-apiserver on 127.0.0.1 with data in DIR.
#
#   test/cluster/start.sh DIR      # builds (or reuses) the binaries, starts, waits for /readyz
#   kubectl --kubeconfig DIR/kubeconfig get ns
#   test/cluster/stop.sh DIR
#
# Writes into DIR:
#   kubeconfig        cluster "netpol-e2e"; users/contexts "admin" (current, system:masters)
#                     and "restricted" (no RBAC grants); CA embedded
#   cluster.env       SERVER=, ADMIN_TOKEN=, RESTRICTED_TOKEN=, ETCD_ENDPOINT=, CA_FILE=, KUBECONFIG=,
#                     and with openssl CLIENT_CERT=, CLIENT_KEY= (user "cert-admin", system:masters)
#   etcd.pid, kube-apiserver.pid, etcd.log, kube-apiserver.log, ca.crt, tokens.csv, sa.key, sa.pub,
#   certs/ (self-signed serving cert made by kube-apiserver), etcd-data/
#
# Environment:
#   KUBECTL_NETPOL_CLUSTER_BIN      use binaries from this directory instead of running build.sh
#   KUBECTL_NETPOL_CLUSTER_TIMEOUT  seconds to wait for /readyz (default 90)
#   KUBECTL_NETPOL_NO_OPENSSL=1     generate the service-account key with the Go helper
#
# Only 127.0.0.1 is ever bound or contacted.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${1:?usage: start.sh DIR}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd -P)"
timeout="${KUBECTL_NETPOL_CLUSTER_TIMEOUT:-90}"

log() { echo "start.sh: $*" >&2; }
die() { log "$*"; exit 1; }

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }

for name in etcd kube-apiserver; do
  if [ -f "$dir/$name.pid" ] && alive "$(cat "$dir/$name.pid")"; then
    die "$name from an earlier start is still running in $dir (pid $(cat "$dir/$name.pid")); run stop.sh $dir first"
  fi
done

if [ -n "${KUBECTL_NETPOL_CLUSTER_BIN:-}" ]; then
  bin="$KUBECTL_NETPOL_CLUSTER_BIN"
else
  bin="$("$here/build.sh" | tail -n1)"
fi
for b in etcd kube-apiserver netpol-cluster-helper; do
  [ -x "$bin/$b" ] || die "missing $bin/$b (run build.sh)"
done
helper="$bin/netpol-cluster-helper"

etcd_pid="" apiserver_pid=""
cleanup_on_error() {
  local rc=$?
  if [ $rc -ne 0 ]; then
    for p in $apiserver_pid $etcd_pid; do kill "$p" 2>/dev/null || true; done
    rm -f "$dir/etcd.pid" "$dir/kube-apiserver.pid"
    log "failed (exit $rc); logs are in $dir/*.log"
  fi
}
trap cleanup_on_error EXIT

# --- credentials -------------------------------------------------------------
rand_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
admin_token="$(rand_hex 24)"
restricted_token="$(rand_hex 24)"
umask 077
# token,user,uid,"group1,group2"
cat > "$dir/tokens.csv" <<EOF
$admin_token,admin,admin-uid,"system:masters"
$restricted_token,restricted,restricted-uid
EOF

rm -f "$dir/sa.key" "$dir/sa.pub"
if [ "${KUBECTL_NETPOL_NO_OPENSSL:-}" != 1 ] && command -v openssl >/dev/null 2>&1; then
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/sa.key" 2>/dev/null
  openssl pkey -in "$dir/sa.key" -pubout -out "$dir/sa.pub"
else
  "$helper" keygen "$dir/sa.key" "$dir/sa.pub"
fi
# A client CA and a certificate it signed for user "cert-admin" (group system:masters), to
# connect with client certificates; only where openssl is available.
client_ca_flag=()
rm -f "$dir/client-ca.crt" "$dir/client-ca.key" "$dir/client.crt" "$dir/client.key"
if [ "${KUBECTL_NETPOL_NO_OPENSSL:-}" != 1 ] && command -v openssl >/dev/null 2>&1; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=netpol-e2e-client-ca" \
    -keyout "$dir/client-ca.key" -out "$dir/client-ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=cert-admin" \
    -keyout "$dir/client.key" -out "$dir/client.csr" 2>/dev/null
  openssl x509 -req -in "$dir/client.csr" -CA "$dir/client-ca.crt" -CAkey "$dir/client-ca.key" \
    -CAcreateserial -days 2 -out "$dir/client.crt" 2>/dev/null
  rm -f "$dir/client.csr" "$dir/client-ca.srl"
  client_ca_flag=(--client-ca-file="$dir/client-ca.crt")
fi
umask 022

# --- etcd --------------------------------------------------------------------
start_etcd() {
  local ports client peer
  ports="$("$helper" freeport 2)"
  client="$(echo "$ports" | sed -n 1p)"
  peer="$(echo "$ports" | sed -n 2p)"
  etcd_url="http://127.0.0.1:$client"
  rm -rf "$dir/etcd-data"
  "$bin/etcd" \
    --name=netpol-e2e \
    --data-dir="$dir/etcd-data" \
    --listen-client-urls="$etcd_url" \
    --advertise-client-urls="$etcd_url" \
    --listen-peer-urls="http://127.0.0.1:$peer" \
    --initial-advertise-peer-urls="http://127.0.0.1:$peer" \
    --initial-cluster="netpol-e2e=http://127.0.0.1:$peer" \
    --initial-cluster-state=new \
    --unsafe-no-fsync=true \
    --log-level=warn \
    </dev/null >"$dir/etcd.log" 2>&1 &
  etcd_pid=$!
  echo "$etcd_pid" > "$dir/etcd.pid"
  "$helper" wait "$etcd_url/health" -timeout 30s -pid "$etcd_pid" 2>>"$dir/etcd.log"
}

# --- kube-apiserver ----------------------------------------------------------
start_apiserver() {
  port="$("$helper" freeport 1)"
  server="https://127.0.0.1:$port"
  mkdir -p "$dir/certs"
  "$bin/kube-apiserver" \
    --etcd-servers="$etcd_url" \
    --cert-dir="$dir/certs" \
    --secure-port="$port" \
    --bind-address=127.0.0.1 \
    --advertise-address=127.0.0.1 \
    --endpoint-reconciler-type=none \
    --service-cluster-ip-range=10.96.0.0/16 \
    --authorization-mode=RBAC \
    --token-auth-file="$dir/tokens.csv" \
    --disable-admission-plugins=ServiceAccount \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$dir/sa.pub" \
    --service-account-signing-key-file="$dir/sa.key" \
    --allow-privileged=true \
    --profiling=false \
    "${client_ca_flag[@]}" \
    </dev/null >"$dir/kube-apiserver.log" 2>&1 &
  apiserver_pid=$!
  echo "$apiserver_pid" > "$dir/kube-apiserver.pid"
  "$helper" wait "$server/readyz" -token "$admin_token" -timeout "${timeout}s" -pid "$apiserver_pid" \
    2>>"$dir/kube-apiserver.log"
}

# A port can be taken between choosing it and binding it: retry with new ports.
t0=$(date +%s)
for attempt in 1 2 3; do
  if start_etcd; then break; fi
  kill "$etcd_pid" 2>/dev/null || true
  grep -q 'address already in use' "$dir/etcd.log" && [ $attempt -lt 3 ] || { tail -n 20 "$dir/etcd.log" >&2; die "etcd did not become healthy; see $dir/etcd.log"; }
  log "etcd port clash, retrying"
done
t1=$(date +%s)
for attempt in 1 2 3; do
  if start_apiserver; then break; fi
  kill "$apiserver_pid" 2>/dev/null || true
  grep -q 'address already in use' "$dir/kube-apiserver.log" && [ $attempt -lt 3 ] || { tail -n 30 "$dir/kube-apiserver.log" >&2; die "kube-apiserver did not become ready (timeout ${timeout}s); see $dir/kube-apiserver.log"; }
  log "kube-apiserver port clash, retrying"
done
t2=$(date +%s)

# --- kubeconfig --------------------------------------------------------------
# kube-apiserver writes its self-signed serving cert followed by the CA that
# signed it into certs/apiserver.crt; the last certificate is the CA.
awk '/-----BEGIN CERTIFICATE-----/{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' \
  "$dir/certs/apiserver.crt" > "$dir/ca.crt"
"$helper" wait "$server/readyz" -token "$admin_token" -ca "$dir/ca.crt" -timeout 5s \
  || die "the API server's certificate does not verify against $dir/ca.crt"
ca_data="$(base64 < "$dir/ca.crt" | tr -d '\n')"

umask 077
cat > "$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: netpol-e2e
  cluster:
    server: $server
    certificate-authority-data: $ca_data
users:
- name: admin
  user:
    token: $admin_token
- name: restricted
  user:
    token: $restricted_token
contexts:
- name: admin
  context:
    cluster: netpol-e2e
    user: admin
- name: restricted
  context:
    cluster: netpol-e2e
    user: restricted
current-context: admin
EOF
cat > "$dir/cluster.env" <<EOF
SERVER=$server
ADMIN_TOKEN=$admin_token
RESTRICTED_TOKEN=$restricted_token
ETCD_ENDPOINT=$etcd_url
CA_FILE=$dir/ca.crt
KUBECONFIG=$dir/kubeconfig
EOF
if [ -f "$dir/client.crt" ]; then
  printf 'CLIENT_CERT=%s\nCLIENT_KEY=%s\n' "$dir/client.crt" "$dir/client.key" >> "$dir/cluster.env"
fi
umask 022

log "etcd healthy after $((t1 - t0))s, kube-apiserver ready after $((t2 - t1))s at $server"
log "export KUBECONFIG=$dir/kubeconfig   # stop with: $here/stop.sh $dir"
