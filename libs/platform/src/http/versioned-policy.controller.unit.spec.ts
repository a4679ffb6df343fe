import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PARAMTYPES_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ROLES_KEY } from '../auth/auth.decorators';
import { RuleChangeOptions } from '../eventing/versioned-rules';
import { mergeSent, RuleSet, versionedPolicyController, VersionedPolicyHttp } from './versioned-policy.controller';
import { PlatformRequest } from './platform-request';

interface Limits { version: number; rules: { soft: number; hard: number } }
type LimitRules = Limits['rules'];

class LimitsDto {
  soft?: number;
  hard?: number;
}

/** A rule set in memory: version 3 in force; a change records the next version when the rules differ. */
class LimitPolicies implements RuleSet<Limits, LimitRules> {
  state: Limits = { version: 3, rules: { soft: 10, hard: 20 } };
  changes: Array<{ rules: LimitRules; options: RuleChangeOptions }> = [];

  async current() {
    return structuredClone(this.state);
  }

  async change(rules: LimitRules, options: RuleChangeOptions) {
    this.changes.push({ rules, options });
    const changed = JSON.stringify(rules) !== JSON.stringify(this.state.rules);
    if (changed) this.state = { version: this.state.version + 1, rules };
    return { version: this.state.version, changed };
  }
}

type Handler = (...args: unknown[]) => Promise<unknown>;
const clock = { now: () => ({ now: '2026-03-02T08:00:00.000Z', today: '2026-03-02' }) };
const request = { actor: { id: 'li.wei@example.cn', roles: ['admin'] }, correlationId: 'conv-1', requestId: 'req-1' } as PlatformRequest;

function limitsController(overrides: Partial<VersionedPolicyHttp<Limits, LimitRules, LimitsDto>['change']> & Pick<VersionedPolicyHttp<Limits, LimitRules, LimitsDto>, 'handlerNames'> = {}) {
  const { handlerNames, ...change } = overrides;
  return versionedPolicyController<Limits, LimitRules, LimitsDto>({
    path: 'v1/limits/policy', tag: 'limits', policies: LimitPolicies, handlerNames,
    read: { answer: { type: 'object' }, summary: 'The limits in force', roles: ['sales'], view: ({ version, rules }) => ({ version, ...rules }) },
    change: { answer: { type: 'object' }, summary: 'Change the limits', roles: ['admin'], body: LimitsDto, echoRules: true,
      rules: (body, { rules }) => mergeSent(rules, body), ...change },
  });
}

describe('versionedPolicyController', () => {
  it('answers the version in force as its view, and records a merge of what a PUT sent with the request\'s metadata, the clock and the key', async () => {
    const policies = new LimitPolicies();
    const controller = new (limitsController())(policies, clock) as Record<string, Handler>;
    expect(await controller.current()).toEqual({ version: 3, soft: 10, hard: 20 });

    const body = Object.assign(new LimitsDto(), { hard: 25, soft: undefined });
    expect(await controller.change(body, request, 'scoped:key-1')).toEqual({ version: 4, changed: true, soft: 10, hard: 25 });
    expect(policies.changes).toEqual([{
      rules: { soft: 10, hard: 25 },
      options: { metadata: { actor: request.actor, correlationId: 'conv-1', causationId: 'req-1' }, now: '2026-03-02T08:00:00.000Z', today: '2026-03-02',
        idempotencyKey: 'scoped:key-1', request: body },
    }]);
    expect(await controller.change(body, request)).toEqual({ version: 4, changed: false, soft: 10, hard: 25 });
  });

  it('answers only the version and whether it changed unless it echoes the rules, and can bind a key to the command instead of the body', async () => {
    const policies = new LimitPolicies();
    const controller = new (limitsController({ echoRules: false, idempotencyBinding: 'command' }))(policies, clock) as Record<string, Handler>;
    expect(await controller.change(Object.assign(new LimitsDto(), { soft: 12 }), request, 'scoped:key-2')).toEqual({ version: 4, changed: true });
    expect(policies.changes[0].options).not.toHaveProperty('request');
    expect(policies.changes[0].options.idempotencyKey).toBe('scoped:key-2');
  });

  it('routes GET and PUT on its path with each operation\'s roles, the PUT\'s body typed as its DTO, under the handler names given', () => {
    const Controller = limitsController({ handlerNames: { read: 'get', change: 'set' } });
    const { get, set } = Controller.prototype as Record<string, Handler>;
    expect(Reflect.getMetadata(PATH_METADATA, Controller)).toBe('v1/limits/policy');
    expect([get.name, Reflect.getMetadata(METHOD_METADATA, get), Reflect.getMetadata(ROLES_KEY, get)]).toEqual(['get', RequestMethod.GET, ['sales']]);
    expect([set.name, Reflect.getMetadata(METHOD_METADATA, set), Reflect.getMetadata(ROLES_KEY, set)]).toEqual(['set', RequestMethod.PUT, ['admin']]);
    // What the global ValidationPipe validates the body as, and the OpenAPI document shows.
    expect(Reflect.getMetadata(PARAMTYPES_METADATA, Controller.prototype, 'set')).toEqual([LimitsDto, Object, String]);
  });
});

describe('mergeSent', () => {
  it('keeps the current value of every field the request left out or sent as undefined', () => {
    expect(mergeSent({ a: 1, b: 2, c: 3 }, { b: 5, c: undefined })).toEqual({ a: 1, b: 5, c: 3 });
    expect(mergeSent({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});
