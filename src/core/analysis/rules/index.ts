import type { Rule } from '../engine';
import { allocRules } from './alloc';
import { POOL_RULES } from './pool';
import { reflectUnsupported } from './reflect';
import { UNSUPPORTED_RULES } from './unsupported';

/** Every rule the extension knows, in documentation order. */
export const ALL_RULES: readonly Rule[] = [reflectUnsupported, ...UNSUPPORTED_RULES, ...allocRules, ...POOL_RULES];
