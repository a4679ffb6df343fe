/** The subset of JSON Schema our contracts use; small enough to check compatibility by hand. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null' | Array<string>;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: Array<string | number | null>;
  format?: string;
  pattern?: string;
  additionalProperties?: boolean;
  description?: string;
  /**
   * Personal data (names of persons, phones, emails, birthdays): stored and published sealed
   * with the customer's key, as a string `sealed:v1:…`, unreadable once the key is erased.
   */
  'x-personal-data'?: boolean;
}

export interface EventContract {
  type: string;
  version: number;
  schema: JsonSchema;
}
