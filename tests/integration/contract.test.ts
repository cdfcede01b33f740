/**
 * Convention tests generated from the contracts (#5): every command and route of every feature —
 * including those later issues add — is checked here without anyone remembering to: it has a
 * handler, a schema and a role; a garbage payload is refused with `validation_failed`; another
 * account's ids are `not_found`; an operator below the minimum role gets `forbidden`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api } from '../../shared/api';
import { ROLE_RANK, routePath, type CommandMap, type RouteSpec } from '../../shared/contract';
import { contracts, operatorCommands, visitorCommands } from '../../shared/events';
import { features } from '../../server/src/features/index';
import { PNG, upload } from '../support/files';
import { api as rest, Harness, newClientId } from '../support/server';

const h = new Harness();
afterEach(() => h.closeAll());

type Emit = { emitWithAck(ev: string, ...args: unknown[]): Promise<{ ok: boolean; data?: unknown; error?: { code: string } }> };

/** Ids of account A's things, by the payload field that names them. */
type Ids = Record<string, string>;

/**
 * A valid payload for `schema` (a zod object) built from its JSON Schema, with ids from `ids`.
 * A field the builder can't fill fails the test: a new feature then adds its case here.
 */
function samplePayload(schema: z.ZodType, ids: Ids): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string; format?: string; enum?: unknown[] }>;
    required?: string[];
  };
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(json.properties ?? {})) {
    if (key in ids) out[key] = ids[key];
    else if (key === 'clientId') out[key] = newClientId();
    else if (prop.format === 'uuid') throw new Error(`samplePayload: no id for ${key}`);
    else if (prop.format === 'email' || key === 'email') out[key] = 'someone@example.com';
    else if (key === 'url') out[key] = 'https://a.example/page';
    else if (prop.format === 'date-time') out[key] = new Date().toISOString();
    else if (prop.enum) out[key] = prop.enum[0];
    else if (prop.type === 'string') out[key] = 'hello';
    else if (prop.type === 'number' || prop.type === 'integer') out[key] = 0;
    else if (prop.type === 'boolean') out[key] = true;
    else if (json.required?.includes(key)) throw new Error(`samplePayload: can't fill ${key}`);
  }
  return out;
}

/** Commands whose payload names a thing by id: they are the tenancy cases. */
const takesId = (schema: z.ZodType) =>
  Object.values(
    (z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }) as { properties?: Record<string, { format?: string }> }).properties ?? {},
  ).some((p) => p.format === 'uuid');

async function accountWithChat() {
  const server = await h.server();
  const a = await h.operator(server, { account: 'A' });
  const visitor = await h.connectVisitor(server, a.account.id);
  const started = await visitor.socket.emitWithAck('chat:start', { clientId: newClientId(), name: 'Alice', email: 'alice@example.com', question: 'hi' });
  if (!started.ok) throw new Error('chat:start failed');
  const uploaded = await upload(server.url, { token: visitor.session.visitorToken, conversationId: started.data.conversation.id, name: 'a.png', bytes: PNG });
  if (uploaded.status !== 201) throw new Error('upload failed');
  // A5: the Team routes name an operator and an open invitation of account A.
  const invited = await rest<{ id: string }>(server.url, 'POST', '/api/team/invitations', { email: 'invitee@example.com', role: 'operator' }, a.token);
  if (invited.status !== 201) throw new Error('invite failed');
  // P10: a canned response of account A (personal: the admin's own).
  const canned = await a.socket.emitWithAck('canned:create', { shortcut: 'price', title: 'Prices', body: 'See our prices' });
  if (!canned.ok) throw new Error('canned:create failed');
  // A1 (#6): a department of account A.
  const department = await rest<{ id: string }>(server.url, 'POST', '/api/departments', { name: 'Sales' }, a.token);
  if (department.status !== 201) throw new Error('department failed');
  // P4: the invitation rule routes name a rule of account A.
  const rule = await rest<{ id: string }>(server.url, 'POST', '/api/invitation-rules', { name: 'Pricing', message: 'Hi!', urlPattern: '/pricing' }, a.token);
  if (rule.status !== 201) throw new Error('rule failed');
  // W3: an internal chat of account A (the admin and a colleague).
  const colleague = await h.colleague(server, a.account.id);
  const teamChat = await a.socket.emitWithAck('teamchat:start', { operatorId: colleague.operator.id });
  if (!teamChat.ok) throw new Error('teamchat:start failed');
  const ids: Ids = {
    teamChatId: teamChat.data.chat.id,
    ruleId: rule.body.id,
    cannedId: canned.data.id,
    conversationId: started.data.conversation.id,
    visitorId: visitor.session.visitorId,
    fileId: uploaded.body.file.id,
    operatorId: a.admin.id,
    invitationId: invited.body.id,
    departmentId: department.body.id,
  };
  return { server, a, visitor, ids };
}

