import * as contract from '../../../../shared/events/transcripts';
import type { VisitorActor } from '../../access/actor';
import type { VisitorSocket } from '../../realtime/io';
import { commands } from '../feature';
import { requestTranscript } from './service';

/** shared/events/transcripts.ts: always the socket's own visitor. */
export const visitorTranscriptCommands = commands<typeof contract.visitorCommands, VisitorActor, VisitorSocket>(contract.visitorCommands, {
  'transcript:send': { limit: 'visitor.transcript', run: (ctx, actor, input) => requestTranscript(ctx, actor, input) },
});
