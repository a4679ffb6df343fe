/**
 * Returns a copy of `data` with `transform` applied to the string at each path; paths read
 * `contacts[].email` (every item of an array). Absent fields and non-strings are left alone.
 */
export function mapPersonalFields<T>(data: T, paths: string[], transform: (value: string) => string): T {
  return paths.reduce((current, path) => mapPath(current, segmentsOf(path), transform), data);
}

function segmentsOf(path: string): string[] {
  // `contacts[].email` → ['contacts', '[]', 'email']
  return path.split('.').flatMap((part) => (part.endsWith('[]') ? [part.slice(0, -2), '[]'].filter(Boolean) : [part]));
}

function mapPath(value: any, segments: string[], transform: (value: string) => string): any {
  if (segments.length === 0) return typeof value === 'string' ? transform(value) : value;
  const [head, ...rest] = segments;
  if (head === '[]') return Array.isArray(value) ? value.map((item) => mapPath(item, rest, transform)) : value;
  if (value === null || typeof value !== 'object' || !(head in value)) return value;
  return { ...value, [head]: mapPath(value[head], rest, transform) };
}

/** A copy of `value` with `transform` applied to every string in it, at any depth (keys untouched). */
export function mapEveryString<T>(value: T, transform: (value: string) => string): T {
  if (typeof value === 'string') return transform(value) as T;
  if (Array.isArray(value)) return value.map((item) => mapEveryString(item, transform)) as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapEveryString(v, transform)])) as T;
}
