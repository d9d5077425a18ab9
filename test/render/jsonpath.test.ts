import { describe, expect, it } from 'vitest';
import { jsonPathText } from '../../src/render/jsonpath.js';
import { JsonPathSyntaxError } from '../../src/syntax/jsonpath-syntax.js';

/** The document of kubectl's JSONPath reference page. */
const LIST = {
  kind: 'List',
  items: [
    {
      kind: 'None',
      metadata: { name: '127.0.0.1', labels: { 'kubernetes.io/hostname': '127.0.0.1' } },
      status: {
        capacity: { cpu: '4' },
        addresses: [{ type: 'LegacyHostIP', address: '127.0.0.1' }],
      },
    },
    {
      kind: 'None',
      metadata: { name: '127.0.0.2' },
      status: {
        capacity: { cpu: '8' },
        addresses: [
          { type: 'LegacyHostIP', address: '127.0.0.2' },
          { type: 'another', address: '127.0.0.3' },
        ],
      },
    },
  ],
  users: [
    { name: 'myself', user: {} },
    { name: 'e2e', user: { username: 'admin', password: 'secret' } },
  ],
};

describe('kubectl JSONPath templates', () => {
  it.each([
    ['kind is {.kind}', 'kind is List'],
    ['{$.kind}', 'List'],
    ["{['kind']}", 'List'],
    ['{..name}', '127.0.0.1 127.0.0.2 myself e2e'],
    ['{.items[*].metadata.name}', '127.0.0.1 127.0.0.2'],
    ['{.users[0].name}', 'myself'],
    ['{.users[-1].name}', 'e2e'],
    ['{.users[0:1].name}', 'myself'],
    ['{.items[*].status.addresses[1:].address}', '127.0.0.3'],
    [
      "{.items[*]['metadata.name', 'status.capacity']}",
      '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}',
    ],
    ["{.items[0].metadata.labels['kubernetes\\.io/hostname']}", '127.0.0.1'],
    ['{.items[*].metadata.labels.kubernetes\\.io/hostname}', '127.0.0.1'],
    ['{.users[?(@.name=="e2e")].user.password}', 'secret'],
    ["{.users[?(@.name!='e2e')].name}", 'myself'],
    ['{.users[?(@.user.password)].name}', 'e2e'],
    ['{.items[?(@.status.capacity.cpu>"5")].metadata.name}', '127.0.0.2'],
    [
      '{range .items[*]}[{.metadata.name}, {.status.capacity.cpu}] {end}',
      '[127.0.0.1, 4] [127.0.0.2, 8] ',
    ],
    ['{range .users}{.name}{"\\n"}{end}', 'myself\ne2e\n'],
    [
      '{range .items[*]}{.metadata.name}:{range .status.addresses[*]} {.address}{end};{end}',
      '127.0.0.1: 127.0.0.1;127.0.0.2: 127.0.0.2 127.0.0.3;',
    ],
    ['{.users[1].user}', '{"username":"admin","password":"secret"}'],
    ['{"a\\tb"}', 'a\tb'],
    ['no action', 'no action'],
  ])('%s', (template, expected) => {
    expect(jsonPathText(template, LIST)).toBe(expected);
  });

  it('prints nothing for a missing key or index, as kubectl does by default', () => {
    expect(jsonPathText('[{.nothing.here}][{.users[7].name}][{.kind.deeper}]', LIST)).toBe(
      '[][][]',
    );
  });

  it('prints numbers and booleans as JSON', () => {
    expect(jsonPathText('{.n} {.b} {.list}', { n: 3, b: false, list: [1, 'x'] })).toBe(
      '3 false [1,"x"]',
    );
  });

  it('compares numbers in filters', () => {
    const doc = {
      pods: [
        { n: 'a', port: 80 },
        { n: 'b', port: 443 },
      ],
    };
    expect(jsonPathText('{.pods[?(@.port>=100)].n}', doc)).toBe('b');
    expect(jsonPathText('{.pods[?(@.port==80)].n}', doc)).toBe('a');
  });

  it('escapes control characters of values, not of the template', () => {
    expect(jsonPathText('{.v}{"\\n"}', { v: 'x\u001b[2Jy' })).toBe('x\\x1b[2Jy\n');
  });

  it.each([
    ['{.kind', 'unclosed action'],
    ['{end}', 'not in range, nothing to end'],
    ['{range .items[*]}{.kind}', 'unclosed range, expect {end}'],
    ['{.items[0}', 'unclosed array expect ]'],
    ['{.kind!}', "unrecognized character in action: U+0021 '!'"],
    ['{.users[?(@.name=="e2e"]}', 'unclosed filter, expect )'],
  ])('rejects %s: %s', (template, reason) => {
    expect(() => jsonPathText(template, LIST)).toThrow(new JsonPathSyntaxError(reason));
  });
});
