/**
 * What a feature is to the server (#5): its folder exports one `Feature`, and
 * `features/index.ts` lists them. The app mounts its routes, registers its socket commands from
 * its contract (`shared/events/<feature>.ts`: a command without a handler does not compile),
 * calls its connection hooks, and lets it subscribe to other features' events (after commit).
 */
import type { Router } from 'express';
import type { z } from 'zod';
import type { CommandMap } from '../../../shared/contract';
import type { OperatorActor, VisitorActor } from '../access/actor';
import type { AppContext } from '../context';
import type { JobDefinition } from '../jobs/define';
import type { CommandLimitName } from '../limits/commands';
import type { OperatorSocket, VisitorSocket } from '../realtime/io';

/** The server's half of one command: its rate-limit class and what it does. */
export interface CommandHandler<I, R, A, S> {
  /** limits/commands.ts: counted per socket and per actor before anything else (#4). */
  limit: CommandLimitName;
  run(ctx: AppContext, actor: A, input: I, socket: S): Promise<R>;
}

export type CommandHandlers<M extends CommandMap, A, S> = {
  [K in keyof M]: CommandHandler<z.output<M[K]['payload']>, M[K]['result'], A, S>;
};

/** A contract bound to its handlers, as the namespaces register them. */
export interface BoundCommands<A, S> {
  contract: CommandMap;
  handlers: Record<string, CommandHandler<unknown, unknown, A, S>>;
}

/** Binds every command of `contract` to its handler; TypeScript refuses a missing or extra one. */
export function commands<M extends CommandMap, A, S>(contract: M, handlers: CommandHandlers<M, A, S>): BoundCommands<A, S> {
  return { contract, handlers: handlers as unknown as BoundCommands<A, S>['handlers'] };
}

export interface Feature {
  name: string;
  /** REST (and page) routes, mounted at the root: the paths are absolute (shared/api/<feature>.ts). */
  routes?(ctx: AppContext): Router;
  /** Widget commands on `/visitor`, always on behalf of the socket's own visitor. */
  visitorCommands?: BoundCommands<VisitorActor, VisitorSocket>;
  /** Panel commands on `/operator`, within the operator's account, from their minimum role up. */
  operatorCommands?: BoundCommands<OperatorActor, OperatorSocket>;
  /** After a widget connected and its commands are registered (rooms, `session:started`). */
  onVisitorConnection?(ctx: AppContext, socket: VisitorSocket, actor: VisitorActor): void;
  onOperatorConnection?(ctx: AppContext, socket: OperatorSocket, actor: OperatorActor): void;
  /** Subscribes to other features' events (`ctx.events.on(...)`): once, when the app is built. */
  listen?(ctx: AppContext): void;
  /** Durable job kinds it enqueues (`ctx.jobs.enqueue`, jobs/define.ts): every node registers them to run them. */
  jobs?: JobDefinition[];
}

/** Types a feature's definition; the value is returned as is. */
export const defineFeature = (feature: Feature): Feature => feature;
