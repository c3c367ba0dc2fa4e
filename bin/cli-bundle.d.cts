export declare function freshBundle(dir?: string): string | null;
export declare function freshFastBundle(command: string, dir?: string): string | null;
