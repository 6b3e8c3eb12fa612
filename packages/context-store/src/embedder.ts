/** Turns texts into fixed-size vectors. Its name and version are stored with a collection. */
export interface Embedder {
  readonly name: string;
  readonly version: string;
  readonly dim: number;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}
