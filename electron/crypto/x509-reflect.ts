/**
 * @peculiar/x509 resolves its algorithms through tsyringe, which refuses to load unless the Reflect
 * metadata API (the "reflect-metadata" proposal) exists. That polyfill is not among Keyrack's dependencies,
 * and tsyringe only needs get/define of metadata on constructors, so this module provides exactly that
 * (stored in a WeakMap, walking the prototype chain like the proposal). Import it before @peculiar/x509;
 * x509-issue.ts does. If a full polyfill is already loaded it is left alone.
 */

type MetadataKey = unknown;
type PropertyKey = string | symbol | undefined;

const store = new WeakMap<object, Map<PropertyKey, Map<MetadataKey, unknown>>>();

function ownMap(target: object, property: PropertyKey, create: boolean): Map<MetadataKey, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty) {
    if (!create) return undefined;
    byProperty = new Map();
    store.set(target, byProperty);
  }
  let metadata = byProperty.get(property);
  if (!metadata && create) {
    metadata = new Map();
    byProperty.set(property, metadata);
  }
  return metadata;
}

function getOwnMetadata(key: MetadataKey, target: object, property?: PropertyKey): unknown {
  return ownMap(target, property, false)?.get(key);
}

function hasOwnMetadata(key: MetadataKey, target: object, property?: PropertyKey): boolean {
  return ownMap(target, property, false)?.has(key) ?? false;
}

function hasMetadata(key: MetadataKey, target: object, property?: PropertyKey): boolean {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
    if (hasOwnMetadata(key, o, property)) return true;
  }
  return false;
}

function getMetadata(key: MetadataKey, target: object, property?: PropertyKey): unknown {
  for (let o: object | null = target; o; o = Object.getPrototypeOf(o) as object | null) {
    if (hasOwnMetadata(key, o, property)) return getOwnMetadata(key, o, property);
  }
  return undefined;
}

function defineMetadata(key: MetadataKey, value: unknown, target: object, property?: PropertyKey): void {
  ownMap(target, property, true)!.set(key, value);
}

function metadata(key: MetadataKey, value: unknown) {
  return (target: object, property?: PropertyKey): void => defineMetadata(key, value, target, property);
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  Object.assign(reflect, { getMetadata, getOwnMetadata, hasMetadata, hasOwnMetadata, defineMetadata, metadata });
}

export {};
