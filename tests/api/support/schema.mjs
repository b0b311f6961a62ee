// Response-schema registry built from the Chatwork RAML (the contract).
//
// - Parses the RAML 0.8 file with js-yaml.
// - For every resource method, merges the responses of its traits (`is:`) with
//   its own responses (the method's own definitions win, as in RAML 0.8) and keeps
//   the 200 `application/json` schema.
// - Schemas are YAML strings that may start with a stray "|" line before the JSON;
//   that line is stripped.
// - Normalisation, so the RAML's intent is actually checked:
//     * `$schema` ("http://json-schema.org/schema#") is dropped; ajv-draft-04 is used.
//     * `"items": [X]` (draft-04 tuple form, which would only check element 0) is
//       rewritten to `"items": X`, so EVERY element of an array is validated.
//     * A `required` list misplaced on an array schema (account_list_response) is
//       moved into its `items` when the items have none.
//     * additionalProperties is left as the RAML says (absent = extra fields allowed).
// - A 200 response with only an example and no schema (POST /rooms/{id}/files)
//   gets a schema inferred from the example (types of the example's fields, all required).
// - Kaiwa's own routes (/kaiwa/v1/..., not in the RAML) take their 200 schemas from
//   docs/api/kaiwa-openapi.yaml, so the suite holds the server to the spec it publishes.

import fs from 'node:fs';
import * as yaml from 'js-yaml';
import Ajv04 from 'ajv-draft-04';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ramlPath } from './paths.mjs';

const KAIWA_OPENAPI = path.resolve(path.dirname(fileURLToPath(import.meta.url)),
  '../../../docs/api/kaiwa-openapi.yaml');

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

function stripStrayPipe(text) {
  return text.replace(/^\s*\|[ \t]*\r?\n/, '');
}

function parseSchemaString(text, where) {
  const cleaned = stripStrayPipe(String(text));
  try {
    return JSON.parse(cleaned);
  } catch (e) {
    // tolerate trailing commas
    try {
      return JSON.parse(cleaned.replace(/,(\s*[}\]])/g, '$1'));
    } catch {
      throw new Error(`RAML schema at ${where} is not valid JSON: ${e.message}`);
    }
  }
}

export function normaliseSchema(node) {
  if (Array.isArray(node)) return node.map(normaliseSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v).map(([pk, pv]) => [pk, normaliseSchema(pv)]));
      continue;
    }
    out[k] = normaliseSchema(v);
  }
  if (Array.isArray(out.items) && out.items.length === 1) out.items = out.items[0];
  if (out.type === 'array' || out.items) {
    if (Array.isArray(out.required) && out.items && typeof out.items === 'object' && !Array.isArray(out.items)) {
      if (!out.items.required) out.items = { ...out.items, required: out.required };
      delete out.required;
    }
  }
  return out;
}

function inferSchema(value) {
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) return value.length ? { type: 'array', items: inferSchema(value[0]) } : { type: 'array' };
  switch (typeof value) {
    case 'string': return { type: 'string' };
    case 'boolean': return { type: 'boolean' };
    case 'number': return { type: Number.isInteger(value) ? 'integer' : 'number' };
    case 'object': return {
      type: 'object',
      properties: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inferSchema(v)])),
      required: Object.keys(value),
    };
    default: return {};
  }
}

function jsonBodyOf(responses, code) {
  if (!responses) return undefined;
  const r = responses[code] ?? responses[String(code)];
  return r?.body?.['application/json'];
}

// Kaiwa extension routes (not in the RAML) that the suite calls.
// Inlines "#/components/schemas/X" references, which ajv would otherwise need the whole document for.
function inlineRefs(node, components) {
  if (Array.isArray(node)) return node.map((n) => inlineRefs(n, components));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const name = node.$ref.replace('#/components/schemas/', '');
    return inlineRefs(components[name], components);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineRefs(v, components)]));
}

