import { matcherSuite } from './test-support/matcher-suite.js';
import { ReferenceMatcher } from './reference.js';

matcherSuite('ReferenceMatcher', (s) => new ReferenceMatcher(s));
