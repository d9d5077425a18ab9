import type { TemplateArgName } from '../engine/index.js';
import type { TemplateArgError } from '../syntax/scaffold-args.js';

/** How the caller names a template argument to the user: a flag (`--from`) or a form field. */
export type ArgNamer = (arg: TemplateArgName) => string;

/** A template argument as its command-line flag: `fromNamespace` is `--from-namespace`. */
export function argFlag(arg: TemplateArgName): string {
  return `--${arg.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** One line saying why a template argument cannot be used, in the caller's names for them. */
export function templateArgErrorText(error: TemplateArgError, nameOf: ArgNamer): string {
  const name = nameOf(error.arg);
  switch (error.kind) {
    case 'syntax':
      return `${name} ${error.value}: ${error.message}`;
    case 'other-direction':
      return `${name} does not apply to ${error.direction}: its peers are ${error.peers.map(nameOf).join(', ')}`;
    case 'except-without-cidr':
      return `${name} needs ${nameOf(error.cidr)} to leave addresses out of`;
    case 'dns-without-egress':
      return `${name} allows DNS egress, but ${nameOf('direction')} ${error.direction} denies no egress`;
    case 'not-for-template':
      return `${name} does not apply to ${error.template}: it denies every port`;
  }
}
