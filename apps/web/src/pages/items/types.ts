import type { ResponseOf } from '../../api/types';

export type ItemDetail = ResponseOf<'/api/items/{id}', 'get'>;
export type ItemHistory = ResponseOf<'/api/items/{id}/history', 'get'>;
export type ItemActions = ResponseOf<'/api/items/{id}/actions', 'get'>;

/** A row of an undocumented response (see api/types.ts); typed once the api documents it. */
export type Row = Record<string, ResponseOf<'/api/items/{id}', 'get'>>;