// {"METHOD /path": schema} for every 200 application/json answer of Kaiwa's OpenAPI file.
function kaiwaSchemas(file = KAIWA_OPENAPI) {
  const doc = yaml.load(fs.readFileSync(file, 'utf8'));
  const components = doc.components?.schemas ?? {};
  const out = {};
  for (const [route, item] of Object.entries(doc.paths ?? {})) {
    if (!route.startsWith('/kaiwa/')) continue;
    for (const method of METHODS) {
      const schema = item[method]?.responses?.['200']?.content?.['application/json']?.schema;
      if (schema) out[`${method.toUpperCase()} ${route}`] = inlineRefs(schema, components);
    }
  }
  return out;
}

const EXTRA_SCHEMAS = kaiwaSchemas();

export class SchemaRegistry {
  constructor(file = ramlPath()) {
    if (!fs.existsSync(file)) {
      throw new Error(`RAML contract not found at ${file}. Set KAIWA_RAML to the path of chatwork-v2.raml.`);
    }
    const doc = yaml.load(fs.readFileSync(file, 'utf8'));
    this.traits = Object.assign({}, ...(doc.traits ?? []));
    this.routes = []; // {method, template, segments, schema, source}
    for (const [key, value] of Object.entries(doc)) {
      if (key.startsWith('/')) this.#walk(key, value);
    }
    for (const [k, schema] of Object.entries(EXTRA_SCHEMAS)) {
      const [method, template] = k.split(' ');
      this.#addRoute(method, template, schema, 'kaiwa-extension', true);
    }
    this.ajv = new Ajv04({ allErrors: true, strict: false });
    this.validators = new Map();
  }

  #addRoute(method, template, schema, source, absolute = false) {
    this.routes.push({
      method,
      template,
      absolute,
      segments: template.split('/').filter(Boolean),
      schema,
      source,
    });
  }

  #walk(path, node) {
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('/')) {
        this.#walk(path + key, value);
      } else if (METHODS.includes(key.toLowerCase())) {
        this.#method(key.toUpperCase(), path, value ?? {});
      }
    }
  }

  #method(method, path, def) {
    // Trait responses first, then the method's own (which take precedence).
    let body;
    for (const t of def.is ?? []) {
      const name = typeof t === 'string' ? t : Object.keys(t)[0];
      const trait = this.traits[name];
      if (!trait) continue;
      const b = jsonBodyOf(trait.responses, 200);
      if (b) body = { ...(body ?? {}), ...b };
    }
    const own = jsonBodyOf(def.responses, 200);
    if (own) body = { ...(body ?? {}), ...Object.fromEntries(Object.entries(own).filter(([, v]) => v !== undefined && v !== null)) };

    let schema = null;
    let source = 'none';
    if (body?.schema) {
      schema = normaliseSchema(parseSchemaString(body.schema, `${method} ${path}`));
      source = 'raml-schema';
    } else if (body?.example) {
      try {
        schema = inferSchema(JSON.parse(stripStrayPipe(String(body.example))));
        source = 'raml-example';
      } catch {
        schema = null;
      }
    }
    this.#addRoute(method, path, schema, source);
  }

  // Find the route for a concrete request path (e.g. "/v2/rooms/12/messages/read").
  match(method, requestPath) {
    method = method.toUpperCase();
    let p = requestPath.split('?')[0];
    let absolute = true;
    if (p.startsWith('/v2/') || p === '/v2') {
      p = p.slice(3);
      absolute = false;
    }
    const segs = p.split('/').filter(Boolean);
    let best = null;
    let bestScore = -1;
    for (const r of this.routes) {
      if (r.method !== method || r.absolute !== absolute) continue;
      if (r.segments.length !== segs.length) continue;
      let score = 0;
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const t = r.segments[i];
        if (t.startsWith('{') && t.endsWith('}')) continue;
        if (t !== decodeURIComponent(segs[i])) { ok = false; break; }
        score++;
      }
      if (ok && score > bestScore) { best = r; bestScore = score; }
    }
    return best;
  }

  // Returns {route, errors} — errors is null when valid.
  validate(method, requestPath, body) {
    const route = this.match(method, requestPath);
    if (!route) return { route: null, errors: null };
    if (!route.schema) return { route, errors: null };
    const key = `${route.method} ${route.template}`;
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(route.schema);
      this.validators.set(key, v);
    }
    const ok = v(body);
    return { route, errors: ok ? null : v.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`) };
  }
}

let shared;
export function schemas() {
  if (!shared) shared = new SchemaRegistry();
  return shared;
}
