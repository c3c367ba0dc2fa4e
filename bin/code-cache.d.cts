export declare const cachePathOf: (bundle: string) => string;
export declare function writeCodeCache(bundle: string): number;
export declare function loadCommonJs(bundle: string): { exports: Record<string, unknown>; cache: string };
