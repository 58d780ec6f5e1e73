export * from './launch';
