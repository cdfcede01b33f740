export * from './accounts';
export * from './operators';
export * from './visitors';
export * from './chats';
export * from './files';
export * from './jobs';
export * from './mail';
export * from './team';
