import type { Rule } from '../engine';
import { reflectUnsupported } from './reflect';

/** Every rule the extension knows, in documentation order. */
export const ALL_RULES: readonly Rule[] = [reflectUnsupported];
