// JSON schemas shared by routes (and so by the OpenAPI document).
export const ORG_QUERY = { org: { type: 'string', maxLength: 64, description: 'organisation (default: your first)' } } as const;

export const ERROR = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
      required: ['code', 'message'],
    },
  },
  required: ['error'],
} as const;

export const ENTITY_PARAM = {
  type: 'object',
  properties: { entity: { type: 'string', minLength: 1, maxLength: 300, description: 'domain, IP, or certificate SHA-1 / SHA-256' } },
  required: ['entity'],
} as const;

export const ID_PARAM = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 128 } },
  required: ['id'],
} as const;

export const TAG_VIEW = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    source: { type: 'string', enum: ['signature', 'manual'] },
    signature: { type: 'string' },
    field: { type: 'string' },
    value: { type: 'string' },
    signature_version: { type: 'integer' },
    pattern: { type: 'integer' },
    why: { type: 'string', description: 'why it matched, in words (look-alike hits: family and distance)' },
    first_matched: { type: 'string' },
    last_matched: { type: 'string' },
    pack: {
      type: 'object',
      description: 'a pack signature’s tag (docs/PACKS.md): the pack (PUBLISHER/NAME) and the pack version that made it',
      properties: { name: { type: 'string' }, version: { type: 'integer' } },
      required: ['name', 'version'],
    },
  },
  required: ['name', 'source'],
} as const;

export const CLASSIFICATION_VIEW = {
  type: ['object', 'null'],
  properties: { value: { type: 'string' }, source: { type: 'string' }, signature: { type: 'string' } },
} as const;
