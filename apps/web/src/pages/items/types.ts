import type { ResponseOf } from '../../api/types';

export type ItemDetail = ResponseOf<'/api/items/{id}', 'get'>;
export type ItemHistory = ResponseOf<'/api/items/{id}/history', 'get'>;
export type ItemActions = ResponseOf<'/api/items/{id}/actions', 'get'>;
export type Evidence = ResponseOf<'/api/items/{id}/evidence', 'get'>[number];
