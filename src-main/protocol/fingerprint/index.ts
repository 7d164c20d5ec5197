export * from './text-rules.js';
export * from './device.js';
export * from './rules.js';
export * from './weights.js';
export * from './hardware-id.js';
