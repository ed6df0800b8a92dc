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
