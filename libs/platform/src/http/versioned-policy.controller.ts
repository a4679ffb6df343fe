import { Body, Controller, Get, Headers, Inject, Put, Req, Type } from '@nestjs/common';
import { PARAMTYPES_METADATA } from '@nestjs/common/constants';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Roles } from '../auth/auth.decorators';
import { Role } from '../auth/roles';
import { BusinessClock } from '../clock/business-clock';
import { RuleChangeAnswer, RuleChangeOptions } from '../eventing/versioned-rules';
import { Answers } from './answers';
import { requestMetadata } from './command-context';
import { PlatformRequest } from './platform-request';

/** A versioned rule set as its HTTP face uses it: a VersionedRules provider. */
export interface RuleSet<S, R> {
  current(): Promise<S>;
  change(rules: R, options: RuleChangeOptions): Promise<RuleChangeAnswer>;
}

/** One operation's documentation and who may call it. */
interface PolicyOperation {
  /** The success body: a DTO class or a schema (as `Answers` takes them). */
  answer: Type<unknown> | SchemaObject;
  summary: string;
  roles: Role[];
}

export interface VersionedPolicyHttp<S, R, B> {
  path: string;
  /** The OpenAPI tag both operations are listed under. */
  tag: string;
  /** The rule set's provider class. */
  policies: Type<RuleSet<S, R>>;
  read: PolicyOperation & {
    /** The GET body made from the version in force; the state itself unless given. */
    view?: (state: S) => unknown;
  };
  change: PolicyOperation & {
    /** The PUT's DTO: validated by the global pipe and documented as the request body. */
    body: Type<B>;
    /** The rules a PUT proposes, from its body and the version in force (a merge, or the body alone). */
    rules: (body: B, current: S) => R;
    /** true: the answer is `{ version, changed, ...rules }`; false: `{ version, changed }`. */
    echoRules: boolean;
    /** The `idempotency-key` header's description in the document, if it has one. */
    idempotencyKey?: string;
    /**
     * What a reused Idempotency-Key's request must match: the body sent (default) or the
     * command's data, which is what the classification policy's stored keys are bound to.
     */
    idempotencyBinding?: 'body' | 'command';
  };
  /** The handlers' names, which make the OpenAPI operationIds (`<Controller>_<name>`); `current` and `change` unless published otherwise. */
  handlerNames?: { read: string; change: string };
}

/** `current` with the fields a merge-style PUT sent: a field left out (undefined) keeps its current value. */
export function mergeSent<T extends object>(current: T, sent: Partial<T> | undefined): T {
  return { ...current, ...Object.fromEntries(Object.entries(sent ?? {}).filter(([, v]) => v !== undefined)) };
}

/**
 * The one HTTP face of a versioned rule set: `GET <path>` answers the version in force,
 * `PUT <path>` records the rules it proposes as the next version (nothing when they are the
 * same), with an optional Idempotency-Key. A service's controller is a subclass, which names
 * it: `export class CreditPolicyController extends versionedPolicyController({ … }) {}`.
 */
export function versionedPolicyController<S, R, B extends object>(spec: VersionedPolicyHttp<S, R, B>): Type<object> {
  const read = spec.handlerNames?.read ?? 'current';
  const change = spec.handlerNames?.change ?? 'change';
  const { idempotencyKey: keyDescription } = spec.change;

  @ApiTags(spec.tag)
  @ApiBearerAuth()
  @Controller(spec.path)
  class VersionedPolicyController {
    constructor(@Inject(spec.policies) readonly policies: RuleSet<S, R>, readonly clock: BusinessClock) {}

    @Answers(spec.read.answer, { summary: spec.read.summary })
    @Get()
    @Roles(...spec.read.roles)
    async [read](): Promise<unknown> {
      const state = await this.policies.current();
      return spec.read.view ? spec.read.view(state) : state;
    }

    @Answers(spec.change.answer, { summary: spec.change.summary })
    @Put()
    @Roles(...spec.change.roles)
    @ApiHeader({ name: 'idempotency-key', required: false, ...(keyDescription ? { description: keyDescription } : {}) })
    async [change](@Body() body: B, @Req() request: PlatformRequest, @Headers('idempotency-key') idempotencyKey?: string): Promise<RuleChangeAnswer> {
      const rules = spec.change.rules(body, await this.policies.current());
      const { now, today } = this.clock.now();
      const bound = spec.change.idempotencyBinding === 'command' ? {} : { request: body };
      const answer = await this.policies.change(rules, { metadata: requestMetadata(request), now, today, idempotencyKey, ...bound });
      return spec.change.echoRules ? { ...answer, ...rules } : answer;
    }
  }
  // A generic parameter's design type is Object: the pipe validates, and the document shows,
  // the body as the DTO only when the metadata names it, as a written-out handler's would.
  Reflect.defineMetadata(PARAMTYPES_METADATA, [spec.change.body, Object, String], VersionedPolicyController.prototype, change);
  return VersionedPolicyController;
}
