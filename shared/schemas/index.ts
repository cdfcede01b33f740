export * from './common';
export * from './auth';
export * from './visitors';
export * from './chats';