// Dozens of commands and routes per test, one after another.
describe('the contract (#5)', { timeout: 90_000 }, () => {
  it('binds every command of every feature to a handler with a rate limit, a schema and a role, and no name twice', () => {
    const bound = { visitor: new Map<string, string>(), operator: new Map<string, string>() };
    for (const feature of features) {
      for (const [side, commands] of [
        ['visitor', feature.visitorCommands],
        ['operator', feature.operatorCommands],
      ] as const) {
        if (!commands) continue;
        expect(Object.keys(commands.handlers).sort(), `${feature.name}: handlers = contract`).toEqual(Object.keys(commands.contract).sort());
        for (const [event, spec] of Object.entries(commands.contract)) {
          expect(bound[side].has(event), `${event} is declared by ${bound[side].get(event)} and ${feature.name}`).toBe(false);
          bound[side].set(event, feature.name);
          expect(event, 'noun:verb').toMatch(/^[a-z]+:[a-z]+$/);
          expect(spec.payload, `${event} has a schema`).toBeInstanceOf(z.ZodType);
          expect(side === 'visitor' ? spec.role === 'visitor' : spec.role in ROLE_RANK, `${event}: role ${spec.role}`).toBe(true);
          expect(commands.handlers[event]?.limit, `${event} has a rate limit`).toBeTruthy();
        }
      }
    }
    // Every command of every contract file is served by some feature.
    for (const [side, all] of [
      ['visitor', visitorCommands],
      ['operator', operatorCommands],
    ] as const) {
      expect([...bound[side].keys()].sort()).toEqual(Object.keys(all as CommandMap).sort());
    }
    for (const [name, contract] of Object.entries(contracts)) expect(Object.keys(contract).length, name).toBeGreaterThan(0);
  });

  it('refuses a garbage payload of every command with validation_failed', async () => {
    const { server, a, visitor } = await accountWithChat();
    for (const [socket, commands] of [
      [visitor.socket, visitorCommands],
      [a.socket, operatorCommands],
    ] as const) {
      for (const event of Object.keys(commands)) {
        const res = await (socket as unknown as Emit).emitWithAck(event, 'garbage');
        expect(res, event).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
      }
    }
    // REST: every route with a body or params, with junk in them.
    for (const spec of Object.values(api).flatMap((routes) => Object.values(routes) as RouteSpec[])) {
      if (!spec.body && !spec.params) continue;
      const path = spec.params ? routePath(spec.path, Object.fromEntries(Object.keys((spec.params as z.ZodObject).shape).map((k) => [k, 'junk']))) : spec.path;
      const res = await rest<{ error: { code: string } }>(server.url, spec.method, path, spec.body ? ['junk'] : undefined, a.token);
      expect(res.body.error.code, `${spec.method} ${spec.path}`).toBe('validation_failed');
    }
  });

  it("answers not_found for another account's ids on every id-taking command, and changes nothing", async () => {
    const { server, a, visitor, ids } = await accountWithChat();
    const b = await h.operator(server, { account: 'B' });
    const intruder = await h.connectVisitor(server, a.account.id);
    // The intruder is a visitor of account A: the department it names is account B's (#6).
    const theirs = await rest<{ id: string }>(server.url, 'POST', '/api/departments', { name: 'Theirs' }, b.token);
    const before = await a.socket.emitWithAck('chat:get', { conversationId: ids.conversationId! });

    const checked: string[] = [];
    for (const [socket, commands, theirIds] of [
      [intruder.socket, visitorCommands, { ...ids, departmentId: theirs.body.id }],
      [b.socket, operatorCommands, ids],
    ] as const) {
      for (const [event, spec] of Object.entries(commands as CommandMap)) {
        if (!takesId(spec.payload)) continue;
        const res = await (socket as unknown as Emit).emitWithAck(event, samplePayload(spec.payload, theirIds));
        expect(res, `${event} with another account's (or visitor's) ids`).toMatchObject({ ok: false, error: { code: 'not_found' } });
        checked.push(event);
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(10);
    // REST routes with ids in their path, as another account's admin.
    for (const spec of Object.values(api).flatMap((routes) => Object.values(routes) as RouteSpec[])) {
      if (!spec.params) continue;
      const params = samplePayload(spec.params, ids) as Record<string, string>;
      const res = await rest<{ error: { code: string } }>(server.url, spec.method, routePath(spec.path, params), undefined, b.token);
      expect(res.status, `${spec.method} ${spec.path}`).toBe(404);
    }
    const after = await a.socket.emitWithAck('chat:get', { conversationId: ids.conversationId! });
    expect(after).toEqual(before);
    expect(visitor.socket.connected).toBe(true);
  });

  it('refuses every command and route above an operator’s role with forbidden, before reading its input', async () => {
    const { server, a, ids } = await accountWithChat();
    const colleague = await h.colleague(server, a.account.id);
    let refused = 0;
    for (const [event, spec] of Object.entries(operatorCommands as CommandMap)) {
      if (spec.role === 'operator') continue;
      const res = await (colleague.socket as unknown as Emit).emitWithAck(event, 'garbage');
      expect(res, event).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      refused++;
    }
    for (const spec of Object.values(api).flatMap((routes) => Object.values(routes) as RouteSpec[])) {
      if (spec.role === 'public' || spec.role === 'operator') continue;
      const params = spec.params ? (samplePayload(spec.params, ids) as Record<string, string>) : {};
      const res = await rest<{ error: { code: string } }>(
        server.url,
        spec.method,
        routePath(spec.path, params),
        spec.body ? { junk: true } : undefined,
        colleague.token,
      );
      expect([res.status, res.body.error.code], `${spec.method} ${spec.path}`).toEqual([403, 'forbidden']);
      refused++;
    }
    expect(refused).toBeGreaterThanOrEqual(2);
    // And the visitor the admin could forget is still there.
    const list = await a.socket.emitWithAck('visitor:list', {});
    expect(list.ok && list.data.some((v) => v.id === ids.visitorId)).toBe(true);
  });
});
