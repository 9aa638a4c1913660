import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import express from 'express';
import swaggerUi from 'swagger-ui-express';
import { answerClientErrorsAsJson } from './client-errors.js';
import { AccordExceptionFilter, bodyParserError, type StatusByCode } from './exception-filter.js';
import { assertJsonDepth } from './json-depth.js';
import { prototypeKeyIn } from './json-prototype-keys.js';
import { createValidationPipe } from './validation.js';

/** How an Accord app exposes its HTTP surface. */
export interface HttpSurfaceOptions {
  title: string;
  description: string;
  version: string;
  /** Largest accepted JSON body; larger ones get 413 `PAYLOAD_TOO_LARGE`. */
  maxBodyBytes: number;
  /** Domain error code → HTTP status, for codes that are not 422. */
  statusByCode?: StatusByCode;
  /** Adds bearer-token auth to the OpenAPI document. */
  bearerAuth?: boolean;
}

/**
 * Applies what both apps share: body limits, error mapping, DTO validation, and Swagger at
 * `/docs` (swagger-ui-express) and `/openapi.json`. The app must be created with
 * `bodyParser: false` so that the limit set here is the only JSON parser.
 */
export function configureHttpSurface(app: INestApplication, options: HttpSurfaceOptions): OpenAPIObject {
  answerClientErrorsAsJson(app.getHttpServer());
  app.use(
    express.json({
      limit: options.maxBodyBytes,
      strict: true,
      type: ['application/json', 'application/*+json'],
      verify: (_request, _response, body) => assertJsonDepth(body),
    }),
  );
  // Members the validation pipe would drop silently are refused like any other undeclared field.
  app.use((request: express.Request, response: express.Response, next: express.NextFunction) => {
    const key = prototypeKeyIn(request.body);
    if (key === undefined) return next();
    response.status(400).json({ code: 'VALIDATION_FAILED', message: `${key}: property ${key} should not exist` });
  });
  // Body-parser failures are answered here, with their own codes (MALFORMED_JSON,
  // PAYLOAD_TOO_LARGE...): past this point the framework re-wraps them as a generic 400.
  app.use((error: unknown, _request: express.Request, response: express.Response, next: express.NextFunction) => {
    const mapped = bodyParserError(error);
    if (!mapped) return next(error);
    response.status(mapped.status).json(mapped.body);
  });
  app.useGlobalFilters(new AccordExceptionFilter(options.statusByCode));
  app.useGlobalPipes(createValidationPipe());
  const document = buildOpenApiDocument(app, options);
  app.use('/openapi.json', (_req: express.Request, res: express.Response) => {
    res.json(document);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(document, { customSiteTitle: options.title }));
  return document;
}

/** The OpenAPI document of an app (also used to write a build-time `openapi.json`). */
export function buildOpenApiDocument(app: INestApplication, options: HttpSurfaceOptions): OpenAPIObject {
  let builder = new DocumentBuilder().setTitle(options.title).setDescription(options.description).setVersion(options.version);
  if (options.bearerAuth) builder = builder.addBearerAuth();
  return SwaggerModule.createDocument(app, builder.build());
}
