export * from './triggers';
export * from './scaled-object';
export * from './trigger-authentication';
