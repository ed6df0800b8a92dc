// The part of the WebAssembly JS API the project uses (Node has it; the ES2023 lib this project types
// against does not), and compiling the modules whose bytes `npm run build:fft-wasm` embeds as base64.

export interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmInstance {
  exports: Record<string, unknown>;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A compiled module from an embedded source (fft-wasm.ts, logistic-wasm.ts). */
export function compileEmbedded(base64: string): object {
  return new wasm.Module(Buffer.from(base64, 'base64'));
}

/** Grows `memory`, if it must, to hold `bytes` from byte 0 (views taken on it before a growth are stale after). */
export function reserve(memory: WasmMemory, bytes: number): void {
  const pages = Math.ceil(bytes / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);
}

/** An instance of a compiled module that exports its own memory, the memory grown to hold `bytes`. */
export function instantiate(module: object, bytes: number): { memory: WasmMemory; exports: Record<string, unknown> } {
  const instance = new wasm.Instance(module, {});
  const memory = instance.exports.memory as WasmMemory;
  reserve(memory, bytes);
  return { memory, exports: instance.exports };
}

/** Instances of an embedded module (logistic-wasm.ts, mlp-wasm.ts…), compiled on the first call in each thread (none at start-up). */
export function embeddedKernel(base64: string): (bytes: number) => { memory: WasmMemory; exports: Record<string, unknown> } {
  let compiled: object | null = null;
  return (bytes) => instantiate((compiled ??= compileEmbedded(base64)), bytes);
}

/** Bump allocation in a module's memory, in 16-byte (SIMD-aligned) steps: each array's byte offset, and the total. */
export function bumpLayout(): { take: (bytes: number) => number; top: () => number } {
  let top = 0;
  return { take: (bytes) => { const at = top; top += (bytes + 15) & ~15; return at; }, top: () => top };
}
