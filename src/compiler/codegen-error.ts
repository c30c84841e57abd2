/** A training program the gpu backend cannot take (too large, past a backend's limits): `auto` trains on the reference instead. */
export class CodegenError extends Error {}
