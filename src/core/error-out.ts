import { Type } from 'typebox';

/** The body of every 4xx and 5xx answer (see http/error-handler.ts). */
export const ErrorOut = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  }),
});
