import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath, type ApiResponseSchemaHost } from '@nestjs/swagger';

type SchemaObject = ApiResponseSchemaHost['schema'];

/** The one error shape of every 4xx and 5xx answer. */
export class ErrorBodyDto {
  @ApiProperty({ example: 'VALIDATION_FAILED' }) code: string;
  @ApiProperty({ example: 'The request has invalid fields' }) message: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Specifics: fields (field, messages) for validation failures, currentVersion for a conflict…',
  })
  details: Record<string, unknown> | null;
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

/** A successful answer: a DTO class, an array of one, a raw schema, or null for 204 No Content. */
export type Answer = Type | [Type] | SchemaObject | null;

const isSchema = (a: Answer): a is SchemaObject => a !== null && !Array.isArray(a) && typeof a === 'object';

/**
 * Documents what an operation answers: its success body (status 200 unless given; 204 for null)
 * and the error answers specific to it, all in the {code, message, details} shape. The errors every
 * operation can give (400, 401, 403, 404, 503) are added to the whole document by mountApiDocs.
 */
export function ApiAnswers(answer: Answer, errors: Partial<Record<ErrorStatus, string>> = {}, status?: number): MethodDecorator {
  const success =
    answer === null
      ? ApiResponse({ status: status ?? 204, description: 'Done (no content)' })
      : isSchema(answer)
        ? ApiResponse({ status: status ?? 200, description: 'OK', schema: answer })
        : ApiResponse({ status: status ?? 200, description: 'OK', type: answer });
  return applyDecorators(success, ApiErrors(errors));
}

/** Documents the error answers specific to an operation, in the one error shape. */
export function ApiErrors(errors: Partial<Record<ErrorStatus, string>>): MethodDecorator {
  const responses = Object.entries(errors).map(([code, description]) =>
    ApiResponse({ status: Number(code), description, schema: { $ref: getSchemaPath(ErrorBodyDto) } }),
  );
  return applyDecorators(ApiExtraModels(ErrorBodyDto), ...responses);
}
