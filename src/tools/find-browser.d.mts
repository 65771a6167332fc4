/** See find-browser.mjs. */
export declare const BROWSER_FLAGS: string[];
export declare const NO_BROWSER: string;
export declare function findBrowser(): Promise<{ path: string; source: string } | null>;
