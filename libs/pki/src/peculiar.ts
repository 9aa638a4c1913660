// @peculiar/x509 loads tsyringe, whose CommonJS build throws at import time unless a Reflect
// metadata polyfill is already installed; importing it first keeps `#pki` usable from plain
// Node entry points that do not start with `import 'reflect-metadata'`.
import 'reflect-metadata';

/** `@peculiar/x509`, loaded after its Reflect metadata prerequisite. */
export * as x509 from '@peculiar/x509';
