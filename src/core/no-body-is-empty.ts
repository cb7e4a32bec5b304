import type { FastifyRequest } from 'fastify';

/** preValidation for routes whose body fields are all optional: no body at all means `{}`. */
export async function noBodyIsEmpty(request: FastifyRequest): Promise<void> {
  request.body ??= {};
}
