export * from './args';
export * from './merge';
export * from './outcome';
export * from './package';
export * from './queue';
export * from './run';
export * from './firstBuild';
