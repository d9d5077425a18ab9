import { stringify } from 'yaml';
import { REPOSITORY } from '../../src/build-info.ts';
import { archiveName, binaryName, type Target } from './platforms.ts';

/** The license, in every archive (krew's index requires one). */
export const LICENSE_FILE = 'LICENSE';
/** The script kubectl (1.26+) runs to complete `kubectl netpol`; not for Windows. */
export const COMPLETION_FILE = 'kubectl_complete-netpol';

/** One archive of a release, as the manifest lists it. */
export interface ReleasedArchive {
  readonly target: Target;
  readonly sha256: string;
}

/** The files of the target's archive, in krew's `files` form. */
export function archiveFiles(target: Target): string[] {
  const unix = target.os !== 'windows';
  return [binaryName(target), ...(unix ? [COMPLETION_FILE] : []), LICENSE_FILE];
}

const DESCRIPTION = `Answers the NetworkPolicy questions people bring to a cluster: why can't
my frontend reach the API, what is this pod exposed to, who may talk to whom.
It evaluates networking.k8s.io/v1 NetworkPolicies exactly as Kubernetes
defines them and explains every verdict: which policy and rule allowed a
flow, or what isolates it and why each rule missed.

  kubectl netpol                        # interactive UI (k9s-style keys)
  kubectl netpol check SRC DST --port P # can SRC reach DST? exit 0 yes, 1 no
  kubectl netpol explain POD            # what a pod may receive and send
  kubectl netpol matrix -n NS           # who may talk to whom
  kubectl netpol scaffold default-deny  # write a correct policy
  kubectl netpol audit                  # find mistakes and gaps, with fixes

It reads the current kube context, manifests (-f) or a demo cluster (--demo).
`;

/** The krew plugin manifest of a release (`version` with its `v`), as YAML. */
export function krewManifest(version: string, archives: readonly ReleasedArchive[]): string {
  const document = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'netpol' },
    spec: {
      version,
      homepage: REPOSITORY,
      shortDescription: 'Explain, check and scaffold NetworkPolicies',
      description: DESCRIPTION,
      platforms: archives.map(({ target, sha256 }) => ({
        selector: { matchLabels: { os: target.os, arch: target.arch } },
        uri: `${REPOSITORY}/releases/download/${version}/${archiveName(target, version)}`,
        sha256,
        bin: binaryName(target),
        files: archiveFiles(target).map((file) => ({ from: file, to: '.' })),
      })),
    },
  };
  return stringify(document, { blockQuote: 'literal', lineWidth: 0 });
}
