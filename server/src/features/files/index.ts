/** Files in chats (P7, #5): upload, type and size limits, signed downloads; the chats feature attaches them to messages. */
import { defineFeature } from '../feature';
import { fileRoutes } from './routes';
import { sweepAccountFiles } from './service';
import { FileStorage } from './storage';

export const files = defineFeature({
  name: 'files',
  routes: (ctx) => fileRoutes(ctx, new FileStorage(ctx.config)),
  listen: (ctx) => {
    // The rows went with the visitor's conversations (cascade); the bytes go from disk now.
    ctx.events.on('visitor.forgotten', ({ accountId }) => sweepAccountFiles(ctx, new FileStorage(ctx.config), accountId));
  },
});
