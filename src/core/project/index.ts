export * from './templates';
export { BLUETOOTH_VERSION } from './bluetoothModule';
