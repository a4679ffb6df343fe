import { OpenAPIObject } from '@nestjs/swagger';
import { withProblemResponses } from './problem-openapi';

describe('problem responses in the OpenAPI document', () => {
  const document = () => ({
    openapi: '3.0.0', info: { title: 't', version: '1' }, components: {},
    paths: {
      '/v1/things': { post: { responses: { 201: { description: 'created' }, 400: { description: 'own 400' } } } },
      '/v1/things/{id}': { get: { responses: { 200: { description: 'ok' } } } },
      '/health/ready': { get: { responses: { 200: { description: 'ok' } } } },
    },
  }) as unknown as OpenAPIObject;

  it('adds the Problem schema and 400/401/403/default to operations, and 413/415/429 to writes, keeping what they declare', () => {
    const result = withProblemResponses(document());
    const responses = (result.paths['/v1/things'] as any).post.responses;
    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '403', '413', '415', '429', 'default']);
    expect(responses[429].headers['Retry-After'].schema).toEqual({ type: 'integer' });
    expect(Object.keys((result.paths['/v1/things/{id}'] as any).get.responses).sort()).toEqual(['200', '400', '401', '403', 'default']);
    expect(responses[400].description).toBe('own 400');
    expect(responses[401].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect((result.components!.schemas!.Problem as any).required).toEqual(['type', 'title', 'status']);
  });

  it('leaves the health probes alone', () =>
    expect(Object.keys((withProblemResponses(document()).paths['/health/ready'] as any).get.responses)).toEqual(['200']));
});
