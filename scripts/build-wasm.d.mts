/** The .wat file's module as bytes (SIMD on), assembled with wabt. */
export function assemble(watPath: string): Promise<Buffer>;
/** The generated TypeScript module embedding those bytes as base64 under `name`. */
export function render(name: string, watRel: string, bytes: Buffer): string;
