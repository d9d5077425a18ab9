/** The built-in demo cluster: a realistic snapshot of namespaces, workloads, services and NetworkPolicies as a multi-document YAML stream. */
export const DEMO_CLUSTER_YAML = `# kubectl-netpol demo cluster
# ===========================
# A made-up three-node cluster (demo-control-plane, demo-worker, demo-worker2)
# running Calico, so NetworkPolicies are actually enforced. Pod IPs come from
# 10.244.0.0/16 (one /24 per node); host-network pods carry the node IP.
#
# Scenarios
#   kube-system    CoreDNS (kube-dns Service) and the Calico CNI DaemonSet.
#                  No policies: everything in and out is allowed.
#   production     Three-tier shop: frontend -> api -> postgres.
#                  - default deny for ingress AND egress
#                  - DNS egress to CoreDNS only (kube-system + k8s-app=kube-dns, UDP/TCP 53)
#                  - frontend reachable from the ingress-nginx controller on 8080
#                  - frontend -> api on the named port "http" (8080)
#                  - api -> postgres on 5432
#                  - api -> payment provider 203.0.113.0/24 on 443, except the
#                    sandbox half 203.0.113.128/25 (ipBlock with except)
#                  - Prometheus (monitoring) may scrape the api "metrics" port (9090)
#                  - batch-export has no allow rules beyond DNS (fully locked down)
#   monitoring     Prometheus, Grafana, Alertmanager. Namespace label purpose=monitoring.
#                  No policies.
#   ingress-nginx  Ingress controller (2 replicas) behind a LoadBalancer Service.
#                  No policies.
#   tenant-a/b/c   Multi-tenancy: each tenant has default-deny ingress plus
#                  allow-same-namespace. The only cross-tenant path is
#                  tenant-b pods labelled role=client -> tenant-a app=shared-api
#                  on TCP 8443 (namespaceSelector AND podSelector in one peer).
#                  tenant-c also has a role=client pod: it must NOT get in.
#                  Tenants have no egress policies.
#   legacy         No NetworkPolicies at all: wide open. Contains a busybox pod
#                  used for probing, as in the usual "kubectl run busybox" tests.
#   staging        Pre-production copy of the web app with default-deny ingress,
#                  containing the deliberate mistakes below.
#
# Deliberate mistakes (all in staging)
#   1. allow-ingress-controller-to-web-frontend selects app=web-frontent (typo).
#      The pods are app=web-frontend, so the policy selects nothing and the
#      ingress controller is blocked by default-deny-ingress.
#   2. allow-prometheus-scrape admits namespaces labelled team=observability.
#      No namespace carries that label (monitoring is purpose=monitoring), so
#      Prometheus cannot scrape staging metrics.
---
apiVersion: v1
kind: Namespace
metadata:
  name: kube-system
  labels:
    kubernetes.io/metadata.name: kube-system
---
apiVersion: v1
kind: Namespace
metadata:
  name: production
  labels:
    kubernetes.io/metadata.name: production
    env: production
    app.kubernetes.io/part-of: shop
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels:
    kubernetes.io/metadata.name: monitoring
    purpose: monitoring
---
apiVersion: v1
kind: Namespace
metadata:
  name: ingress-nginx
  labels:
    kubernetes.io/metadata.name: ingress-nginx
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/instance: ingress-nginx
---
apiVersion: v1
kind: Namespace
metadata:
  name: tenant-a
  labels:
    kubernetes.io/metadata.name: tenant-a
    tenant: a
---
apiVersion: v1
kind: Namespace
metadata:
  name: tenant-b
  labels:
    kubernetes.io/metadata.name: tenant-b
    tenant: b
---
apiVersion: v1
kind: Namespace
metadata:
  name: tenant-c
  labels:
    kubernetes.io/metadata.name: tenant-c
    tenant: c
---
apiVersion: v1
kind: Namespace
metadata:
  name: legacy
  labels:
    kubernetes.io/metadata.name: legacy
    env: legacy
---
apiVersion: v1
kind: Namespace
metadata:
  name: staging
  labels:
    kubernetes.io/metadata.name: staging
    env: staging
    app.kubernetes.io/part-of: shop
# ---------------------------------------------------------------------------
# kube-system
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: coredns-5d78c9869d-4xq7m
  namespace: kube-system
  labels:
    k8s-app: kube-dns
    pod-template-hash: 5d78c9869d
spec:
  nodeName: demo-control-plane
  serviceAccountName: coredns
  containers:
    - name: coredns
      image: registry.k8s.io/coredns/coredns:v1.11.1
      args: ["-conf", "/etc/coredns/Corefile"]
      ports:
        - name: dns
          containerPort: 53
          protocol: UDP
        - name: dns-tcp
          containerPort: 53
          protocol: TCP
        - name: metrics
          containerPort: 9153
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.2
  podIP: 10.244.0.3
  podIPs:
    - ip: 10.244.0.3
---
apiVersion: v1
kind: Pod
metadata:
  name: coredns-5d78c9869d-9tzbv
  namespace: kube-system
  labels:
    k8s-app: kube-dns
    pod-template-hash: 5d78c9869d
spec:
  nodeName: demo-control-plane
  serviceAccountName: coredns
  containers:
    - name: coredns
      image: registry.k8s.io/coredns/coredns:v1.11.1
      args: ["-conf", "/etc/coredns/Corefile"]
      ports:
        - name: dns
          containerPort: 53
          protocol: UDP
        - name: dns-tcp
          containerPort: 53
          protocol: TCP
        - name: metrics
          containerPort: 9153
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.2
  podIP: 10.244.0.4
  podIPs:
    - ip: 10.244.0.4
---
apiVersion: v1
kind: Pod
metadata:
  name: calico-kube-controllers-7d8b9c6f5-wqn2h
  namespace: kube-system
  labels:
    k8s-app: calico-kube-controllers
    pod-template-hash: 7d8b9c6f5
spec:
  nodeName: demo-control-plane
  serviceAccountName: calico-kube-controllers
  containers:
    - name: calico-kube-controllers
      image: docker.io/calico/kube-controllers:v3.27.3
      ports:
        - name: metrics
          containerPort: 9094
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.2
  podIP: 10.244.0.5
  podIPs:
    - ip: 10.244.0.5
---
apiVersion: v1
kind: Pod
metadata:
  name: calico-node-7xk2p
  namespace: kube-system
  labels:
    k8s-app: calico-node
    controller-revision-hash: 6b9f8c7d54
    pod-template-generation: "1"
spec:
  nodeName: demo-control-plane
  hostNetwork: true
  dnsPolicy: ClusterFirstWithHostNet
  serviceAccountName: calico-node
  containers:
    - name: calico-node
      image: docker.io/calico/node:v3.27.3
      ports:
        - name: felix-metrics
          containerPort: 9091
          hostPort: 9091
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.2
  podIP: 172.18.0.2
  podIPs:
    - ip: 172.18.0.2
---
apiVersion: v1
kind: Pod
metadata:
  name: calico-node-m4z9d
  namespace: kube-system
  labels:
    k8s-app: calico-node
    controller-revision-hash: 6b9f8c7d54
    pod-template-generation: "1"
spec:
  nodeName: demo-worker
  hostNetwork: true
  dnsPolicy: ClusterFirstWithHostNet
  serviceAccountName: calico-node
  containers:
    - name: calico-node
      image: docker.io/calico/node:v3.27.3
      ports:
        - name: felix-metrics
          containerPort: 9091
          hostPort: 9091
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 172.18.0.3
  podIPs:
    - ip: 172.18.0.3
---
apiVersion: v1
kind: Pod
metadata:
  name: calico-node-ts6wq
  namespace: kube-system
  labels:
    k8s-app: calico-node
    controller-revision-hash: 6b9f8c7d54
    pod-template-generation: "1"
spec:
  nodeName: demo-worker2
  hostNetwork: true
  dnsPolicy: ClusterFirstWithHostNet
  serviceAccountName: calico-node
  containers:
    - name: calico-node
      image: docker.io/calico/node:v3.27.3
      ports:
        - name: felix-metrics
          containerPort: 9091
          hostPort: 9091
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 172.18.0.4
  podIPs:
    - ip: 172.18.0.4
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
    kubernetes.io/cluster-service: "true"
    kubernetes.io/name: CoreDNS
spec:
  type: ClusterIP
  clusterIP: 10.96.0.10
  selector:
    k8s-app: kube-dns
  ports:
    - name: dns
      port: 53
      targetPort: 53
      protocol: UDP
    - name: dns-tcp
      port: 53
      targetPort: 53
      protocol: TCP
    - name: metrics
      port: 9153
      targetPort: 9153
      protocol: TCP
# ---------------------------------------------------------------------------
# ingress-nginx
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: ingress-nginx-controller-6f79748cff-k8z2w
  namespace: ingress-nginx
  labels:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/component: controller
    pod-template-hash: 6f79748cff
spec:
  nodeName: demo-worker
  serviceAccountName: ingress-nginx
  containers:
    - name: controller
      image: registry.k8s.io/ingress-nginx/controller:v1.10.1
      ports:
        - name: http
          containerPort: 80
          protocol: TCP
        - name: https
          containerPort: 443
          protocol: TCP
        - name: webhook
          containerPort: 8443
          protocol: TCP
        - name: metrics
          containerPort: 10254
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.7
  podIPs:
    - ip: 10.244.1.7
---
apiVersion: v1
kind: Pod
metadata:
  name: ingress-nginx-controller-6f79748cff-5rmtd
  namespace: ingress-nginx
  labels:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/component: controller
    pod-template-hash: 6f79748cff
spec:
  nodeName: demo-worker2
  serviceAccountName: ingress-nginx
  containers:
    - name: controller
      image: registry.k8s.io/ingress-nginx/controller:v1.10.1
      ports:
        - name: http
          containerPort: 80
          protocol: TCP
        - name: https
          containerPort: 443
          protocol: TCP
        - name: webhook
          containerPort: 8443
          protocol: TCP
        - name: metrics
          containerPort: 10254
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.7
  podIPs:
    - ip: 10.244.2.7
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
  labels:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/component: controller
spec:
  type: LoadBalancer
  clusterIP: 10.96.112.40
  externalTrafficPolicy: Cluster
  selector:
    app.kubernetes.io/name: ingress-nginx
    app.kubernetes.io/instance: ingress-nginx
    app.kubernetes.io/component: controller
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 31080
      protocol: TCP
    - name: https
      port: 443
      targetPort: https
      nodePort: 31443
      protocol: TCP
status:
  loadBalancer:
    ingress:
      - ip: 198.51.100.20
# ---------------------------------------------------------------------------
# monitoring
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: prometheus-k8s-0
  namespace: monitoring
  labels:
    app: prometheus
    app.kubernetes.io/name: prometheus
    app.kubernetes.io/component: server
    controller-revision-hash: prometheus-k8s-7c9d5b8f6
    statefulset.kubernetes.io/pod-name: prometheus-k8s-0
spec:
  nodeName: demo-worker
  hostname: prometheus-k8s-0
  serviceAccountName: prometheus-k8s
  containers:
    - name: prometheus
      image: quay.io/prometheus/prometheus:v2.53.0
      ports:
        - name: http
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.30
  podIPs:
    - ip: 10.244.1.30
---
apiVersion: v1
kind: Pod
metadata:
  name: alertmanager-main-0
  namespace: monitoring
  labels:
    app: alertmanager
    app.kubernetes.io/name: alertmanager
    controller-revision-hash: alertmanager-main-5d8f7c9b4
    statefulset.kubernetes.io/pod-name: alertmanager-main-0
spec:
  nodeName: demo-worker2
  hostname: alertmanager-main-0
  containers:
    - name: alertmanager
      image: quay.io/prometheus/alertmanager:v0.27.0
      ports:
        - name: http
          containerPort: 9093
          protocol: TCP
        - name: mesh-tcp
          containerPort: 9094
          protocol: TCP
        - name: mesh-udp
          containerPort: 9094
          protocol: UDP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.30
  podIPs:
    - ip: 10.244.2.30
---
apiVersion: v1
kind: Pod
metadata:
  name: grafana-6c8d7f9b54-r7wqz
  namespace: monitoring
  labels:
    app: grafana
    app.kubernetes.io/name: grafana
    pod-template-hash: 6c8d7f9b54
spec:
  nodeName: demo-worker
  containers:
    - name: grafana
      image: docker.io/grafana/grafana:11.1.0
      ports:
        - name: http
          containerPort: 3000
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.31
  podIPs:
    - ip: 10.244.1.31
---
apiVersion: v1
kind: Service
metadata:
  name: prometheus-k8s
  namespace: monitoring
  labels:
    app.kubernetes.io/name: prometheus
spec:
  type: ClusterIP
  clusterIP: 10.96.80.15
  selector:
    app: prometheus
  ports:
    - name: http
      port: 9090
      targetPort: http
      protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: grafana
  namespace: monitoring
  labels:
    app.kubernetes.io/name: grafana
spec:
  type: ClusterIP
  clusterIP: 10.96.80.30
  selector:
    app: grafana
  ports:
    - name: http
      port: 3000
      targetPort: http
      protocol: TCP
# ---------------------------------------------------------------------------
# production: three-tier shop
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: frontend-84c5d9b7f6-hx2lq
  namespace: production
  labels:
    app: frontend
    tier: frontend
    app.kubernetes.io/name: frontend
    app.kubernetes.io/part-of: shop
    pod-template-hash: 84c5d9b7f6
spec:
  nodeName: demo-worker
  containers:
    - name: frontend
      image: registry.example.com/shop/frontend:2.14.0
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.12
  podIPs:
    - ip: 10.244.1.12
---
apiVersion: v1
kind: Pod
metadata:
  name: frontend-84c5d9b7f6-zq8nd
  namespace: production
  labels:
    app: frontend
    tier: frontend
    app.kubernetes.io/name: frontend
    app.kubernetes.io/part-of: shop
    pod-template-hash: 84c5d9b7f6
spec:
  nodeName: demo-worker2
  containers:
    - name: frontend
      image: registry.example.com/shop/frontend:2.14.0
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.12
  podIPs:
    - ip: 10.244.2.12
---
apiVersion: v1
kind: Pod
metadata:
  name: api-7d9f8b6c5-x2k4p
  namespace: production
  labels:
    app: api
    tier: backend
    app.kubernetes.io/name: api
    app.kubernetes.io/part-of: shop
    pod-template-hash: 7d9f8b6c5
spec:
  nodeName: demo-worker
  containers:
    - name: api
      image: registry.example.com/shop/api:3.2.1
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: metrics
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.15
  podIPs:
    - ip: 10.244.1.15
---
apiVersion: v1
kind: Pod
metadata:
  name: api-7d9f8b6c5-b9tlm
  namespace: production
  labels:
    app: api
    tier: backend
    app.kubernetes.io/name: api
    app.kubernetes.io/part-of: shop
    pod-template-hash: 7d9f8b6c5
spec:
  nodeName: demo-worker2
  containers:
    - name: api
      image: registry.example.com/shop/api:3.2.1
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: metrics
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.15
  podIPs:
    - ip: 10.244.2.15
---
apiVersion: v1
kind: Pod
metadata:
  name: postgres-0
  namespace: production
  labels:
    app: postgres
    tier: database
    app.kubernetes.io/name: postgres
    app.kubernetes.io/part-of: shop
    controller-revision-hash: postgres-6b8d9c7f45
    statefulset.kubernetes.io/pod-name: postgres-0
spec:
  nodeName: demo-worker
  hostname: postgres-0
  subdomain: postgres
  containers:
    - name: postgres
      image: docker.io/library/postgres:16.3
      ports:
        - name: postgres
          containerPort: 5432
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.20
  podIPs:
    - ip: 10.244.1.20
---
apiVersion: v1
kind: Pod
metadata:
  name: batch-export-28471920-7kqzv
  namespace: production
  labels:
    app: batch-export
    tier: batch
    app.kubernetes.io/name: batch-export
    app.kubernetes.io/part-of: shop
    batch.kubernetes.io/job-name: batch-export-28471920
    job-name: batch-export-28471920
spec:
  nodeName: demo-worker2
  restartPolicy: OnFailure
  containers:
    - name: export
      image: registry.example.com/shop/batch-export:1.4.0
      ports:
        - name: metrics
          containerPort: 9102
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.18
  podIPs:
    - ip: 10.244.2.18
---
apiVersion: v1
kind: Service
metadata:
  name: frontend
  namespace: production
  labels:
    app.kubernetes.io/name: frontend
spec:
  type: ClusterIP
  clusterIP: 10.96.45.10
  selector:
    app: frontend
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: production
  labels:
    app.kubernetes.io/name: api
spec:
  type: ClusterIP
  clusterIP: 10.96.45.20
  selector:
    app: api
  ports:
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
    - name: metrics
      port: 9090
      targetPort: metrics
      protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: postgres
  namespace: production
  labels:
    app.kubernetes.io/name: postgres
spec:
  type: ClusterIP
  clusterIP: 10.96.45.30
  selector:
    app: postgres
  ports:
    - name: postgres
      port: 5432
      targetPort: postgres
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-all
  namespace: production
  annotations:
    description: Deny all ingress and egress for every pod in production; the allow-* policies open only the paths the shop needs.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
    - Egress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns-egress
  namespace: production
  annotations:
    description: Let every production pod resolve names via CoreDNS in kube-system (UDP and TCP 53), and nothing else.
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-ingress-controller-to-frontend
  namespace: production
  annotations:
    description: Let the ingress-nginx controller pods reach the frontend on TCP 8080; no other namespace may call the frontend.
spec:
  podSelector:
    matchLabels:
      tier: frontend
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
          podSelector:
            matchLabels:
              app.kubernetes.io/name: ingress-nginx
      ports:
        - protocol: TCP
          port: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend-egress-to-api
  namespace: production
  annotations:
    description: Let frontend pods open connections to the api pods on their named port http.
spec:
  podSelector:
    matchLabels:
      tier: frontend
  policyTypes:
    - Egress
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: api
      ports:
        - protocol: TCP
          port: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-api-ingress-from-frontend
  namespace: production
  annotations:
    description: Accept connections to the api on its named port http, from frontend pods only.
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              tier: frontend
      ports:
        - protocol: TCP
          port: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-api-egress-to-database
  namespace: production
  annotations:
    description: Let the api pods connect to postgres on TCP 5432.
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Egress
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: postgres
      ports:
        - protocol: TCP
          port: 5432
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-database-ingress-from-api
  namespace: production
  annotations:
    description: Accept postgres connections on TCP 5432 from the api pods only; the frontend and batch jobs must not reach the database.
spec:
  podSelector:
    matchLabels:
      app: postgres
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: api
      ports:
        - protocol: TCP
          port: 5432
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-api-egress-to-payment-provider
  namespace: production
  annotations:
    description: Let the api call the payment provider's live range 203.0.113.0/24 over HTTPS, excluding its sandbox half 203.0.113.128/25.
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 203.0.113.0/24
            except:
              - 203.0.113.128/25
      ports:
        - protocol: TCP
          port: 443
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-prometheus-scrape-api
  namespace: production
  annotations:
    description: Let Prometheus pods in the monitoring namespace scrape the api's named port metrics (9090).
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              purpose: monitoring
          podSelector:
            matchLabels:
              app: prometheus
      ports:
        - protocol: TCP
          port: metrics
# ---------------------------------------------------------------------------
# tenant-a: hosts the shared API that tenant-b clients may call
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: shared-api-5f6b7c8d9-p4vzn
  namespace: tenant-a
  labels:
    app: shared-api
    app.kubernetes.io/name: shared-api
    pod-template-hash: 5f6b7c8d9
spec:
  nodeName: demo-worker
  containers:
    - name: shared-api
      image: registry.example.com/tenant-a/shared-api:1.8.2
      ports:
        - name: https
          containerPort: 8443
          protocol: TCP
        - name: metrics
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.40
  podIPs:
    - ip: 10.244.1.40
---
apiVersion: v1
kind: Pod
metadata:
  name: shared-api-5f6b7c8d9-jd7wk
  namespace: tenant-a
  labels:
    app: shared-api
    app.kubernetes.io/name: shared-api
    pod-template-hash: 5f6b7c8d9
spec:
  nodeName: demo-worker2
  containers:
    - name: shared-api
      image: registry.example.com/tenant-a/shared-api:1.8.2
      ports:
        - name: https
          containerPort: 8443
          protocol: TCP
        - name: metrics
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.40
  podIPs:
    - ip: 10.244.2.40
---
apiVersion: v1
kind: Pod
metadata:
  name: ledger-worker-7b4c9d8f6-nx5qs
  namespace: tenant-a
  labels:
    app: ledger-worker
    app.kubernetes.io/name: ledger-worker
    pod-template-hash: 7b4c9d8f6
spec:
  nodeName: demo-worker2
  containers:
    - name: worker
      image: registry.example.com/tenant-a/ledger-worker:0.9.4
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.41
  podIPs:
    - ip: 10.244.2.41
---
apiVersion: v1
kind: Service
metadata:
  name: shared-api
  namespace: tenant-a
  labels:
    app.kubernetes.io/name: shared-api
spec:
  type: ClusterIP
  clusterIP: 10.96.150.10
  selector:
    app: shared-api
  ports:
    - name: https
      port: 443
      targetPort: https
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: tenant-a
  annotations:
    description: Deny all incoming traffic to tenant-a pods unless another policy allows it.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-same-namespace
  namespace: tenant-a
  annotations:
    description: Let tenant-a pods talk to each other on any port.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-tenant-b-clients-to-shared-api
  namespace: tenant-a
  annotations:
    description: The only cross-tenant path. Pods labelled role=client in tenant-b (and nowhere else) may call shared-api on TCP 8443.
spec:
  podSelector:
    matchLabels:
      app: shared-api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              tenant: b
          podSelector:
            matchLabels:
              role: client
      ports:
        - protocol: TCP
          port: 8443
# ---------------------------------------------------------------------------
# tenant-b: one client of tenant-a's shared API, plus a storefront
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: report-generator-66d8f7c9b-vk2lt
  namespace: tenant-b
  labels:
    app: report-generator
    role: client
    app.kubernetes.io/name: report-generator
    pod-template-hash: 66d8f7c9b
spec:
  nodeName: demo-worker
  containers:
    - name: report-generator
      image: registry.example.com/tenant-b/report-generator:2.0.3
      ports:
        - name: metrics
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.45
  podIPs:
    - ip: 10.244.1.45
---
apiVersion: v1
kind: Pod
metadata:
  name: storefront-9f7d6c5b8-g2hxm
  namespace: tenant-b
  labels:
    app: storefront
    app.kubernetes.io/name: storefront
    pod-template-hash: 9f7d6c5b8
spec:
  nodeName: demo-worker
  containers:
    - name: storefront
      image: registry.example.com/tenant-b/storefront:5.1.0
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.46
  podIPs:
    - ip: 10.244.1.46
---
apiVersion: v1
kind: Pod
metadata:
  name: storefront-9f7d6c5b8-w5kzr
  namespace: tenant-b
  labels:
    app: storefront
    app.kubernetes.io/name: storefront
    pod-template-hash: 9f7d6c5b8
spec:
  nodeName: demo-worker2
  containers:
    - name: storefront
      image: registry.example.com/tenant-b/storefront:5.1.0
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.46
  podIPs:
    - ip: 10.244.2.46
---
apiVersion: v1
kind: Service
metadata:
  name: storefront
  namespace: tenant-b
  labels:
    app.kubernetes.io/name: storefront
spec:
  type: ClusterIP
  clusterIP: 10.96.151.10
  selector:
    app: storefront
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: tenant-b
  annotations:
    description: Deny all incoming traffic to tenant-b pods unless another policy allows it.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-same-namespace
  namespace: tenant-b
  annotations:
    description: Let tenant-b pods talk to each other on any port.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector: {}
# ---------------------------------------------------------------------------
# tenant-c: also has a role=client pod, which must NOT reach tenant-a
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: analytics-5c7f8d9b6-q9mrt
  namespace: tenant-c
  labels:
    app: analytics
    role: client
    app.kubernetes.io/name: analytics
    pod-template-hash: 5c7f8d9b6
spec:
  nodeName: demo-worker
  containers:
    - name: analytics
      image: registry.example.com/tenant-c/analytics:0.12.0
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.50
  podIPs:
    - ip: 10.244.1.50
---
apiVersion: v1
kind: Pod
metadata:
  name: web-8d6b7f5c4-hl4zx
  namespace: tenant-c
  labels:
    app: web
    app.kubernetes.io/name: web
    pod-template-hash: 8d6b7f5c4
spec:
  nodeName: demo-worker2
  containers:
    - name: web
      image: docker.io/library/nginx:1.27
      ports:
        - name: http
          containerPort: 80
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.50
  podIPs:
    - ip: 10.244.2.50
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: tenant-c
  annotations:
    description: Deny all incoming traffic to tenant-c pods unless another policy allows it.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-same-namespace
  namespace: tenant-c
  annotations:
    description: Let tenant-c pods talk to each other on any port.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector: {}
# ---------------------------------------------------------------------------
# legacy: no NetworkPolicies at all, plus a busybox pod for probing
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: inventory-5b7f9c8d4-t2wnq
  namespace: legacy
  labels:
    app: inventory
    app.kubernetes.io/name: inventory
    pod-template-hash: 5b7f9c8d4
spec:
  nodeName: demo-worker
  containers:
    - name: inventory
      image: registry.example.com/legacy/inventory:1.0.17
      ports:
        - name: http
          containerPort: 80
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.60
  podIPs:
    - ip: 10.244.1.60
---
apiVersion: v1
kind: Pod
metadata:
  name: mysql-0
  namespace: legacy
  labels:
    app: mysql
    app.kubernetes.io/name: mysql
    controller-revision-hash: mysql-7f9c6d8b5
    statefulset.kubernetes.io/pod-name: mysql-0
spec:
  nodeName: demo-worker2
  hostname: mysql-0
  containers:
    - name: mysql
      image: docker.io/library/mysql:8.0
      ports:
        - name: mysql
          containerPort: 3306
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.60
  podIPs:
    - ip: 10.244.2.60
---
apiVersion: v1
kind: Pod
metadata:
  name: busybox
  namespace: legacy
  labels:
    run: busybox
  annotations:
    description: Debug pod started with kubectl run to probe connectivity with wget and nc.
spec:
  nodeName: demo-worker
  restartPolicy: Never
  containers:
    - name: busybox
      image: docker.io/library/busybox:1.36
      command: ["sleep", "3600"]
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.62
  podIPs:
    - ip: 10.244.1.62
---
apiVersion: v1
kind: Service
metadata:
  name: inventory
  namespace: legacy
spec:
  type: ClusterIP
  clusterIP: 10.96.200.10
  selector:
    app: inventory
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
# ---------------------------------------------------------------------------
# staging: the deliberate mistakes live here
# ---------------------------------------------------------------------------
---
apiVersion: v1
kind: Pod
metadata:
  name: web-frontend-7c8d9f6b5-kp4xz
  namespace: staging
  labels:
    app: web-frontend
    tier: frontend
    app.kubernetes.io/name: web-frontend
    app.kubernetes.io/part-of: shop
    pod-template-hash: 7c8d9f6b5
spec:
  nodeName: demo-worker
  containers:
    - name: web-frontend
      image: registry.example.com/shop/frontend:2.15.0-rc.1
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.70
  podIPs:
    - ip: 10.244.1.70
---
apiVersion: v1
kind: Pod
metadata:
  name: web-frontend-7c8d9f6b5-s7nwd
  namespace: staging
  labels:
    app: web-frontend
    tier: frontend
    app.kubernetes.io/name: web-frontend
    app.kubernetes.io/part-of: shop
    pod-template-hash: 7c8d9f6b5
spec:
  nodeName: demo-worker2
  containers:
    - name: web-frontend
      image: registry.example.com/shop/frontend:2.15.0-rc.1
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.70
  podIPs:
    - ip: 10.244.2.70
---
apiVersion: v1
kind: Pod
metadata:
  name: api-6d5c8b7f9-fz2rq
  namespace: staging
  labels:
    app: api
    tier: backend
    app.kubernetes.io/name: api
    app.kubernetes.io/part-of: shop
    pod-template-hash: 6d5c8b7f9
spec:
  nodeName: demo-worker
  containers:
    - name: api
      image: registry.example.com/shop/api:3.3.0-rc.2
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: metrics
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.3
  podIP: 10.244.1.72
  podIPs:
    - ip: 10.244.1.72
---
apiVersion: v1
kind: Pod
metadata:
  name: api-6d5c8b7f9-lm9vk
  namespace: staging
  labels:
    app: api
    tier: backend
    app.kubernetes.io/name: api
    app.kubernetes.io/part-of: shop
    pod-template-hash: 6d5c8b7f9
spec:
  nodeName: demo-worker2
  containers:
    - name: api
      image: registry.example.com/shop/api:3.3.0-rc.2
      ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: metrics
          containerPort: 9090
          protocol: TCP
status:
  phase: Running
  hostIP: 172.18.0.4
  podIP: 10.244.2.72
  podIPs:
    - ip: 10.244.2.72
---
apiVersion: v1
kind: Service
metadata:
  name: web-frontend
  namespace: staging
  labels:
    app.kubernetes.io/name: web-frontend
spec:
  type: ClusterIP
  clusterIP: 10.96.60.10
  selector:
    app: web-frontend
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: staging
  labels:
    app.kubernetes.io/name: api
spec:
  type: ClusterIP
  clusterIP: 10.96.60.20
  selector:
    app: api
  ports:
    - name: http
      port: 8080
      targetPort: http
      protocol: TCP
    - name: metrics
      port: 9090
      targetPort: metrics
      protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: staging
  annotations:
    description: Deny all incoming traffic to staging pods unless another policy allows it.
spec:
  podSelector: {}
  policyTypes:
    - Ingress
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-ingress-controller-to-web-frontend
  namespace: staging
  annotations:
    description: Let the ingress-nginx controller reach the staging web-frontend pods on TCP 8080.
spec:
  podSelector:
    matchLabels:
      app: web-frontent
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ingress-nginx
      ports:
        - protocol: TCP
          port: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web-frontend-to-api
  namespace: staging
  annotations:
    description: Let the staging web-frontend call the staging api on its named port http.
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web-frontend
      ports:
        - protocol: TCP
          port: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-prometheus-scrape
  namespace: staging
  annotations:
    description: Let Prometheus in the monitoring namespace scrape the staging api's named port metrics (9090).
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              team: observability
          podSelector:
            matchLabels:
              app: prometheus
      ports:
        - protocol: TCP
          port: metrics
`;
