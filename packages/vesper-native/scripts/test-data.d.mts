/** mulberry32: floats in [0, 1) from a seed. */
export declare function rng(seed: number): () => number;
/** Clustered vectors (a few centroids plus noise). */
export declare function clusteredVectors(n: number, dim: number, clusters: number, seed: number): Float32Array[];
