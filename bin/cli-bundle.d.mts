export declare function freshBundle(dir?: string): string | null;
