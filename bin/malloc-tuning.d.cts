export declare const MALLOC_TUNING: Readonly<Record<string, string>>;
export declare function withMallocTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
export declare function execTuned(env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform): boolean;
