/** See compile-if-changed.mjs. */
export declare function compileIfChanged(stdio?: 'inherit' | 'pipe'): number;
