/**
 * Public surface of the backend layer: choose and start a TF.js backend
 * (with our wasm training kernels), and stop wasm threads when done.
 */
export { initBackend } from './selectBackend';
export type { BackendAttempt, BackendName, InitBackendOptions, SelectedBackend } from './selectBackend';
export { shutdownWasmThreads } from './wasmThreads';
export { registerWasmTrainingKernels, restoreBuiltinWasmKernels } from './wasm/registerKernels';
