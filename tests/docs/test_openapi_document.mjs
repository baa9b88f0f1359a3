// docs/openapi.json as a standard OpenAPI tool reads it: @apidevtools/swagger-parser validates it
// against the OpenAPI 3.1 schema and resolves every $ref, so generators and viewers accept it.
// (tests/server/test_openapi.cpp checks the real server's responses against the same document.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import SwaggerParser from '@apidevtools/swagger-parser';

const path = new URL('../../docs/openapi.json', import.meta.url);
const load = async () => JSON.parse(await readFile(path, 'utf8'));

test('docs/openapi.json is a valid OpenAPI 3.1 document', async () => {
  const api = await SwaggerParser.validate(await load());
  assert.equal(api.openapi, '3.1.0');
  assert.ok(Object.keys(api.paths).length > 10, 'every endpoint is described');
});

test('every operation names its responses and every $ref resolves', async () => {
  const api = await SwaggerParser.dereference(await load());
  for (const [route, item] of Object.entries(api.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'put', 'post', 'delete', 'patch', 'head'].includes(method)) continue;
      assert.ok(op.responses && Object.keys(op.responses).length, `${method} ${route} has responses`);
      assert.ok(!JSON.stringify(op).includes('"$ref"'), `${method} ${route} has no dangling $ref`);
    }
  }
});

// The check can fail: the validator refuses what the document used to be (3.0.3 with 3.1's
// `"type": [..., "null"]`) and a dangling reference.
test('the validator refuses a 3.0 document with type arrays, and a dangling $ref', async () => {
  const as30 = { ...(await load()), openapi: '3.0.3' };
  await assert.rejects(SwaggerParser.validate(as30));
  const dangling = await load();
  const firstPath = Object.values(dangling.paths)[0];
  const op = Object.values(firstPath)[0];
  op.responses['599'] = { $ref: '#/components/responses/NoSuchResponse' };
  await assert.rejects(SwaggerParser.validate(dangling));
});
