/** The parts of an OpenAPI 3.0 document the fuzzer reads. */
export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  minItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  nullable?: boolean;
  $ref?: string;
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

/** One documented operation, resolved for case generation. */
export interface FuzzOperation {
  /** `METHOD /template`, e.g. `POST /v1/members/{id}/remove`. */
  key: string;
  method: string;
  template: string;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  headerParams: OpenApiParameter[];
  /** The JSON body schema with `$ref`s resolved, when the operation takes one. */
  body?: JsonSchema;
  /** Whether the document asks for credentials. */
  secured: boolean;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Inlines `#/components/schemas/...` references (the documents have no cycles in request bodies). */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema, depth = 0): JsonSchema {
  if (depth > 20) throw new Error('schema nesting too deep (cyclic $ref?)');
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() ?? '';
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolvable $ref ${schema.$ref}`);
    return resolveSchema(document, target, depth + 1);
  }
  const resolved: JsonSchema = { ...schema };
  if (schema.items) resolved.items = resolveSchema(document, schema.items, depth + 1);
  if (schema.properties) {
    resolved.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, property]) => [name, resolveSchema(document, property, depth + 1)]));
  }
  return resolved;
}

/** Every operation of the document, in document order. */
export function operationsOf(document: OpenApiDocument): FuzzOperation[] {
  const operations: FuzzOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      const parameters = operation.parameters ?? [];
      const jsonBody = operation.requestBody?.content['application/json']?.schema;
      operations.push({
        key: `${method.toUpperCase()} ${template}`,
        method: method.toUpperCase(),
        template,
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        headerParams: parameters.filter((p) => p.in === 'header'),
        body: jsonBody ? resolveSchema(document, jsonBody) : undefined,
        secured: (operation.security ?? []).length > 0,
      });
    }
  }
  return operations;
}
