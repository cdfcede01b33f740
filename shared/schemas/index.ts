export * from './common';
export * from './auth';
export * from './accounts';
export * from './visitors';
export * from './chats';
export * from './files';
export * from './mail';
export * from './team';
