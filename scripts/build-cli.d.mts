export declare const CLI_DIST: string;
export declare function buildCli(outDir?: string): Promise<{ outDir: string; files: number; ms: number }>;
