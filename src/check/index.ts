export * from './checker';
export * from './plugin';
