export * from './config.js';
export * from './batch-id.js';
export * from './packer.js';
export * from './mqtt-uplink.js';
export * from './downlink-store.js';
export * from './vehicle-info.js';
export * from './agent.js';
