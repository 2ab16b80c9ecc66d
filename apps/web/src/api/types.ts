import type { paths } from './schema';

/**
 * The JSON body an operation answers with (200 or 201), from the generated schema. Operations whose
 * response the OpenAPI document does not describe yet fall back to `Undocumented`; once the api
 * documents them (webcontract.md) the types tighten and a mismatch breaks `npm run typecheck`.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: undocumented responses
export type Undocumented = any;

/** A free-form object (`additionalProperties: true`), or a list of them, says no more than an undocumented body. */
type IsFreeForm<B> = B extends readonly (infer E)[] ? IsFreeForm<E> : string extends keyof B ? true : false;
export type Described<B> = IsFreeForm<B> extends true ? Undocumented : B;
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? Described<B> : Undocumented;
type Responses<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R } ? R : never;
export type ResponseOf<P extends keyof paths, M extends keyof paths[P]> =
  Responses<P, M> extends { 200: infer R } ? JsonOf<R> : Responses<P, M> extends { 201: infer R } ? JsonOf<R> : Undocumented;
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { parameters: { query?: infer Q } }
  ? NonNullable<Q>
  : never;
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;
