// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata
// polyfill loaded first, and needs a WebCrypto provider. Import this module (not
// @peculiar/x509 directly) to get a ready library.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
