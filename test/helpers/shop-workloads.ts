/** A Deployment in namespace shop with `replicas`, whose pods (label app=NAME) declare TCP 8080. */
export const shopDeployment = (name: string, replicas: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  replicas: ${replicas}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: main, image: nginx, ports: [{containerPort: 8080}]}]}`;

/** The NetworkPolicy shop/api-from-web: the app=api pods admit the app=web pods, on every port. */
export const API_FROM_WEB = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]`;
