/**
 * The only two IPC channels between the window and the main process. Both ends import these
 * constants; the method name travels as data and is checked against the contract.
 */
export const INVOKE_CHANNEL = 'visionbench:invoke';
export const EVENT_CHANNEL = 'visionbench:event';
