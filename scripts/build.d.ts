// Types of scripts/build.js for the TypeScript scripts that import it (scripts/bench.ts).
export declare const PACKAGE_ROOT: string;
export declare function buildBundle(entries: Record<string, string>, outDir: string): Promise<void>;
export declare function buildDist(options?: { types?: boolean }): Promise<void>;
