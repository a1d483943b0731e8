import { FastMatcher } from './fast-matcher.js';
import { matcherSuite } from './matcher.suite.js';

matcherSuite('FastMatcher', (s) => new FastMatcher(s));
