/**
 * Transcripts (V2, #5): "email me the transcript" at the end of a chat: the public messages,
 * rendered when the durable `transcript.send` job runs and mailed through `mail.send`.
 */
import { defineFeature } from '../feature';
import { visitorTranscriptCommands } from './handlers';
import { transcriptSendJob } from './job';

export const transcripts = defineFeature({
  name: 'transcripts',
  visitorCommands: visitorTranscriptCommands,
  jobs: [transcriptSendJob],
});
