import { FastMatcher } from './fast-matcher.js';
import { matcherSuite } from './test-support/matcher-suite.js';

matcherSuite('FastMatcher', (s) => new FastMatcher(s));
