/** The subset of JSON Schema our contracts use; small enough to check compatibility by hand. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null' | Array<string>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Array<string | number>;
  format?: string;
  pattern?: string;
  additionalProperties?: boolean;
  description?: string;
}

export interface EventContract {
  type: string;
  version: number;
  schema: JsonSchema;
}
